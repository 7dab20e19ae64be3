/**
 * Host side of the format (FORMAT.md REC4-REC17): makes the file key, wraps it for every auditor,
 * seals segments one by one into self-verifying records and ends with a signed manifest. The raw
 * file key exists only inside {@link createRecording}; afterwards only non-extractable WebCrypto
 * subkeys remain, in memory.
 */
import { concat, toHex } from './bytes.ts';
import { aeadSeal, deriveFileKeys, hmac, hpkeWrap, randomBytes, sha256, type FileKeys } from './crypto.ts';
import { RecordingError } from './errors.ts';
import {
  CONTEXT,
  LIMITS,
  SEGMENT_CLEAR_BYTES,
  SEGMENT_TRAILER_BYTES,
  SIZES,
  chainValue,
  encodeHeaderPublic,
  encodeRecipients,
  encodeSegmentClear,
  headerMacMessage,
  headerSignedMessage,
  infoProblem,
  isDisplayText,
  isKeyId,
  segmentAad,
  segmentDigest,
  segmentSignedMessage,
  streamNonce,
  wrapAad,
  type RecipientEntry,
} from './format.ts';
import { encodeManifestBody, manifestEndAad, manifestSignedMessage, type ManifestEntry } from './manifest.ts';
import { contentFlags, contentProblem, encodePayload } from './payload.ts';
import type { AuditorRecipient, HostSigner, RecordingInfo, RecordingWriter, SealedSegment, SegmentContent } from './types.ts';

/** Bytes of the random per-recording file key (REC3). */
export const FILE_KEY_BYTES = 32;

/**
 * Starts a recording: validates `info`, makes a random file key, wraps it for each auditor with
 * HPKE, MACs and signs the header. Throws `invalid_input` for anything the format cannot hold
 * (no recipients, a malformed key, an id outside the allowed alphabet...).
 */
export async function createRecording(info: RecordingInfo, recipients: AuditorRecipient[], signer: HostSigner): Promise<RecordingWriter> {
  const problem = infoProblem(info);
  if (problem) throw RecordingError.invalidInput(`Cannot record: ${problem}.`);
  checkRecipients(recipients);
  if (!(signer?.publicKey instanceof Uint8Array) || signer.publicKey.length !== SIZES.publicKey || typeof signer.sign !== 'function') {
    throw RecordingError.invalidInput('The host signer needs a 32-byte Ed25519 public key and a sign function.');
  }
  const fileKey = randomBytes(FILE_KEY_BYTES);
  try {
    const publicPart = encodeHeaderPublic(info, signer.publicKey);
    const entries: RecipientEntry[] = [];
    for (const recipient of recipients) {
      const { enc, wrapped } = await wrapFor(recipient, fileKey, publicPart);
      entries.push({ keyId: recipient.keyId, enc, wrapped });
    }
    const keys = await deriveFileKeys(fileKey, CONTEXT.macKey, CONTEXT.segmentKey);
    const body = concat(publicPart, encodeRecipients(entries));
    const signedPart = concat(body, await hmac(keys.macKey, headerMacMessage(body)));
    const header = concat(signedPart, await signWith(signer, headerSignedMessage(signedPart)));
    if (header.length > LIMITS.headerBytes) throw RecordingError.invalidInput('The header is too large (too many or too long fields).');
    return new Writer(info.recordingId, header, keys, signer);
  } finally {
    fileKey.fill(0);
  }
}

function checkRecipients(recipients: AuditorRecipient[]): void {
  if (!Array.isArray(recipients) || recipients.length < 1 || recipients.length > LIMITS.recipients) {
    throw RecordingError.invalidInput(`A recording needs 1..${LIMITS.recipients} auditor recipients.`);
  }
  const seen = new Set<string>();
  for (const r of recipients) {
    if (!isKeyId(r?.keyId)) throw RecordingError.invalidInput('A recipient key id must be 1..64 of A-Z a-z 0-9 _ -.');
    if (seen.has(r.keyId)) throw RecordingError.invalidInput(`Recipient key id ${r.keyId} appears twice.`);
    seen.add(r.keyId);
    if (!(r.publicKey instanceof Uint8Array) || r.publicKey.length !== SIZES.publicKey) {
      throw RecordingError.invalidInput(`Recipient ${r.keyId} needs a 32-byte raw X25519 public key.`);
    }
  }
}

