/**
 * Loading a recording for playback (FORMAT.md REC19, REC20): open the header with the auditor key
 * and the enrolled host key, fetch every segment (a few at a time, reporting progress), verify
 * header, segments and manifest, then decrypt the verified prefix once to collect its events and
 * frame times. Only the decrypted segments the cache keeps stay in memory.
 */
import {
  RecordingError,
  inspectSegment,
  openRecording,
  verifyRecording,
  type RecordingInfo,
  type RecordingReader,
  type SegmentContent,
  type SegmentSummary,
} from '@wardlink/recordings';
import { ActivityIndex } from './activity.ts';
import { toAuditorKey, type PlayerAuditorKey } from './auditorKey.ts';
import { mapLimit } from './concurrency.ts';
import { PlayerError, PlayerErrorCode } from './errors.ts';
import type { RecordedEvent } from './events.ts';
import { FrameTable } from './FrameTable.ts';
import { readVerdict, type IntegrityVerdict } from './integrity.ts';
import { SegmentCache } from './SegmentCache.ts';
import type { RecordingSource } from './types.ts';

/** Options of {@link loadRecording}. */
export interface LoadOptions {
  /** Segments fetched at the same time. */
  concurrency?: number;
  /** Decrypted segments kept in memory. */
  cacheSize?: number;
  /** Called as segments arrive: `checked` of `total` fetched. */
  onProgress?(checked: number, total: number): void;
}

/** A recording ready to play. */
export interface LoadedRecording {
  /** Public metadata of the (verified) header. */
  info: RecordingInfo;
  /** What the verifier found, and how much may be played. */
  verdict: IntegrityVerdict;
  /** Seek index of the playable segments, in index order. */
  segments: SegmentSummary[];
  /** Frames of the playable segments. */
  frames: FrameTable;
  /** Events of the playable segments, in time order. */
  events: RecordedEvent[];
  /** Frame and event times. */
  activity: ActivityIndex;
  /** Milliseconds: the end of the last playable segment. */
  durationMs: number;
  /** Decrypted segments, loaded on demand. */
  cache: SegmentCache;
}

/**
 * Fetched at once by default: enough to keep a local broker busy without flooding it (with 4, an
 * hour of 5-second segments took ~8 s to fetch on the bench, almost all of the time to open).
 */
export const DEFAULT_CONCURRENCY = 8;
/**
 * Decrypted segments kept by default: more than a seek walks back to its key frame (up to ~24
 * segments seen on the bench), so nearby seeks reuse them.
 */
export const DEFAULT_CACHE_SIZE = 48;

