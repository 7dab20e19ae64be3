// recording.*: the host agent's screen recorder on the scripted office workload (issue 4 item 2).
// An XGA Xvfb display with openbox runs bench/workload (typing, paging, scrolling, a table in
// Chromium, window switches, idle gaps); ScreenRecorderEncoder records it as it would in a
// session, and every frame it grabs also goes, losslessly, into a reference file. Size is the
// encoded frames' bytes per hour of screen time; SSIM compares every reference frame with the
// recording's frame shown at that moment; CPU is the recorder's ffmpeg processes.
import { DEFAULT_PROFILE } from '../../host-agent/src/recording/encoder/EncoderProfile.ts';
import type { EncodedFrame } from '../../host-agent/src/recording/encoder/FrameEncoder.ts';
import { ScreenRecorderEncoder } from '../../host-agent/src/recording/encoder/ScreenRecorderEncoder.ts';
import type { RecorderStats, RecordingSegment, RecordingStream } from '../../host-agent/src/recording/encoder/types.ts';
import { startXDisplay } from '../../test/support/xdisplay.ts';
import { specOf, type MetricName } from '../catalogue.ts';
import { cpuSeconds, rssMiB } from '../lib/proc.ts';
import type { MetricResult } from '../lib/results.ts';
import { round, summarize } from '../lib/stats.ts';
import { seekDecodeTimes, type SeekDecodeTimes } from '../workload/decodeSpeed.ts';
import { OfficeWorkload, WORKLOAD_SCREEN } from '../workload/OfficeWorkload.ts';
import { measureSsim, type SsimResult } from '../workload/quality.ts';
import { ReferenceWriter } from '../workload/ReferenceWriter.ts';
import type { Scenario } from './types.ts';

/** Minutes of the workload (issue 4: 10); `--minutes` shortens it for development. */
export const RECORDING_MINUTES = 10;
/** Seed of the workload plan. */
const SEED = 1;
/** Milliseconds between CPU readings of the recorder's processes (encoders come and go at key frames). */
const CPU_POLL_MS = 500;

/** CPU seconds of processes that come and go, read often enough to lose little at their exit. */
class CpuTracker {
  private readonly last = new Map<number, { start: number; now: number }>();
  /** Largest resident memory seen of one process, and of all together, MiB. */
  maxRssMiB = 0;
  maxTotalRssMiB = 0;

  /** Reads every pid in `pids` (counted from 0: they are the recorder's own, born during the run). */
  poll(pids: readonly number[]): void {
    let total = 0;
    for (const pid of pids) {
      const now = cpuSeconds(pid);
      if (now === undefined) continue;
      const seen = this.last.get(pid);
      if (seen) seen.now = now;
      else this.last.set(pid, { start: 0, now });
      const rss = rssMiB(pid) ?? 0;
      this.maxRssMiB = Math.max(this.maxRssMiB, rss);
      total += rss;
    }
    this.maxTotalRssMiB = Math.max(this.maxTotalRssMiB, total);
  }

  /** CPU seconds used by all processes seen. */
  total(): number {
    let sum = 0;
    for (const { start, now } of this.last.values()) sum += now - start;
    return sum;
  }
}

/** What the run produced, before it becomes metrics. */
interface RecordingRun {
  minutes: number;
  stream: RecordingStream;
  stats: RecorderStats;
  frames: EncodedFrame[];
  segments: Array<{ startMs: number; endMs: number; frames: number; bytes: number }>;
  ssim: SsimResult;
  samples: number;
  /** Encoder CPU seconds per minute of screen time, each whole minute of the run. */
  cpuPerMinute: number[];
  /** Encoder CPU seconds over the whole run. */
  cpuTotal: number;
  /** Bytes per minute of screen time, each minute of the run. */
  bytesPerMinute: number[];
  decode: SeekDecodeTimes | { error: string };
  idleFraction: number;
  /** Largest resident memory of one recorder process and of all together, MiB. */
  rss: { process: number; total: number };
}

export const recordingScenario: Scenario = async (ctx) => {
  const minutes = ctx.minutes ?? RECORDING_MINUTES;
  const run = await recordWorkload(minutes, ctx.log);
  return outcome(run);
};

