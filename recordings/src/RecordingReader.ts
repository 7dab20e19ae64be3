/**
 * Auditor side of the format (FORMAT.md REC5-REC15, REC17, REC19): opens the header with an
 * auditor key, then decrypts any segment on its own, so a player can seek by opening only the
 * segments it needs. Every segment is checked (signature, chain value, AEAD tag, index) before its
 * content is returned; with the manifest opened first, each is also pinned to the manifest's digest.
 */
import { equalBytes, toHex } from './bytes.ts';
import { aeadOpen, deriveFileKeys, ed25519Verify, hmacVerify, hpkeUnwrap, type FileKeys } from './crypto.ts';
import { RecordingError } from './errors.ts';
import {
  CONTEXT,
  chainValue,
  decodeHeader,
  decodeSegment,
  headerMacMessage,
  headerSignedMessage,
  segmentAad,
  segmentDigest,
  segmentSignedMessage,
  streamNonce,
  summaryOf,
  wrapAad,
  type HeaderRecord,
  type RecipientEntry,
  type SegmentRecord,
} from './format.ts';
import { decodeManifest, manifestEndAad, manifestSignedMessage, type ManifestEntry } from './manifest.ts';
import { auditorKeyId, importAuditorPrivateKey, rawPublicKeyOf } from './keys.ts';
import { decodePayload } from './payload.ts';
import type { ManifestInfo, RecordingInfo, SegmentContent } from './types.ts';

/**
 * An auditor key: a WebCrypto X25519 key pair (the private key may be non-extractable; a `keyId`
 * field, as on `generateAuditorKeyPair()` results, is used when present), or a raw private key
 * with its key id.
 */
export type AuditorKey = CryptoKeyPair | (CryptoKeyPair & { keyId: string }) | { keyId: string; privateKey: Uint8Array };

/** Options of {@link openRecording}. */
export interface OpenRecordingOptions {
  /** The host's pinned Ed25519 public key; if given, a header signed by another key is refused. */
  hostPublicKey?: Uint8Array;
}

/** A recording opened with an auditor key. */
export interface RecordingReader {
  /** Public metadata of the header (verified: signature and MAC). */
  readonly info: RecordingInfo;
  /** Key ids of all recipients. */
  readonly recipients: string[];
  /** Key id of the recipient entry this reader was opened with. */
  readonly keyId: string;
  /** The host key that signed the header. */
  readonly hostPublicKey: Uint8Array;
  /** Lowercase hex SHA-256 of the header record. */
  readonly headerHash: string;
  /**
   * Checks and decrypts one segment record. With `expectedIndex`, bytes of another segment are
   * refused with `reordered`; tampering gives `tampered` with the segment index.
   */
  openSegment(bytes: Uint8Array, expectedIndex?: number): Promise<SegmentContent & { index: number }>;
  /** Checks the manifest (signature, header, STREAM terminator) and returns its seek index. */
  openManifest(bytes: Uint8Array): Promise<ManifestInfo>;
}

/**
 * Opens a header with an auditor key. Fails with `header` if the signature or the MAC does not
 * verify, `signature` if another host key signed it than `options.hostPublicKey`, `not_recipient`
 * for a key the header does not list, `wrong_key` for a private key that does not open its entry.
 */
export async function openRecording(header: Uint8Array, auditorKey: AuditorKey, options: OpenRecordingOptions = {}): Promise<RecordingReader> {
  const record = decodeHeader(header);
  if (options.hostPublicKey !== undefined && !equalBytes(options.hostPublicKey, record.hostPublicKey)) {
    throw RecordingError.signature('The header is signed by another host key than the pinned one.');
  }
  const signed = header.subarray(0, record.signatureOffset);
  if (!(await ed25519Verify(record.hostPublicKey, record.signature, headerSignedMessage(signed)))) {
    throw RecordingError.header('The header signature does not verify: the header was edited.');
  }
  const { keyId, keys } = await unwrapFileKeys(record, auditorKey);
  const macPart = header.subarray(0, record.macOffset);
  if (!(await hmacVerify(keys.macKey, record.mac, headerMacMessage(macPart)))) {
    throw RecordingError.header('The header MAC does not verify: the header was edited.');
  }
  return new Reader(record, keyId, keys);
}