/** Loads and verifies `source`; throws a {@link PlayerError} when nothing can be played. */
export async function loadRecording(source: RecordingSource, key: PlayerAuditorKey, options: LoadOptions = {}): Promise<LoadedRecording> {
  const reader = await openHeader(source, key);
  const total = source.segmentCount;
  let checked = 0;
  options.onProgress?.(0, total);
  const stored = await mapLimit(total, options.concurrency ?? DEFAULT_CONCURRENCY, async (index) => {
    let bytes: Uint8Array;
    try {
      bytes = await source.fetchSegment(index);
    } catch (err) {
      throw PlayerError.fetch(index, err);
    }
    options.onProgress?.(++checked, total);
    return bytes;
  });
  const report = await verifyRecording({ header: source.header, segments: stored, ...(source.manifest ? { manifest: source.manifest } : {}) }, source.hostPublicKey);
  let summaries = stored.slice(0, report.verifiedSegments).map((bytes) => inspectSegment(bytes));
  const verdict = readVerdict(report, (i) => summaries[i]!.endMs);
  if (verdict.status.state === 'failed') throw new PlayerError(PlayerErrorCode.HEADER, 'The recording header does not verify.');
  if (verdict.manifestUsable && source.manifest) {
    // Opening the manifest also pins every segment's digest in the reader (REC19).
    const manifest = await reader.openManifest(source.manifest).catch((err: unknown) => {
      throw new PlayerError(PlayerErrorCode.UNREADABLE, 'The manifest does not open with this key.', { cause: err });
    });
    summaries = manifest.segments.slice(0, verdict.playableSegments).map(({ hash: _hash, ...summary }) => summary);
  }
  // The verified ciphertext stays in memory (a few MB an hour at the recorder's rates), so a seek
  // decrypts what it needs again instead of fetching it again; only the decrypted copies are capped.
  const cache = new SegmentCache({
    capacity: options.cacheSize ?? DEFAULT_CACHE_SIZE,
    load: (index) => (stored[index] ? openStored(reader, stored[index], index) : fetchAndOpen(source, reader, index)),
  });
  const opened = await mapLimit(verdict.playableSegments, options.concurrency ?? DEFAULT_CONCURRENCY, (i) =>
    openStored(reader, stored[i]!, i).catch((err: unknown) => err as PlayerError),
  );
  // A segment that verified but does not decrypt (only the file key's holder can tell) ends playback there.
  const broken = opened.findIndex((c) => c instanceof PlayerError);
  const contents = (broken < 0 ? opened : opened.slice(0, broken)) as SegmentContent[];
  const finalVerdict = broken < 0 ? verdict : brokenAt(broken, summaries);
  summaries = summaries.slice(0, contents.length);
  const frames = new FrameTable();
  const events: RecordedEvent[] = [];
  contents.forEach((content, i) => {
    frames.addSegment(i, content.frames);
    for (const e of content.events) events.push({ ...e, segment: i });
  });
  // Keep the first segments decrypted: playback starts there.
  for (let i = contents.length - 1; i >= 0; i--) cache.put(i, contents[i]!);
  events.sort((a, b) => a.t - b.t);
  const activity = new ActivityIndex([...frames.allTimes(), ...events.map((e) => e.t)]);
  const durationMs = summaries.at(-1)?.endMs ?? 0;
  return { info: reader.info, verdict: finalVerdict, segments: summaries, frames, events, activity, durationMs, cache };
}

async function openHeader(source: RecordingSource, key: PlayerAuditorKey): Promise<RecordingReader> {
  try {
    return await openRecording(source.header, await toAuditorKey(key), { hostPublicKey: source.hostPublicKey });
  } catch (err) {
    if (err instanceof RecordingError && (err.code === 'not_recipient' || err.code === 'wrong_key')) {
      throw new PlayerError(PlayerErrorCode.NOT_RECIPIENT, 'This auditor key does not open the recording.', { cause: err });
    }
    if (err instanceof RecordingError && ['header', 'signature', 'format', 'unsupported_version'].includes(err.code)) {
      throw new PlayerError(PlayerErrorCode.HEADER, 'The recording header does not verify.', { cause: err });
    }
    throw new PlayerError(PlayerErrorCode.UNREADABLE, 'The recording could not be opened.', { cause: err });
  }
}

function brokenAt(index: number, summaries: SegmentSummary[]): IntegrityVerdict {
  const playableEndMs = index > 0 ? summaries[index - 1]!.endMs : 0;
  return { status: { state: 'tampered', segment: index, kind: 'tampered', playableEndMs }, playableSegments: index, manifestUsable: false };
}

async function openStored(reader: RecordingReader, bytes: Uint8Array, index: number): Promise<SegmentContent> {
  try {
    return await reader.openSegment(bytes, index);
  } catch (err) {
    throw new PlayerError(PlayerErrorCode.TAMPERED, `Segment ${index} does not decrypt.`, { segment: index, cause: err });
  }
}

async function fetchAndOpen(source: RecordingSource, reader: RecordingReader, index: number): Promise<SegmentContent> {
  let bytes: Uint8Array;
  try {
    bytes = await source.fetchSegment(index);
  } catch (err) {
    throw PlayerError.fetch(index, err);
  }
  return openStored(reader, bytes, index);
}
