// SSIM of a recording against a lossless reference of the same grabbed frames: every reference
// frame is compared with the recording's frame shown at that moment (the last encoded frame
// grabbed at or before it), luma only, with ffmpeg's ssim filter.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/** An encoded frame of the recording and the reference frame (index) it was made from. */
export interface RecordedFrame {
  /** Index of the grabbed frame in the reference. */
  sample: number;
  data: Uint8Array;
}

/** Per-frame luma SSIM of a recording. */
export interface SsimResult {
  /** One value per reference frame, in order. */
  perFrame: number[];
  mean: number;
  worst: number;
  /** Index of the worst reference frame. */
  worstAt: number;
}

/** Reads fixed-size frames from a stream of raw video. */
export async function* rawFrames(stream: Readable, frameBytes: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let have = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    parts.push(chunk);
    have += chunk.length;
    if (have < frameBytes) continue;
    let all = Buffer.concat(parts, have);
    while (all.length >= frameBytes) {
      yield all.subarray(0, frameBytes);
      all = all.subarray(frameBytes);
    }
    parts = all.length ? [Buffer.from(all)] : [];
    have = all.length;
  }
}

/** Writes and waits for the pipe to take it (backpressure). */
export function writeAll(stream: Writable, data: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(data, (err) => (err ? reject(err) : resolve()));
  });
}

/** An IVF stream of `frames` (pts = sample index), the input of ffmpeg's decoders. */
export function ivfOf(codec: 'av1' | 'vp9', width: number, height: number, frames: readonly RecordedFrame[]): Buffer {
  const header = Buffer.alloc(32);
  header.write('DKIF', 0, 'ascii');
  header.writeUInt16LE(0, 4);
  header.writeUInt16LE(32, 6);
  header.write(codec === 'av1' ? 'AV01' : 'VP90', 8, 'ascii');
  header.writeUInt16LE(width, 12);
  header.writeUInt16LE(height, 14);
  header.writeUInt32LE(1, 16);
  header.writeUInt32LE(1, 20);
  header.writeUInt32LE(frames.length, 24);
  const parts: Buffer[] = [header];
  for (const f of frames) {
    const h = Buffer.alloc(12);
    h.writeUInt32LE(f.data.length, 0);
    h.writeBigUInt64LE(BigInt(f.sample), 4);
    parts.push(h, Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength));
  }
  return Buffer.concat(parts);
}

function ffmpeg(args: string[], stdio: Array<'pipe' | 'ignore' | 'inherit'>): ChildProcess {
  const child = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', ...args], { stdio });
  return child;
}

function exited(child: ChildProcess, what: string): Promise<void> {
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${what} failed (${code}): ${err.trim()}`))));
  });
}

/**
 * Decodes the recording (dav1d for AV1), lays it on the reference's timeline and returns the luma
 * SSIM of every reference frame. `reference` is a lossless file of all grabbed frames in order
 * (its timestamps are ignored: frame n is sample n).
 */
export async function measureSsim(options: {
  reference: string;
  /** Frames in the reference (the timeline's length). */
  samples: number;
  codec: 'av1' | 'vp9';
  width: number;
  height: number;
  frames: readonly RecordedFrame[];
}): Promise<SsimResult> {
  const { width, height, frames, samples } = options;
  if (!frames.length || frames[0]!.sample !== 0) throw new Error('the recording must start with the first reference frame');
  const frameBytes = (width * height * 3) / 2;
  const decoder = ffmpeg(
    [...(options.codec === 'av1' ? ['-c:v', 'libdav1d'] : []), '-f', 'ivf', '-i', 'pipe:0', '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1'],
    ['pipe', 'pipe', 'pipe'],
  );
  const decoded = exited(decoder, 'decoding the recording');
  decoder.stdin!.on('error', () => undefined);
  decoder.stdin!.end(ivfOf(options.codec, width, height, frames));
  const ssim = ffmpeg(
    [
      '-i', options.reference,
      '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-video_size', `${width}x${height}`, '-framerate', '1', '-i', 'pipe:0',
      '-lavfi', '[0:v]settb=1,setpts=N[ref];[1:v]settb=1,setpts=N[rec];[ref][rec]ssim=stats_file=-',
      '-fps_mode', 'passthrough', '-f', 'null', '-',
    ],
    ['pipe', 'pipe', 'pipe'],
  );
  const measured = exited(ssim, 'measuring SSIM');
  let stats = '';
  ssim.stdout!.on('data', (c: Buffer) => (stats += c.toString()));
  ssim.stdin!.on('error', () => undefined);

  const iterator = rawFrames(decoder.stdout!, frameBytes);
  let shown: Buffer | undefined;
  let next = 0;
  for (let i = 0; i < samples; i++) {
    while (next < frames.length && frames[next]!.sample <= i) {
      const r = await iterator.next();
      if (r.done) throw new Error(`the decoder gave ${next} frames, ${frames.length} were encoded`);
      shown = Buffer.from(r.value);
      next++;
    }
    await writeAll(ssim.stdin!, shown!);
  }
  ssim.stdin!.end();
  // Anything the decoder still writes must be read, or it never exits.
  for (let r = await iterator.next(); !r.done; r = await iterator.next()) next++;
  await Promise.all([decoded, measured]);
  if (next !== frames.length) throw new Error(`the decoder gave ${next} frames, ${frames.length} were encoded`);
  const perFrame = [...stats.matchAll(/^n:\d+ Y:([0-9.]+)/gm)].map((m) => Number(m[1]));
  if (perFrame.length !== samples) throw new Error(`ssim gave ${perFrame.length} values for ${samples} frames`);
  let worstAt = 0;
  perFrame.forEach((v, i) => {
    if (v < perFrame[worstAt]!) worstAt = i;
  });
  return { perFrame, mean: perFrame.reduce((a, b) => a + b, 0) / samples, worst: perFrame[worstAt]!, worstAt };
}
