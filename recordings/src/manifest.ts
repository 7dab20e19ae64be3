/**
 * Byte layout of the manifest record (FORMAT.md REC16, REC17): the signed end of a recording with
 * the seek index, the digest of every segment, the final chain value and the STREAM terminator.
 */
import { ByteReader, ByteWriter, concat } from './bytes.ts';
import { RecordingError } from './errors.ts';
import { CONTEXT, FORMAT_VERSION, KNOWN_SEGMENT_FLAGS, LIMITS, MAGIC, SIZES, expectMagic, isDisplayText, type SegmentClear } from './format.ts';

/** Bytes of one seek-index entry in the manifest: startMs, endMs, flags, digest. */
const MANIFEST_ENTRY_BYTES = 4 + 4 + 1 + SIZES.hash;

/** One segment as listed in the manifest. */
export interface ManifestEntry extends SegmentClear {
  /** The segment digest (REC11). */
  digest: Uint8Array;
}

/** A parsed manifest record. */
export interface ManifestRecord {
  headerHash: Uint8Array;
  endedAt: number;
  endReason: string;
  entries: ManifestEntry[];
  finalChain: Uint8Array;
  /** STREAM terminator: AES-GCM tag of the empty last chunk (REC17). */
  endTag: Uint8Array;
  signature: Uint8Array;
  bytes: Uint8Array;
  /** bytes[0, endTagOffset): the terminator's AAD after its context. */
  endTagOffset: number;
  /** bytes[0, signatureOffset): what the host signature covers. */
  signatureOffset: number;
}

/** Serialises a manifest up to (not including) the terminator tag. */
export function encodeManifestBody(m: Omit<ManifestRecord, 'endTag' | 'signature' | 'bytes' | 'endTagOffset' | 'signatureOffset'>): Uint8Array {
  const w = new ByteWriter(128 + m.entries.length * MANIFEST_ENTRY_BYTES);
  w.bytes(MAGIC.manifest).u8(FORMAT_VERSION).u8(1).bytes(m.headerHash).u32(m.entries.length).u64(m.endedAt).str16(m.endReason);
  for (const e of m.entries) w.u32(e.startMs).u32(e.endMs).u8(e.flags).bytes(e.digest);
  w.bytes(m.finalChain);
  return w.finish();
}

/** Parses and validates a manifest record; throws `format` / `unsupported_version`. No crypto. */
export function decodeManifest(bytes: Uint8Array): ManifestRecord {
  if (!(bytes instanceof Uint8Array)) throw RecordingError.format('manifest: not bytes');
  const r = new ByteReader(bytes, 'manifest');
  expectMagic(r, MAGIC.manifest, 'manifest');
  const version = r.u8('version');
  if (version !== FORMAT_VERSION) throw RecordingError.unsupportedVersion('manifest', version);
  if (r.u8('flags') !== 1) throw r.fail('flags (must say complete)');
  const headerHash = r.bytes(SIZES.hash, 'header hash');
  const count = r.u32('segment count');
  if (count > LIMITS.segments) throw r.fail('segment count out of range');
  const endedAt = r.u64('endedAt');
  const endReason = r.str16('end reason');
  if (!isDisplayText(endReason, 1)) throw r.fail('end reason');
  // The exact size is known now: refuse before reading `count` entries from a short record.
  if (r.remaining !== count * MANIFEST_ENTRY_BYTES + SIZES.hash + SIZES.tag + SIZES.signature) throw r.fail('length does not match the segment count');
  const entries: ManifestEntry[] = [];
  let previousEnd = 0;
  for (let index = 0; index < count; index++) {
    const startMs = r.u32('entry startMs');
    const endMs = r.u32('entry endMs');
    const flags = r.u8('entry flags');
    if (endMs < startMs || startMs < previousEnd) throw r.fail(`times of segment ${index}`);
    if ((flags & ~KNOWN_SEGMENT_FLAGS) !== 0) throw r.fail(`flags of segment ${index}`);
    previousEnd = endMs;
    entries.push({ index, startMs, endMs, flags, digest: r.bytes(SIZES.hash, 'entry digest') });
  }
  const finalChain = r.bytes(SIZES.hash, 'final chain value');
  const endTagOffset = r.offset;
  const endTag = r.bytes(SIZES.tag, 'end tag');
  const signatureOffset = r.offset;
  const signature = r.bytes(SIZES.signature, 'signature');
  r.end();
  return { headerHash, endedAt, endReason, entries, finalChain, endTag, signature, bytes, endTagOffset, signatureOffset };
}

/** What the host signs for a manifest: context, then the manifest up to the signature (REC16). */
export function manifestSignedMessage(signedPart: Uint8Array): Uint8Array {
  return concat(CONTEXT.manifestSignature, signedPart);
}

/** The AAD of the STREAM terminator: context, then the manifest up to the tag (REC17). */
export function manifestEndAad(tagged: Uint8Array): Uint8Array {
  return concat(CONTEXT.end, tagged);
}