async function unwrapFileKeys(record: HeaderRecord, auditorKey: AuditorKey): Promise<{ keyId: string; keys: FileKeys }> {
  if (typeof auditorKey !== 'object' || auditorKey === null || !('privateKey' in auditorKey)) {
    throw RecordingError.invalidInput('An auditor key is a CryptoKeyPair or { keyId, privateKey }.');
  }
  let pair: CryptoKeyPair;
  let keyId: string | undefined = 'keyId' in auditorKey && typeof auditorKey.keyId === 'string' ? auditorKey.keyId : undefined;
  // A raw key names its entry; a key pair's id (given or derived) is only where to look first.
  const raw = auditorKey.privateKey instanceof Uint8Array;
  if (auditorKey.privateKey instanceof Uint8Array) {
    if (keyId === undefined) throw RecordingError.invalidInput('A raw auditor private key needs its keyId.');
    pair = await importAuditorPrivateKey(auditorKey.privateKey);
  } else {
    pair = auditorKey as CryptoKeyPair;
  }
  keyId ??= auditorKeyId(await rawPublicKeyOf(pair));
  const entry = record.recipients.find((r) => r.keyId === keyId);
  const publicPart = record.bytes.subarray(0, record.publicEnd);
  if (entry) {
    const fileKey = await unwrapEntry(pair, entry, publicPart);
    if (!fileKey) throw RecordingError.wrongKey(keyId);
    return { keyId, keys: await keysFrom(fileKey) };
  }
  // A key pair may be listed under an id of another convention: try each entry.
  if (!raw) {
    for (const candidate of record.recipients) {
      const fileKey = await unwrapEntry(pair, candidate, publicPart);
      if (fileKey) return { keyId: candidate.keyId, keys: await keysFrom(fileKey) };
    }
  }
  throw RecordingError.notRecipient(keyId, record.recipients.map((r) => r.keyId));
}

function unwrapEntry(pair: CryptoKeyPair, entry: RecipientEntry, publicPart: Uint8Array): Promise<Uint8Array | undefined> {
  return hpkeUnwrap(pair, entry.enc, entry.wrapped, CONTEXT.wrap, wrapAad(publicPart, entry.keyId));
}

async function keysFrom(fileKey: Uint8Array): Promise<FileKeys> {
  try {
    if (fileKey.length !== 32) throw RecordingError.header('The wrapped file key has the wrong size.');
    return await deriveFileKeys(fileKey, CONTEXT.macKey, CONTEXT.segmentKey);
  } finally {
    fileKey.fill(0);
  }
}

class Reader implements RecordingReader {
  readonly info: RecordingInfo;
  readonly recipients: string[];
  readonly keyId: string;
  readonly hostPublicKey: Uint8Array;
  readonly headerHash: string;
  private readonly record: HeaderRecord;
  private readonly keys: FileKeys;
  /** Chain values of segments opened so far: the next one must continue them. */
  private readonly chains = new Map<number, Uint8Array>();
  private manifestEntries: ManifestEntry[] | undefined;
  private manifestFinalChain: Uint8Array | undefined;

  constructor(record: HeaderRecord, keyId: string, keys: FileKeys) {
    this.record = record;
    this.info = record.info;
    this.recipients = record.recipients.map((r) => r.keyId);
    this.keyId = keyId;
    this.hostPublicKey = record.hostPublicKey;
    this.headerHash = toHex(record.hash);
    this.keys = keys;
  }