async function wrapFor(recipient: AuditorRecipient, fileKey: Uint8Array, publicPart: Uint8Array): Promise<{ enc: Uint8Array; wrapped: Uint8Array }> {
  try {
    return await hpkeWrap(recipient.publicKey, fileKey, CONTEXT.wrap, wrapAad(publicPart, recipient.keyId));
  } catch (err) {
    throw new RecordingError('invalid_input', `Cannot wrap the file key for recipient ${recipient.keyId}: invalid X25519 public key.`, { cause: err });
  }
}

async function signWith(signer: HostSigner, message: Uint8Array): Promise<Uint8Array> {
  const signature = await signer.sign(message);
  if (!(signature instanceof Uint8Array) || signature.length !== SIZES.signature) {
    throw RecordingError.invalidInput('The host signer must return a 64-byte Ed25519 signature.');
  }
  return signature;
}

class Writer implements RecordingWriter {
  readonly header: Uint8Array;
  readonly headerHash: string;
  private readonly recordingId: string;
  private readonly keys: FileKeys;
  private readonly signer: HostSigner;
  private readonly headerDigest: Uint8Array;
  private readonly entries: ManifestEntry[] = [];
  private chain: Uint8Array;
  private previousEndMs = 0;
  private done = false;
  /** Serialises calls: each seal needs the chain value of the one before. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(recordingId: string, header: Uint8Array, keys: FileKeys, signer: HostSigner) {
    this.recordingId = recordingId;
    this.header = header;
    this.keys = keys;
    this.signer = signer;
    this.headerDigest = sha256(header);
    this.headerHash = toHex(this.headerDigest);
    this.chain = this.headerDigest;
  }

  get segmentCount(): number {
    return this.entries.length;
  }

  get finished(): boolean {
    return this.done;
  }

  sealSegment(content: SegmentContent): Promise<SealedSegment> {
    return this.enqueue(() => this.seal(content));
  }

  finish(endedAt: number, reason: string): Promise<Uint8Array> {
    return this.enqueue(() => this.end(endedAt, reason));
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async seal(content: SegmentContent): Promise<SealedSegment> {
    if (this.done) throw RecordingError.finished();
    const index = this.entries.length;
    if (index >= LIMITS.segments) throw RecordingError.invalidInput(`A recording holds at most ${LIMITS.segments} segments.`);
    if (content?.index !== undefined && content.index !== index) {
      throw RecordingError.invalidInput(`Segment index ${content.index} given, but the next segment is ${index}.`);
    }
    const problem = contentProblem(content, this.previousEndMs);
    if (problem) throw RecordingError.invalidInput(`Cannot seal segment ${index}: ${problem}.`);
    const plaintext = encodePayload(content);
    const ciphertextLength = plaintext.length + SIZES.tag;
    if (SEGMENT_CLEAR_BYTES + ciphertextLength + SEGMENT_TRAILER_BYTES > LIMITS.segmentBytes) {
      throw RecordingError.invalidInput(`Segment ${index} exceeds ${LIMITS.segmentBytes} bytes: cut shorter segments.`);
    }
    const clearFields = { flags: contentFlags(content), index, startMs: content.startMs, endMs: content.endMs };
    const clear = encodeSegmentClear(clearFields, ciphertextLength);
    const ciphertext = await aeadSeal(this.keys.segmentKey, streamNonce(index, false), plaintext, segmentAad(this.headerDigest, clear));
    const body = concat(clear, ciphertext);
    const digest = segmentDigest(body);
    const chain = chainValue(this.chain, digest);
    const signature = await signWith(this.signer, segmentSignedMessage(this.recordingId, index, chain));
    const bytes = concat(body, this.chain, chain, signature);
    // Commit only once everything succeeded, so a failed call leaves the writer usable.
    this.entries.push({ ...clearFields, digest });
    this.chain = chain;
    this.previousEndMs = content.endMs;
    return { index, bytes };
  }

  private async end(endedAt: number, reason: string): Promise<Uint8Array> {
    if (this.done) throw RecordingError.finished();
    if (!Number.isSafeInteger(endedAt) || endedAt < 0) throw RecordingError.invalidInput('endedAt must be epoch milliseconds.');
    if (!isDisplayText(reason, 1)) throw RecordingError.invalidInput('The end reason must be 1..128 characters without control characters.');
    const body = encodeManifestBody({ headerHash: this.headerDigest, endedAt, endReason: reason, entries: this.entries, finalChain: this.chain });
    const endTag = await aeadSeal(this.keys.segmentKey, streamNonce(this.entries.length, true), new Uint8Array(0), manifestEndAad(body));
    const signedPart = concat(body, endTag);
    const manifest = concat(signedPart, await signWith(this.signer, manifestSignedMessage(signedPart)));
    this.done = true;
    return manifest;
  }
}
