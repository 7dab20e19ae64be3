/**
 * Byte layout of the three records of a recording (FORMAT.md REC2-REC4, REC9, REC16): parsing
 * and serialisation only, no keys. Every decoder validates every field and rejects trailing bytes.
 */
import { ByteReader, ByteWriter, concat, u32be, utf8 } from './bytes.ts';
import { sha256 } from './crypto.ts';
import { RecordingError } from './errors.ts';
import type { RecordingInfo, SegmentSummary } from './types.ts';

/** Version byte of every record this code writes and reads (REC2). */
export const FORMAT_VERSION = 1;

/** Four-byte magic at the start of each record (REC2). */
export const MAGIC = { header: utf8('WLRH'), segment: utf8('WLRS'), manifest: utf8('WLRM') } as const;

/** Hard limits (REC2): a decoder refuses anything beyond them before allocating. */
export const LIMITS = {
  /** Bytes of a header record. */
  headerBytes: 16 * 1024,
  /** Bytes of a segment record: the broker's upload limit (protocol MAX_RECORDING_PART_BYTES). */
  segmentBytes: 8 * 1024 * 1024,
  /** Segments per recording (indices 0..99999): 11.5 days of 10-second segments. */
  segments: 100_000,
  /** Auditor recipients per header. */
  recipients: 16,
  /** Characters of a display text (technician name, organisation, end reason), as protocol DisplayText. */
  displayText: 128,
  /** Characters of a codec string. */
  codec: 64,
  /** Pixels of the frame width or height. */
  dimension: 16_384,
} as const;

/** Bytes of SHA-256 values, Ed25519 signatures and keys, HPKE fields, the AEAD tag. */
export const SIZES = { hash: 32, signature: 64, publicKey: 32, enc: 32, wrapped: 48, mac: 32, tag: 16 } as const;

/** Domain-separation strings: every signature, MAC, hash, key and AAD has its own (REC3). */
export const CONTEXT = {
  headerSignature: utf8('wardlink/recording/v1 header signature'),
  headerMac: utf8('wardlink/recording/v1 header mac'),
  macKey: utf8('wardlink/recording/v1 mac key'),
  segmentKey: utf8('wardlink/recording/v1 segment key'),
  wrap: utf8('wardlink/recording/v1 file key'),
  segmentAad: utf8('wardlink/recording/v1 segment'),
  chain: utf8('wardlink/recording/v1 chain'),
  segmentSignature: utf8('wardlink/recording/v1 segment signature'),
  manifestSignature: utf8('wardlink/recording/v1 manifest signature'),
  end: utf8('wardlink/recording/v1 end'),
} as const;

/** Flag bits of a segment (REC9). */
export const SEGMENT_FLAGS = { keyFrame: 1, still: 2 } as const;
/** Every flag bit a segment may carry. */
export const KNOWN_SEGMENT_FLAGS = SEGMENT_FLAGS.keyFrame | SEGMENT_FLAGS.still;

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const CODEC = /^[A-Za-z0-9._+-]{1,64}$/;
const CONTROL = /\p{Cc}/u;

/** Why `info` cannot be stored, or undefined if it can (REC4). */
export function infoProblem(info: RecordingInfo): string | undefined {
  if (typeof info !== 'object' || info === null) return 'info is not an object';
  for (const [name, value] of [
    ['recordingId', info.recordingId],
    ['sessionId', info.sessionId],
    ['hostId', info.hostId],
    ['technician.id', info.technician?.id],
  ] as const) {
    if (typeof value !== 'string' || !ID.test(value)) return `${name} must be 1..64 of A-Z a-z 0-9 _ -`;
  }
  for (const [name, value] of [
    ['technician.name', info.technician.name],
    ['technician.organisation', info.technician.organisation],
  ] as const) {
    if (!isDisplayText(value, 0)) return `${name} must be at most ${LIMITS.displayText} characters without control characters`;
  }
  if (!isTime(info.startedAt)) return 'startedAt must be epoch milliseconds';
  const video = info.video;
  if (typeof video !== 'object' || video === null) return 'video is missing';
  if (typeof video.codec !== 'string' || !CODEC.test(video.codec)) return 'video.codec must be a WebCodecs codec string';
  if (!isDimension(video.width) || !isDimension(video.height)) return `video size must be 1..${LIMITS.dimension} pixels`;
  return undefined;
}