  async openSegment(bytes: Uint8Array, expectedIndex?: number): Promise<SegmentContent & { index: number }> {
    let segment: SegmentRecord;
    try {
      segment = decodeSegment(bytes, expectedIndex);
    } catch (err) {
      throw RecordingError.tampered(expectedIndex, `Segment ${expectedIndex ?? '(unknown index)'} is damaged: ${(err as Error).message}`, err);
    }
    const index = segment.index;
    if (expectedIndex !== undefined && index !== expectedIndex) throw RecordingError.reordered(expectedIndex, index);
    await this.checkIntegrity(segment);
    const plaintext = await aeadOpen(this.keys.segmentKey, streamNonce(index, false), segment.ciphertext, segmentAad(this.record.hash, segment.clear));
    if (!plaintext) throw RecordingError.tampered(index, `Segment ${index} does not decrypt: its bytes were changed or it belongs to another recording.`);
    const content = decodePayload(plaintext, segment);
    this.chains.set(index, segment.chain);
    return content;
  }

  private async checkIntegrity(segment: SegmentRecord): Promise<void> {
    const { index } = segment;
    const message = segmentSignedMessage(this.info.recordingId, index, segment.chain);
    if (!(await ed25519Verify(this.hostPublicKey, segment.signature, message))) {
      throw RecordingError.tampered(index, `Segment ${index}: the host signature does not verify.`);
    }
    const digest = segmentDigest(segment.body);
    if (!equalBytes(chainValue(segment.prev, digest), segment.chain)) {
      throw RecordingError.tampered(index, `Segment ${index}: the bytes do not match the signed hash chain value.`);
    }
    const previous = index === 0 ? this.record.hash : this.chains.get(index - 1);
    if (previous && !equalBytes(previous, segment.prev)) {
      throw RecordingError.tampered(index, `Segment ${index} does not continue the hash chain of ${index === 0 ? 'the header' : `segment ${index - 1}`}.`);
    }
    const entries = this.manifestEntries;
    if (entries) {
      const entry = entries[index];
      if (!entry) throw RecordingError.tampered(index, `Segment ${index} is not listed in the manifest (${entries.length} segments).`);
      if (!equalBytes(entry.digest, digest)) throw RecordingError.tampered(index, `Segment ${index} differs from the one listed in the manifest.`);
      if (index === entries.length - 1 && this.manifestFinalChain && !equalBytes(this.manifestFinalChain, segment.chain)) {
        throw RecordingError.tampered(index, `Segment ${index} does not end the chain the manifest names.`);
      }
    }
  }

  async openManifest(bytes: Uint8Array): Promise<ManifestInfo> {
    const manifest = decodeManifest(bytes);
    if (!equalBytes(manifest.headerHash, this.record.hash)) throw RecordingError.manifest('The manifest belongs to another recording header.');
    const signed = bytes.subarray(0, manifest.signatureOffset);
    if (!(await ed25519Verify(this.hostPublicKey, manifest.signature, manifestSignedMessage(signed)))) {
      throw RecordingError.manifest('The manifest signature does not verify: the manifest was edited.');
    }
    const count = manifest.entries.length;
    const aad = manifestEndAad(bytes.subarray(0, manifest.endTagOffset));
    if (!(await aeadOpen(this.keys.segmentKey, streamNonce(count, true), manifest.endTag, aad))) {
      throw RecordingError.manifest('The manifest end tag does not verify with the file key.');
    }
    if (count === 0 && !equalBytes(manifest.finalChain, this.record.hash)) {
      throw RecordingError.manifest('The manifest of an empty recording must end the chain at the header.');
    }
    this.manifestEntries = manifest.entries;
    this.manifestFinalChain = manifest.finalChain;
    return manifestInfo(manifest.entries, manifest.endedAt, manifest.endReason, manifest.finalChain);
  }
}

/** The public form of a manifest's content. */
export function manifestInfo(entries: ManifestEntry[], endedAt: number, endReason: string, finalChain: Uint8Array): ManifestInfo {
  return {
    segmentCount: entries.length,
    endedAt,
    endReason,
    segments: entries.map((e) => ({ ...summaryOf(e), hash: toHex(e.digest) })),
    finalChain: toHex(finalChain),
  };
}
