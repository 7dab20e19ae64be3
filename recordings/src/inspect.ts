/**
 * Reading the clear metadata of records without any key and without checking signatures
 * (FORMAT.md REC4, REC19): for indexes, listings and seeking. Use `verifyRecording` or
 * `openRecording` before trusting what these return.
 */
import { toHex } from './bytes.ts';
import { decodeHeader } from './format.ts';
import { decodeManifest } from './manifest.ts';
import { manifestInfo } from './RecordingReader.ts';
import type { HeaderSummary, ManifestInfo } from './types.ts';

export { inspectSegment } from './format.ts';

/** The public metadata of a header (unverified). Throws `format` / `unsupported_version` on garbage. */
export function inspectHeader(header: Uint8Array): HeaderSummary {
  const record = decodeHeader(header);
  return {
    info: record.info,
    recipients: record.recipients.map((r) => r.keyId),
    hostPublicKey: record.hostPublicKey.slice(),
    headerHash: toHex(record.hash),
  };
}

/** The content of a manifest (unverified): segment count, end, seek index. */
export function inspectManifest(manifest: Uint8Array): ManifestInfo {
  const record = decodeManifest(manifest);
  return manifestInfo(record.entries, record.endedAt, record.endReason, record.finalChain);
}