/** A display text: a string of minLength..128 UTF-16 units without control characters. */
export function isDisplayText(value: unknown, minLength: number): value is string {
  return typeof value === 'string' && value.length >= minLength && value.length <= LIMITS.displayText && !CONTROL.test(value);
}

function isTime(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isDimension(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= LIMITS.dimension;
}

/** An integer millisecond offset that fits the u32 fields. */
export function isOffset(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0xffff_ffff;
}

/** Whether `keyId` is a valid recipient key id (REC5). */
export function isKeyId(keyId: unknown): keyId is string {
  return typeof keyId === 'string' && ID.test(keyId);
}

// ---------------------------------------------------------------------------------------------
// Header (REC4-REC8)

/** One recipient entry of the header: the file key wrapped with HPKE for one auditor key. */
export interface RecipientEntry {
  keyId: string;
  /** HPKE encapsulated key, 32 bytes. */
  enc: Uint8Array;
  /** HPKE ciphertext of the 32-byte file key, 48 bytes. */
  wrapped: Uint8Array;
}

/** A parsed header record with the offsets its MAC, signature and HPKE AAD cover. */
export interface HeaderRecord {
  info: RecordingInfo;
  hostPublicKey: Uint8Array;
  recipients: RecipientEntry[];
  mac: Uint8Array;
  signature: Uint8Array;
  /** The whole record. */
  bytes: Uint8Array;
  /** SHA-256 of the whole record (REC8). */
  hash: Uint8Array;
  /** bytes[0, publicEnd): everything before the recipients; its hash is the HPKE AAD (REC5). */
  publicEnd: number;
  /** bytes[0, macOffset): what the MAC covers (REC7). */
  macOffset: number;
  /** bytes[0, signatureOffset): what the host signature covers (REC6). */
  signatureOffset: number;
}

/** Serialises everything before the recipients (REC4). */
export function encodeHeaderPublic(info: RecordingInfo, hostPublicKey: Uint8Array): Uint8Array {
  const w = new ByteWriter(512);
  w.bytes(MAGIC.header).u8(FORMAT_VERSION).u8(0).u64(info.startedAt);
  w.str8(info.recordingId).str8(info.sessionId).str8(info.hostId);
  w.str8(info.technician.id).str16(info.technician.name).str16(info.technician.organisation);
  w.str8(info.video.codec).u16(info.video.width).u16(info.video.height);
  w.bytes(hostPublicKey);
  return w.finish();
}

/** Serialises the recipient list (REC5). */
export function encodeRecipients(recipients: RecipientEntry[]): Uint8Array {
  const w = new ByteWriter(64 + recipients.length * 120);
  w.u8(recipients.length);
  for (const r of recipients) w.str8(r.keyId).bytes(r.enc).bytes(r.wrapped);
  return w.finish();
}

/** The HPKE AAD of one recipient: SHA-256 of the public part, then the key id (REC5). */
export function wrapAad(publicPart: Uint8Array, keyId: string): Uint8Array {
  return concat(sha256(publicPart), utf8(keyId));
}

/** Parses and validates a header record; throws `format` / `unsupported_version`. No signature check. */
export function decodeHeader(bytes: Uint8Array): HeaderRecord {
  if (!(bytes instanceof Uint8Array)) throw RecordingError.format('header: not bytes');
  if (bytes.length > LIMITS.headerBytes) throw RecordingError.format('header: too large');
  const r = new ByteReader(bytes, 'header');
  expectMagic(r, MAGIC.header, 'header');
  const version = r.u8('version');
  if (version !== FORMAT_VERSION) throw RecordingError.unsupportedVersion('header', version);
  if (r.u8('flags') !== 0) throw r.fail('unknown flags');
  const startedAt = r.u64('startedAt');
  const recordingId = r.str8('recordingId');
  const sessionId = r.str8('sessionId');
  const hostId = r.str8('hostId');
  const technician = { id: r.str8('technician.id'), name: r.str16('technician.name'), organisation: r.str16('technician.organisation') };
  const video = { codec: r.str8('video.codec'), width: r.u16('video.width'), height: r.u16('video.height') };
  const info: RecordingInfo = { recordingId, sessionId, hostId, technician, startedAt, video };
  const problem = infoProblem(info);
  if (problem) throw r.fail(problem);
  const hostPublicKey = r.bytes(SIZES.publicKey, 'host public key');
  const publicEnd = r.offset;
  const count = r.u8('recipient count');
  if (count < 1 || count > LIMITS.recipients) throw r.fail(`recipient count must be 1..${LIMITS.recipients}`);
  const recipients: RecipientEntry[] = [];
  for (let i = 0; i < count; i++) {
    const keyId = r.str8('recipient key id');
    if (!isKeyId(keyId)) throw r.fail('recipient key id');
    if (recipients.some((e) => e.keyId === keyId)) throw r.fail('duplicate recipient key id');
    recipients.push({ keyId, enc: r.bytes(SIZES.enc, 'recipient enc'), wrapped: r.bytes(SIZES.wrapped, 'recipient wrapped key') });
  }
  const macOffset = r.offset;
  const mac = r.bytes(SIZES.mac, 'MAC');
  const signatureOffset = r.offset;
  const signature = r.bytes(SIZES.signature, 'signature');
  r.end();
  return { info, hostPublicKey, recipients, mac, signature, bytes, hash: sha256(bytes), publicEnd, macOffset, signatureOffset };
}

/** The message the host signs for a header: context, then the header up to the signature (REC6). */
export function headerSignedMessage(signedPart: Uint8Array): Uint8Array {
  return concat(CONTEXT.headerSignature, signedPart);
}

/** The message the header MAC covers: context, then the header up to the MAC (REC7). */
export function headerMacMessage(macPart: Uint8Array): Uint8Array {
  return concat(CONTEXT.headerMac, macPart);
}

// ---------------------------------------------------------------------------------------------
// Segments (REC9-REC13)

/** Bytes before a segment's ciphertext. */
export const SEGMENT_CLEAR_BYTES = 22;
/** Bytes after a segment's ciphertext: prev (32), chain (32), signature (64). */
export const SEGMENT_TRAILER_BYTES = 128;

/** The clear fields of a segment record. */
export interface SegmentClear {
  flags: number;
  index: number;
  startMs: number;
  endMs: number;
}

/** A parsed segment record. */
export interface SegmentRecord extends SegmentClear {
  ciphertext: Uint8Array;
  /** Chain value of the previous segment, or the header hash for segment 0 (REC11). */
  prev: Uint8Array;
  /** This segment's chain value: SHA-256(context || prev || digest) (REC11). */
  chain: Uint8Array;
  signature: Uint8Array;
  /** bytes[0, 22): the clear fields, bound by the AEAD as AAD (REC10). */
  clear: Uint8Array;
  /** bytes[0, 22 + ciphertext length): what the segment digest covers (REC11). */
  body: Uint8Array;
  bytes: Uint8Array;
}

/** Serialises the clear fields of a segment whose ciphertext will be `ciphertextLength` bytes. */
export function encodeSegmentClear(clear: SegmentClear, ciphertextLength: number): Uint8Array {
  return new ByteWriter(SEGMENT_CLEAR_BYTES)
    .bytes(MAGIC.segment)
    .u8(FORMAT_VERSION)
    .u8(clear.flags)
    .u32(clear.index)
    .u32(clear.startMs)
    .u32(clear.endMs)
    .u32(ciphertextLength)
    .finish();
}

/**
 * The length a segment record declares in its clear fields, if they are readable: lets the
 * verifier tell a record cut short by a crash from an edited one.
 */
export function declaredSegmentLength(bytes: Uint8Array): number | undefined {
  if (bytes.length < SEGMENT_CLEAR_BYTES) return undefined;
  for (let i = 0; i < 4; i++) if (bytes[i] !== MAGIC.segment[i]) return undefined;
  return SEGMENT_CLEAR_BYTES + new DataView(bytes.buffer, bytes.byteOffset + 18, 4).getUint32(0) + SEGMENT_TRAILER_BYTES;
}

/** Parses and validates a segment record; throws `format` / `unsupported_version`. No crypto. */
export function decodeSegment(bytes: Uint8Array, segmentHint?: number): SegmentRecord {
  if (!(bytes instanceof Uint8Array)) throw RecordingError.format('segment: not bytes', segmentHint);
  if (bytes.length > LIMITS.segmentBytes) throw RecordingError.format('segment: too large', segmentHint);
  const r = new ByteReader(bytes, 'segment', segmentHint);
  expectMagic(r, MAGIC.segment, 'segment');
  const version = r.u8('version');
  if (version !== FORMAT_VERSION) throw RecordingError.unsupportedVersion('segment', version);
  const flags = r.u8('flags');
  if ((flags & ~KNOWN_SEGMENT_FLAGS) !== 0) throw r.fail('unknown flags');
  const index = r.u32('index');
  if (index >= LIMITS.segments) throw r.fail('index out of range');
  const startMs = r.u32('startMs');
  const endMs = r.u32('endMs');
  if (endMs < startMs) throw r.fail('endMs before startMs');
  const length = r.u32('ciphertext length');
  if (length < SIZES.tag) throw r.fail('ciphertext shorter than its tag');
  const ciphertext = r.bytes(length, 'ciphertext');
  const bodyEnd = r.offset;
  const prev = r.bytes(SIZES.hash, 'previous chain value');
  const chain = r.bytes(SIZES.hash, 'chain value');
  const signature = r.bytes(SIZES.signature, 'signature');
  r.end();
  return {
    flags,
    index,
    startMs,
    endMs,
    ciphertext,
    prev,
    chain,
    signature,
    clear: bytes.subarray(0, SEGMENT_CLEAR_BYTES),
    body: bytes.subarray(0, bodyEnd),
    bytes,
  };
}

/** Clear metadata of a segment record, for seeking without keys (REC19). Parses, checks nothing cryptographic. */
export function inspectSegment(bytes: Uint8Array): SegmentSummary {
  const s = decodeSegment(bytes);
  return summaryOf(s);
}

/** The seek summary of parsed clear fields. */
export function summaryOf(s: SegmentClear): SegmentSummary {
  return {
    index: s.index,
    startMs: s.startMs,
    endMs: s.endMs,
    hasKeyFrame: (s.flags & SEGMENT_FLAGS.keyFrame) !== 0,
    hasStill: (s.flags & SEGMENT_FLAGS.still) !== 0,
  };
}

/** Segment digest: SHA-256 of the record up to the end of the ciphertext (REC11). */
export function segmentDigest(body: Uint8Array): Uint8Array {
  return sha256(body);
}

/** Chain value: SHA-256(context || prev || digest) (REC11). */
export function chainValue(prev: Uint8Array, digest: Uint8Array): Uint8Array {
  return sha256(CONTEXT.chain, prev, digest);
}

/** What the host signs for a segment: context, recordingId, index, chain value (REC12). */
export function segmentSignedMessage(recordingId: string, index: number, chain: Uint8Array): Uint8Array {
  const id = utf8(recordingId);
  return concat(CONTEXT.segmentSignature, new Uint8Array([id.length]), id, u32be(index), chain);
}

/** The AES-GCM nonce of chunk `counter` (REC10): 11-byte big-endian counter, then the last-chunk flag. */
export function streamNonce(counter: number, last: boolean): Uint8Array {
  const nonce = new Uint8Array(12);
  new DataView(nonce.buffer).setUint32(7, counter);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

/** The AES-GCM AAD of a segment: context, header hash, clear fields (REC10). */
export function segmentAad(headerHash: Uint8Array, clear: Uint8Array): Uint8Array {
  return concat(CONTEXT.segmentAad, headerHash, clear);
}

/** Reads the four magic bytes of a record; throws `format` if they are not `magic`. */
export function expectMagic(r: ByteReader, magic: Uint8Array, what: string): void {
  const found = r.bytes(4, 'magic');
  for (let i = 0; i < 4; i++) if (found[i] !== magic[i]) throw r.fail(`not a wardlink ${what} record (bad magic)`);
}
