// `node --import tsx bench/workload/experiment.ts --reference <capture.mkv> [--profile <name>]...
// [--key-after 60] [--max-key 180] [--idle-key-ms 2000] [--rekey factor,bytes,frames|off] [--fps 1] [--step 1]`: replays a lossless capture of
// the workload (bench/workload/main.ts --capture) through the recorder's encoder pipeline (change
// detection, key frame policy, one encoder process per key frame) with each named profile, and
// prints size, SSIM and encoder CPU. Offline and faster than real time; the numbers of
// bench/RECORDING-NOTES.md come from here and from the live `recording` scenario.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { FrameEncoder, type EncodedFrame } from '../../host-agent/src/recording/encoder/FrameEncoder.ts';
import { KeyPolicy, type KeyPolicyOptions } from '../../host-agent/src/recording/encoder/KeyPolicy.ts';
import type { EncoderProfile } from '../../host-agent/src/recording/encoder/EncoderProfile.ts';
import { EXPERIMENT_PROFILES } from './profiles.ts';
import { measureSsim, rawFrames, type RecordedFrame } from './quality.ts';

/** Seconds of CPU of this process's waited-for children (utime + stime of the reaped). */
function childrenCpuSeconds(): number {
  const text = readFileSync('/proc/self/stat', 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function processCpuSeconds(pid: number | undefined): number {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Size of the capture, from ffprobe. */
async function probe(file: string): Promise<{ width: number; height: number }> {
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file]);
    let s = '';
    p.stdout.on('data', (c: Buffer) => (s += c.toString()));
    p.on('close', (code) => (code === 0 ? resolve(s) : reject(new Error(`ffprobe ${file} failed`))));
  });
  const [width, height] = out.trim().split(',').map(Number);
  return { width: width!, height: height! };
}

/** What one configuration produced. */
export interface ExperimentResult {
  profile: string;
  samples: number;
  frames: number;
  keyFrames: number;
  bytes: number;
  mbPerHour: number;
  ssimMean: number;
  ssimWorst: number;
  worstAt: number;
  /** With step > 1: SSIM against every frame of the (denser) capture, not only the grabbed ones. */
  ssimAllMean: number;
  ssimAllWorst: number;
  /** Encoder CPU seconds per minute of screen time. */
  cpuSecondsPerMinute: number;
  /** Largest milliseconds from writing a frame to getting its packet, key frames and others. */
  maxKeyMs: number;
  maxFrameMs: number;
  /** Bytes of the key frames. */
  keyBytes: number;
  /** Inter frames encoded again as key frames, and their bytes as inter frames. */
  rekeyed: number;
  rekeyedBytes: number;
}

/**
 * Runs one profile over the capture. `step` takes every step-th frame (a 2 fps capture at step 2
 * is a 1 fps recording); the timeline then has one sample per kept frame.
 */
export async function runExperiment(reference: string, profile: EncoderProfile, policy: KeyPolicyOptions, step = 1, fps = 1): Promise<ExperimentResult> {
  const { width, height } = await probe(reference);
  const frameBytes = (width * height * 3) / 2;
  const source = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', reference, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const cpuBefore = childrenCpuSeconds();
  const keys = new KeyPolicy(policy);
  const frames: Array<RecordedFrame & { key: boolean }> = [];
  let encoder: FrameEncoder | undefined;
  let sourceCpu = 0;
  let samples = 0;
  let previous: Buffer | undefined;
  let keyBytes = 0;
  let maxKeyMs = 0;
  let maxFrameMs = 0;
  const bySample = new Map<number, number>();
  const writtenAt = new Map<number, number>();
  let failure: Error | undefined;
  let index = 0;
  let rekeyed = 0;
  let rekeyedBytes = 0;
  for await (const raw of rawFrames(source.stdout!, frameBytes)) {
    if (index++ % step !== 0) continue;
    const sample = samples++;
    const changed = !previous || !previous.equals(raw);
    previous = Buffer.from(raw);
    const at = (sample * 1000) / fps;
    const action = keys.decide(changed, at);
    if (action === 'skip') continue;
    const startEncoder = async (): Promise<FrameEncoder> => {
      await encoder?.end();
      return new FrameEncoder(
        { width, height, profile },
        {
          onFrame: (f: EncodedFrame) => {
            const s = bySample.get(f.t)!;
            const ms = performance.now() - writtenAt.get(s)!;
            if (f.key) {
              keyBytes += f.data.length;
              maxKeyMs = Math.max(maxKeyMs, ms);
              keys.keyEncoded(f.data.length);
            } else {
              maxFrameMs = Math.max(maxFrameMs, ms);
            }
            frames.push({ sample: s, data: f.data, key: f.key });
          },
          onError: (err) => (failure ??= err),
        },
      );
    };
    if (action === 'key' || !encoder) encoder = await startEncoder();
    bySample.set(at, sample);
    // One frame at a time, as live (where a frame comes at most once per interval): latency per frame.
    const encodeOne = async (): Promise<void> => {
      writtenAt.set(sample, performance.now());
      encoder!.encode(Buffer.from(raw), at);
      while (encoder!.backlog > 0 && !failure) await new Promise((r) => setTimeout(r, 2));
      if (failure) throw failure;
    };
    await encodeOne();
    const last = frames.at(-1)!;
    if (!last.key && keys.rekey(last.data.length, 0)) {
      // The same frame again, as the key frame of a new encoder; the inter frame is dropped.
      frames.pop();
      rekeyed++;
      rekeyedBytes += last.data.length;
      encoder.kill();
      encoder = await startEncoder();
      await encodeOne();
    }
  }
  sourceCpu = processCpuSeconds(source.pid);
  await encoder?.end();
  await new Promise((r) => (source.exitCode !== null ? r(undefined) : source.once('close', r)));
  if (failure) throw failure;
  const cpu = childrenCpuSeconds() - cpuBefore - sourceCpu;
  const minutes = samples / fps / 60;
  const ssim = await measureSsim({ reference, samples: index, codec: profile.codec, width, height, frames: frames.map((f) => ({ sample: f.sample * step, data: f.data })) });
  // With step > 1 the reference keeps every frame: compare only the kept ones.
  const kept = ssim.perFrame.filter((_, i) => i % step === 0);
  const bytes = frames.reduce((sum, f) => sum + f.data.length, 0);
  let worstAt = 0;
  kept.forEach((v, i) => {
    if (v < kept[worstAt]!) worstAt = i;
  });
  return {
    profile: profile.name,
    samples,
    frames: frames.length,
    keyFrames: frames.filter((f) => f.key).length,
    bytes,
    mbPerHour: (bytes / 1e6) * (60 / minutes),
    ssimMean: kept.reduce((a, b) => a + b, 0) / kept.length,
    ssimWorst: kept[worstAt]!,
    worstAt,
    ssimAllMean: ssim.mean,
    ssimAllWorst: ssim.worst,
    cpuSecondsPerMinute: cpu / minutes,
    maxKeyMs,
    maxFrameMs,
    keyBytes,
    rekeyed,
    rekeyedBytes,
  };
}