async function recordWorkload(minutes: number, log: (m: string) => void): Promise<RecordingRun> {
  const x = await startXDisplay({ ...WORKLOAD_SCREEN, wm: true });
  const workload = new OfficeWorkload(x, { minutes, seed: SEED, log });
  const reference = new ReferenceWriter(WORKLOAD_SCREEN.width, WORKLOAD_SCREEN.height);
  try {
    await workload.setUp();
    log(`recording: ${minutes} min workload on ${x.display} (${workload.plan.blocks.length} active blocks, ${Math.round(workload.plan.idleFraction * 100)}% planned idle), profile ${DEFAULT_PROFILE.name}`);
    const sampleOf = new Map<number, number>();
    const segments: RecordingSegment[] = [];
    let failure: Error | undefined;
    const rec = new ScreenRecorderEncoder(
      {
        display: x.display,
        tap: ({ t, frame }) => {
          sampleOf.set(t, reference.frames);
          reference.write(frame);
        },
      },
      { onSegment: (s) => segments.push(s), onError: (e) => (failure ??= e) },
    );
    const cpu = new CpuTracker();
    const cpuAtMinute: number[] = [];
    const poll = setInterval(() => cpu.poll(rec.pids), CPU_POLL_MS);
    const minuteTimer = setInterval(() => cpuAtMinute.push(cpu.total()), 60_000);
    let stream: RecordingStream;
    try {
      stream = await rec.start();
      await workload.run();
      cpu.poll(rec.pids);
      await rec.close();
    } finally {
      clearInterval(poll);
      clearInterval(minuteTimer);
    }
    if (failure) throw failure;
    cpuAtMinute.push(cpu.total());
    await reference.end();
    const stats = rec.stats;
    log(`recording: ${stats.frames} frames (${stats.keyFrames} key) of ${stats.samples} grabbed, ${(stats.bytes / 1000).toFixed(0)} KB; measuring SSIM`);
    const frames = segments.flatMap((s) => s.frames);
    const samples = reference.frames;
    const ssim = await measureSsim({
      reference: reference.file,
      samples,
      codec: DEFAULT_PROFILE.codec,
      width: stream.width,
      height: stream.height,
      frames: frames.map((f) => {
        const sample = sampleOf.get(f.t);
        if (sample === undefined) throw new Error(`frame at ${f.t} ms matches no grabbed frame`);
        return { sample, data: f.data };
      }),
    });
    log(`recording: SSIM mean ${ssim.mean.toFixed(5)}, worst ${ssim.worst.toFixed(4)}; timing decode from key frames in Chromium`);
    const decode = await seekDecodeTimes(stream, frames).catch((err: unknown) => ({ error: (err as Error).message }));
    const durationMs = segments.at(-1)?.endMs ?? minutes * 60_000;
    // Whole minutes only: a few seconds at the end would scale up to nonsense.
    const bytesPerMinute = Array.from({ length: Math.floor(durationMs / 60_000) }, (_, m) =>
      frames.filter((f) => Math.floor(f.t / 60_000) === m).reduce((sum, f) => sum + f.data.length, 0),
    );
    return {
      minutes: durationMs / 60_000,
      stream,
      stats,
      frames,
      segments: segments.map((s) => ({ startMs: s.startMs, endMs: s.endMs, frames: s.frames.length, bytes: s.frames.reduce((n, f) => n + f.data.length, 0) })),
      ssim,
      samples,
      cpuTotal: cpuAtMinute.at(-1) ?? 0,
      // The last reading (at close) may be a fraction of a minute: whole minutes only.
      cpuPerMinute: cpuAtMinute.slice(0, Math.floor(durationMs / 60_000)).map((c, i) => c - (cpuAtMinute[i - 1] ?? 0)),
      bytesPerMinute,
      decode,
      idleFraction: workload.plan.idleFraction,
      rss: { process: round(cpu.maxRssMiB), total: round(cpu.maxTotalRssMiB) },
    };
  } finally {
    await workload.close();
    reference.remove();
    await x.stop();
  }
}

function metric(name: MetricName, value: number, fields: Partial<MetricResult> & { note: string }): MetricResult {
  return { value, unit: specOf(name).unit, runs: 1, target: specOf(name).target, ...fields };
}

