// What the video scenario measures on a live session: the viewer's frame rates and bitrate and the
// host agent's CPU over a window, and how often the host screen really changes.
import { CpuWindow, TreeCpuWindow } from '../lib/proc.ts';
import { sleep } from '../lib/progress.ts';
import type { LiveRig, ProbeWindow } from './LiveRig.ts';
import type { FrameCounters, InboundVideo } from './probe.ts';

/** One window: frame rates in the viewer and CPU (% of one core) on the host. */
export interface WindowFigures {
  decodedFps: number;
  presentedFps: number;
  /** Frames that arrived complete (getStats framesReceived) per second. */
  receivedFps: number;
  /** Milliseconds of decoding per decoded frame. */
  decodeMs: number;
  /** Video bitrate received, kbit/s. */
  kbps: number;
  /** The host agent and every process it started (living or exited during the window). */
  totalPct: number;
  /** The agent's node process alone. */
  agentPct: number;
  /** Its live capture child (ffmpeg x11grab at 30 fps, `--capture ffmpeg`) alone; 0 without one. */
  ffmpegPct: number;
  /** The rest of the tree: the recorder's x11grab and encoders when the session is recorded. */
  otherPct: number;
  /** Smallest decoded frame during the window, e.g. "1280x800". */
  minSize: string;
  codec: string;
}

/** The processes whose CPU is measured. */
export interface HostPids {
  agent: number;
  /** The live capture's ffmpeg child with `--capture ffmpeg`; none with the default in-process capture. */
  ffmpeg: number | undefined;
}

/** One window of `ms` milliseconds: the viewer's frame counters and statistics, and host CPU from /proc. */
export async function measureWindow(rig: LiveRig, pids: HostPids, ms: number): Promise<WindowFigures> {
  const counters = (): Promise<FrameCounters> => rig.tech.evaluate(() => (window as unknown as ProbeWindow).__wlBench.counters());
  const inbound = async (): Promise<InboundVideo> => {
    const stats = await rig.tech.evaluate(() => (window as unknown as ProbeWindow).__wlBench.inboundVideo());
    if (!stats) throw new Error('the viewer has no inbound video statistics');
    return stats;
  };
  await rig.tech.evaluate(() => (window as unknown as ProbeWindow).__wlBench.resetMinSize());
  const s0 = await inbound();
  const c0 = await counters();
  const cpu = new CpuWindow(pids.ffmpeg === undefined ? [pids.agent] : [pids.agent, pids.ffmpeg]);
  const tree = new TreeCpuWindow(pids.agent);
  await sleep(ms);
  const c1 = await counters();
  const pct = cpu.read();
  const totalPct = tree.read();
  const s1 = await inbound();
  if (rig.ffmpegPid() !== pids.ffmpeg) throw new Error('the capture process changed during a window');
  const seconds = (c1.now - c0.now) / 1000;
  const agentPct = pct.get(pids.agent)!;
  const ffmpegPct = pids.ffmpeg === undefined ? 0 : pct.get(pids.ffmpeg)!;
  return {
    decodedFps: (c1.decoded - c0.decoded) / seconds,
    presentedFps: (c1.presented - c0.presented) / seconds,
    receivedFps: (s1.framesReceived - s0.framesReceived) / seconds,
    decodeMs: ((s1.totalDecodeTime - s0.totalDecodeTime) * 1000) / Math.max(1, s1.framesDecoded - s0.framesDecoded),
    kbps: ((s1.bytesReceived - s0.bytesReceived) * 8) / 1000 / seconds,
    totalPct,
    agentPct,
    ffmpegPct,
    // Read a moment apart from the two above: a small negative rest is rounding, not CPU.
    otherPct: Math.max(0, totalPct - agentPct - ffmpegPct),
    minSize: Number.isFinite(c1.minWidth) ? `${c1.minWidth}x${c1.minHeight}` : 'no frame',
    codec: s1.codec,
  };
}

/**
 * How often the screen really changes, per second: grabs it at 30 fps with a second ffmpeg for
 * `seconds` and counts frames whose MD5 differs from the previous one.
 */
export async function screenChangeRate(rig: LiveRig, seconds: number): Promise<number> {
  const out = await rig.x.run(
    'ffmpeg',
    [
      '-hide_banner', '-nostdin', '-loglevel', 'error',
      '-f', 'x11grab', '-framerate', '30', '-draw_mouse', '0', '-i', rig.x.display,
      '-t', String(seconds), '-f', 'framemd5', '-',
    ],
    { timeoutMs: 30_000 },
  );
  const hashes = out.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').at(-1)!.trim());
  return hashes.filter((h, i) => i > 0 && h !== hashes[i - 1]).length / seconds;
}