function parse(argv: string[]): { reference: string; profiles: string[]; policy: KeyPolicyOptions; step: number; fps: number } {
  let reference = '';
  let fps = 1;
  const profiles: string[] = [];
  const policy: KeyPolicyOptions = {};
  let step = 1;
  for (let i = 0; i < argv.length; i++) {
    const value = (): string => argv[++i] ?? '';
    const arg = argv[i];
    if (arg === '--reference') reference = value();
    else if (arg === '--profile') profiles.push(...value().split(','));
    else if (arg === '--key-after') policy.keyAfterFrames = Number(value());
    else if (arg === '--max-key') policy.maxKeyIntervalFrames = Number(value());
    else if (arg === '--idle-key-ms') policy.idleKeyMs = Number(value());
    else if (arg === '--rekey') {
      // factor,minBytes[,minFrames] or "off"
      const v = value();
      if (v === 'off') policy.rekey = false;
      else {
        const [factor, minBytes, minFrames] = v.split(',').map(Number);
        policy.rekey = { factor: factor!, minBytes: minBytes!, minFrames: minFrames ?? 5 };
      }
    }
    else if (arg === '--step') step = Number(value());
    else if (arg === '--fps') fps = Number(value());
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!reference) throw new Error('--reference <capture.mkv> is required');
  return { reference, profiles: profiles.length ? profiles : Object.keys(EXPERIMENT_PROFILES), policy, step, fps };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = parse(process.argv.slice(2));
  for (const name of args.profiles) {
    const profile = EXPERIMENT_PROFILES[name];
    if (!profile) throw new Error(`unknown profile ${name}; known: ${Object.keys(EXPERIMENT_PROFILES).join(', ')}`);
    const r = await runExperiment(args.reference, profile, args.policy, args.step, args.fps / args.step);
    const k = args.policy;
    console.log(
      `${name.padEnd(28)} ${args.fps / args.step} fps key ${k.keyAfterFrames ?? 60}/${k.maxKeyIntervalFrames ?? 180}/${k.rekey === false ? 'no re-key' : k.rekey ? `re-key ${k.rekey.factor},${k.rekey.minBytes},${k.rekey.minFrames}` : 're-key default'}  frames ${String(r.frames).padStart(4)} ` +
        `keys ${String(r.keyFrames).padStart(2)} (${(r.keyBytes / 1000).toFixed(0)} KB, ${r.rekeyed} re-keyed from ${(r.rekeyedBytes / 1000).toFixed(0)} KB)  ${(r.bytes / 1000).toFixed(1).padStart(7)} KB  ` +
        `${r.mbPerHour.toFixed(2).padStart(6)} MB/h  ssim ${r.ssimMean.toFixed(5)} / ${r.ssimWorst.toFixed(4)} (#${r.worstAt})  ` +
        (args.step > 1 ? `(all ${args.fps} fps: ${r.ssimAllMean.toFixed(5)} / ${r.ssimAllWorst.toFixed(4)})  ` : '') +
        `cpu ${r.cpuSecondsPerMinute.toFixed(1)} s/min  max ms key ${r.maxKeyMs.toFixed(0)} other ${r.maxFrameMs.toFixed(0)}`,
    );
  }
}