function outcome(run: RecordingRun): { metrics: Partial<Record<MetricName, MetricResult>>; details: unknown } {
  const hours = run.minutes / 60;
  const mbPerHour = run.stats.bytes / 1e6 / hours;
  const perMinuteMb = summarize(run.bytesPerMinute.map((b) => (b / 1e6) * 60));
  const cpuPct = summarize(run.cpuPerMinute.map((s) => (s / 60) * 100));
  const cpuTotalPct = (run.cpuTotal / (run.minutes * 60)) * 100;
  const sorted = [...run.ssim.perFrame].sort((a, b) => a - b);
  const p5 = sorted[Math.floor(sorted.length * 0.05)]!;
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const keys = run.frames.filter((f) => f.key);
  const nonEmpty = run.segments.filter((s) => s.frames > 0).length;
  const single = `one run of the ${round(run.minutes, 1)}-minute workload (a single run: it takes that long)`;
  const decode = 'error' in run.decode ? `decode timing failed: ${run.decode.error}` :
    `decoding a frame from its key frame in Chromium's VideoDecoder took p50 ${round(run.decode.perFrame.p50)} / p95 ${round(run.decode.perFrame.p95)} / max ${round(run.decode.perFrame.max)} ms ` +
    `(${round(run.decode.msPerFrame, 2)} ms per frame, longest run from a key frame ${run.decode.longestRun} frames)`;
  const setup =
    `${run.stream.codec} ${run.stream.width}x${run.stream.height}, profile ${DEFAULT_PROFILE.name} (${DEFAULT_PROFILE.args.join(' ')}), ` +
    `grabbed at 1 fps, unchanged frames dropped, key frames: the first, one at an idle moment once 60 frames followed the last, ` +
    `and re-keys (${run.stats.rekeyed}: inter frames far larger than a key frame, encoded again as one); bench/RECORDING-NOTES.md`;
  return {
    metrics: {
      'recording.mb_per_hour': metric('recording.mb_per_hour', round(mbPerHour, 2), {
        p50: round(perMinuteMb.p50, 2),
        p95: round(perMinuteMb.p95, 2),
        min: round(perMinuteMb.min, 2),
        max: round(perMinuteMb.max, 2),
        note:
          `${single}; encoded frame bytes (${run.stats.frames} frames of ${run.stats.samples} grabbed, ${keys.length} key frames ` +
          `= ${round(keys.reduce((n, f) => n + f.data.length, 0) / 1000, 1)} KB) per hour of screen time; p50/p95 and min-max are over ` +
          `one-minute windows. ${setup}. Segments of 5 s: ${run.segments.length}, ${nonEmpty} with frames; their framing and encryption ` +
          `are not counted. Workload ${Math.round(run.idleFraction * 100)}% planned idle (bench/workload). ${decode}`,
      }),
      'recording.ssim_mean': metric('recording.ssim_mean', round(run.ssim.mean, 5), {
        p50: round(median, 5),
        min: round(run.ssim.worst, 5),
        max: round(sorted.at(-1)!, 5),
        note:
          `${single}; luma SSIM (ffmpeg ssim) of each of the ${run.samples} grabbed frames (lossless reference) against the ` +
          `recording's frame shown at that moment, decoded with dav1d; p50 is the median frame, 5th percentile ${round(p5, 5)}`,
      }),
      'recording.ssim_worst': metric('recording.ssim_worst', round(run.ssim.worst, 5), {
        note: `${single}; the lowest per-frame luma SSIM, at ${run.ssim.worstAt} s of the workload`,
      }),
      'recording.cpu_pct': metric('recording.cpu_pct', round(cpuTotalPct, 1), {
        p50: round(cpuPct.p50, 1),
        p95: round(cpuPct.p95, 1),
        min: round(cpuPct.min, 1),
        max: round(cpuPct.max, 1),
        note:
          `${single}; the recorder's ffmpeg processes (x11grab + encoders), /proc utime+stime, average over the run ` +
          `(${round((cpuTotalPct / 100) * 60, 1)} CPU s per minute); p50/p95 and min-max over one-minute windows; the Node side ` +
          `(change detection, segmenting) is not included; longest from grab to encoded frame: key frame ${run.stats.maxKeyLagMs} ms, ` +
          `other ${run.stats.maxFrameLagMs} ms; largest resident memory ${run.rss.process} MiB for one process, ${run.rss.total} MiB together`,
      }),
    },
    details: {
      minutes: round(run.minutes, 2),
      stream: run.stream,
      profile: DEFAULT_PROFILE,
      stats: run.stats,
      rssMiB: run.rss,
      keyFrames: keys.map((f) => ({ t: f.t, bytes: f.data.length })),
      bytesPerMinute: run.bytesPerMinute,
      cpuSecondsPerMinute: run.cpuPerMinute.map((c) => round(c, 2)),
      ssimWorstFrames: run.ssim.perFrame
        .map((v, i) => ({ sample: i, ssim: round(v, 5) }))
        .sort((a, b) => a.ssim - b.ssim)
        .slice(0, 10),
      seekDecode: run.decode,
    },
  };
}
