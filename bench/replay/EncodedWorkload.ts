// The seeded office workload (bench/workload) as the real recorder encodes it: ScreenRecorderEncoder
// with its default profile records the workload on an XGA Xvfb display, exactly as the recording
// scenario does (without the lossless reference). The encoded segments are kept in a cache file
// under bench/out/ (ignored by git), so later runs skip the minutes of screen time; the file name
// carries the seed, the length and a hash of the encoder profile, so a changed encoder makes a new one.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PROFILE } from '../../host-agent/src/recording/encoder/EncoderProfile.ts';
import { ScreenRecorderEncoder } from '../../host-agent/src/recording/encoder/ScreenRecorderEncoder.ts';
import type { RecorderStats, RecordingSegment, RecordingStream } from '../../host-agent/src/recording/encoder/types.ts';
import { startXDisplay } from '../../test/support/xdisplay.ts';
import { OfficeWorkload, WORKLOAD_SCREEN } from '../workload/OfficeWorkload.ts';

/** Options of {@link encodedWorkload}. */
export interface EncodedWorkloadOptions {
  /** Seed of the workload plan. */
  seed: number;
  /** Minutes of the workload. */
  minutes: number;
  /** Folder of the cache file (created if missing). */
  cacheDir: string;
  log(message: string): void;
}

/** The workload's recording before sealing: what ScreenRecorderEncoder handed out. */
export interface EncodedWorkload {
  seed: number;
  minutes: number;
  /** Encoder profile name. */
  profile: string;
  stream: RecordingStream;
  stats: RecorderStats;
  /**
   * Milliseconds on the recorder's clock at which the workload's plan started (its blocks' `atMs`
   * count from here): the time the recorder took to produce its first frame.
   */
  planStartMs: number;
  /** Every segment the encoder emitted, in order (empty ones too), from 0 to the end. */
  segments: RecordingSegment[];
  /** ISO 8601: when the workload was recorded. */
  recordedAt: string;
  /** True when it came from the cache file. */
  cached: boolean;
  /** The cache file, relative to the repository root's bench/out (for notes). */
  cacheFile: string;
}

/** Bumped when the cache file's layout changes. */
const CACHE_VERSION = 1;

/** The encoded workload, from the cache or recorded now (taking `minutes` of screen time). */
export async function encodedWorkload(options: EncodedWorkloadOptions): Promise<EncodedWorkload> {
  const profileHash = createHash('sha256').update(JSON.stringify(DEFAULT_PROFILE)).digest('hex').slice(0, 12);
  const name = `workload-v${CACHE_VERSION}-seed${options.seed}-${options.minutes}min-${DEFAULT_PROFILE.name}-${profileHash}.bin`;
  const file = join(options.cacheDir, name);
  if (existsSync(file)) {
    try {
      return { ...decode(readFileSync(file)), cached: true, cacheFile: name };
    } catch (err) {
      options.log(`replay: cache file ${name} unreadable (${(err as Error).message}); recording again`);
    }
  }
  const recorded = await record(options);
  mkdirSync(options.cacheDir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, encode(recorded));
  renameSync(temporary, file);
  return { ...recorded, cached: false, cacheFile: name };
}

type Recorded = Omit<EncodedWorkload, 'cached' | 'cacheFile'>;

async function record(options: EncodedWorkloadOptions): Promise<Recorded> {
  const { seed, minutes, log } = options;
  const x = await startXDisplay({ ...WORKLOAD_SCREEN, wm: true });
  const workload = new OfficeWorkload(x, { minutes, seed, log });
  try {
    await workload.setUp();
    log(`replay: recording the ${minutes}-minute workload (seed ${seed}) with ScreenRecorderEncoder, profile ${DEFAULT_PROFILE.name}, on ${x.display}`);
    const segments: RecordingSegment[] = [];
    let failure: Error | undefined;
    const rec = new ScreenRecorderEncoder({ display: x.display }, { onSegment: (s) => segments.push(s), onError: (e) => (failure ??= e) });
    const origin = performance.now();
    const stream = await rec.start();
    const planStartMs = Math.round(performance.now() - origin);
    try {
      await workload.run();
    } finally {
      await rec.close();
    }
    if (failure) throw failure;
    log(`replay: ${rec.stats.frames} frames (${rec.stats.keyFrames} key), ${(rec.stats.bytes / 1000).toFixed(0)} KB in ${segments.length} segments`);
    return { seed, minutes, profile: DEFAULT_PROFILE.name, stream, stats: rec.stats, planStartMs, segments, recordedAt: new Date().toISOString() };
  } finally {
    await workload.close();
    await x.stop();
  }
}

/** Metadata as JSON (frames without their bytes), then every frame's bytes in order. */
function encode(w: Recorded): Buffer {
  const meta = {
    version: CACHE_VERSION,
    ...w,
    segments: w.segments.map((s) => ({ ...s, frames: s.frames.map((f) => ({ t: f.t, key: f.key, length: f.data.length })) })),
  };
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(json.length);
  return Buffer.concat([size, json, ...w.segments.flatMap((s) => s.frames.map((f) => f.data))]);
}

function decode(bytes: Buffer): Recorded {
  const size = bytes.readUInt32BE(0);
  type Meta = Omit<Recorded, 'segments'> & {
    version: number;
    segments: Array<Omit<RecordingSegment, 'frames'> & { frames: Array<{ t: number; key: boolean; length: number }> }>;
  };
  const meta = JSON.parse(bytes.subarray(4, 4 + size).toString('utf8')) as Meta;
  if (meta.version !== CACHE_VERSION) throw new Error(`cache version ${meta.version}`);
  let at = 4 + size;
  const segments = meta.segments.map((s) => ({
    ...s,
    frames: s.frames.map((f) => {
      const data = new Uint8Array(bytes.subarray(at, at + f.length));
      at += f.length;
      if (data.length !== f.length) throw new Error('truncated');
      return { t: f.t, key: f.key, data };
    }),
  }));
  if (at !== bytes.length) throw new Error('trailing bytes');
  const { version: _version, ...rest } = meta;
  return { ...rest, segments };
}
