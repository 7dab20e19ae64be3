// video.fps and host.cpu_pct*: frames decoded in the viewer and the host agent's CPU, first with a
// session open on an idle screen, then while `ls -R /usr` floods a full-screen xterm; once with the
// session recorded (the product's default) and once on an agent with `--recording off`.
import type { LiveRig, ProbeWindow } from '../live/LiveRig.ts';
import type { FrameCounters, InboundVideo } from '../live/probe.ts';
import { CpuWindow, TreeCpuWindow } from '../lib/proc.ts';
import { sleep } from '../lib/progress.ts';
import { fromSamples, type ScenarioOutcome } from '../lib/results.ts';
import { round, summarize } from '../lib/stats.ts';
import type { Scenario } from './types.ts';

/** Measurement windows per phase, and their length in milliseconds. */
const WINDOWS = 3;
const WINDOW_MS = 10_000;
/** Milliseconds to let the idle phase settle before its first window. */
const IDLE_SETTLE_MS = 3_000;
/**
 * Milliseconds between starting the flood and the first busy window, so the sender's bandwidth
 * estimate has left its start value. It still moves during the windows (1.3-2.7 Mbit/s seen), and
 * fps with it: the per-window bitrates are in the note.
 */
const BUSY_SETTLE_MS = 10_000;
/** Seconds of the screen-change probe. */
const PROBE_SECONDS = 5;

/** One window: frame rates in the viewer and CPU (% of one core) on the host. */
interface WindowFigures {
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
  /** Its live capture child (ffmpeg x11grab at 30 fps) alone. */
  ffmpegPct: number;
  /** The rest of the tree: the recorder's x11grab and encoders when the session is recorded. */
  otherPct: number;
  /** Smallest decoded frame during the window, e.g. "1280x800". */
  minSize: string;
  codec: string;
}

/** The processes whose CPU is measured. */
interface HostPids {
  agent: number;
  ffmpeg: number;
}

/** What one recording mode gave. */
interface ModeFigures {
  idle: WindowFigures[];
  busy: WindowFigures[];
  /** Screen changes per second while flooded (a separate x11grab probe after the windows). */
  changesPerSecond: number;
  /** Recorder incidents the agent logged during the phases ("recorder stopped: session frozen" and the like). */
  recorderEvents: string[];
}

/** Log messages of the agent that mean the recorder stopped or came back (SREC5). */
const RECORDER_EVENTS = [
  'recorder stopped: session frozen',
  'recorder running again: session resumes',
  'recorder did not restart',
  'session ended: it cannot be recorded',
];

export const videoScenario: Scenario = async (ctx) => {
  // Recorded first: the input scenario before this one leaves the recorded rig running.
  const recorded = await measureMode(await ctx.live({ recording: true }), 'recorded', ctx.log);
  const liveOnly = await measureMode(await ctx.live({ recording: false }), 'live only', ctx.log);
  return outcome(liveOnly, recorded);
};

/** Opens a session, measures the idle and the flooded screen, and ends the session. */
async function measureMode(rig: LiveRig, mode: string, log: (m: string) => void): Promise<ModeFigures> {
  await rig.connect();
  const since = Date.now();
  /** Epoch ms when the flood started; incidents are timed from it. */
  let floodAt: number | undefined;
  try {
    await rig.video.evaluate((el) => (window as unknown as ProbeWindow).__wlBench.watch(el as HTMLVideoElement, null));
    const ffmpeg = rig.ffmpegPid();
    if (!ffmpeg) throw new Error('the host agent has no ffmpeg capture child during the session');
    const pids = { agent: rig.agentPid, ffmpeg };
    const phase = async (name: string, settleMs: number): Promise<WindowFigures[]> => {
      await sleep(settleMs);
      const out: WindowFigures[] = [];
      for (let i = 0; i < WINDOWS; i++) {
        const w = await measureWindow(rig, pids);
        out.push(w);
        log(
          `video (${mode}): ${name} window ${i + 1}/${WINDOWS}: ${w.decodedFps.toFixed(1)} fps decoded ` +
            `(${w.receivedFps.toFixed(1)} received, ${w.kbps.toFixed(0)} kbit/s), host agent ${w.totalPct.toFixed(1)}% ` +
            `(node ${w.agentPct.toFixed(1)}%, capture ffmpeg ${w.ffmpegPct.toFixed(1)}%, other children ${w.otherPct.toFixed(1)}%), ` +
            `smallest frame ${w.minSize}`,
        );
      }
      return out;
    };

    const idle = await phase('idle', IDLE_SETTLE_MS);
    const flood = rig.x.spawn('xterm', [
      '-title', 'wardlink-bench-flood',
      '-geometry', '180x62+0+0',
      '-fa', 'DejaVu Sans Mono', '-fs', '9',
      '-e', 'sh', '-c', 'while :; do ls -R /usr; done',
    ]);
    floodAt = Date.now();
    try {
      const busy = await phase('busy', BUSY_SETTLE_MS);
      const changesPerSecond = await screenChangeRate(rig);
      log(`video (${mode}): the flooded screen changed ${changesPerSecond.toFixed(1)} times/s (separate ${PROBE_SECONDS} s ffmpeg probe)`);
      const recorderEvents = recorderIncidents(rig.agentLog(), since, floodAt);
      if (recorderEvents.length) log(`video (${mode}): the agent logged ${recorderEvents.join('; ')}`);
      return { idle, busy, changesPerSecond, recorderEvents };
    } finally {
      flood.kill('SIGTERM');
    }
  } catch (err) {
    const events = recorderIncidents(rig.agentLog(), since, floodAt);
    if (!events.length) throw err;
    throw new Error(`${err instanceof Error ? err.message : String(err)} (the agent logged: ${events.join('; ')})`, { cause: err });
  } finally {
    await rig.disconnect();
  }
}

/**
 * The recorder incidents in the agent's log since `since` (epoch ms), with their reasons, timed
 * from the start of the flood (`floodAt`, epoch ms) once there was one.
 */
function recorderIncidents(agentLog: string, since: number, floodAt: number | undefined): string[] {
  const out: string[] = [];
  for (const line of agentLog.split('\n')) {
    if (!line.startsWith('{') || !RECORDER_EVENTS.some((m) => line.includes(m))) continue;
    try {
      const entry = JSON.parse(line) as { time?: number; msg?: string; code?: string; reason?: string; err?: string };
      if ((entry.time ?? 0) < since) continue;
      const why = entry.code ?? entry.reason ?? entry.err;
      const at = entry.time ?? since;
      const when =
        floodAt === undefined ? `${Math.round((at - since) / 1000)} s into the session` :
        at < floodAt ? `${Math.round((floodAt - at) / 1000)} s before the flood` :
        `${Math.round((at - floodAt) / 1000)} s into the flood`;
      out.push(`"${entry.msg}"${why ? ` (${why})` : ''} ${when}`);
    } catch {
      continue;
    }
  }
  return out;
}

/** One window of WINDOW_MS: the viewer's frame counters and statistics, and host CPU from /proc. */
async function measureWindow(rig: LiveRig, pids: HostPids): Promise<WindowFigures> {
  const counters = (): Promise<FrameCounters> => rig.tech.evaluate(() => (window as unknown as ProbeWindow).__wlBench.counters());
  const inbound = async (): Promise<InboundVideo> => {
    const stats = await rig.tech.evaluate(() => (window as unknown as ProbeWindow).__wlBench.inboundVideo());
    if (!stats) throw new Error('the viewer has no inbound video statistics');
    return stats;
  };
  await rig.tech.evaluate(() => (window as unknown as ProbeWindow).__wlBench.resetMinSize());
  const s0 = await inbound();
  const c0 = await counters();
  const cpu = new CpuWindow([pids.agent, pids.ffmpeg]);
  const tree = new TreeCpuWindow(pids.agent);
  await sleep(WINDOW_MS);
  const c1 = await counters();
  const pct = cpu.read();
  const totalPct = tree.read();
  const s1 = await inbound();
  if (rig.ffmpegPid() !== pids.ffmpeg) throw new Error('the capture process changed during a window');
  const seconds = (c1.now - c0.now) / 1000;
  const agentPct = pct.get(pids.agent)!;
  const ffmpegPct = pct.get(pids.ffmpeg)!;
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
 * How often the screen really changes, per second: grabs it at 30 fps with a second ffmpeg for a
 * few seconds and counts frames whose MD5 differs from the previous one.
 */
async function screenChangeRate(rig: LiveRig): Promise<number> {
  const out = await rig.x.run(
    'ffmpeg',
    [
      '-hide_banner', '-nostdin', '-loglevel', 'error',
      '-f', 'x11grab', '-framerate', '30', '-draw_mouse', '0', '-i', rig.x.display,
      '-t', String(PROBE_SECONDS), '-f', 'framemd5', '-',
    ],
    { timeoutMs: 30_000 },
  );
  const hashes = out.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').at(-1)!.trim());
  return hashes.filter((h, i) => i > 0 && h !== hashes[i - 1]).length / PROBE_SECONDS;
}

function outcome(liveOnly: ModeFigures, recorded: ModeFigures): ScenarioOutcome {
  const p50 = (windows: WindowFigures[], pick: (w: WindowFigures) => number, digits = 1): number =>
    round(summarize(windows.map(pick)).p50, digits);
  const windows = `${WINDOWS} windows of ${WINDOW_MS / 1000} s`;
  const total = (w: WindowFigures): number => w.totalPct;
  const { busy } = recorded;
  const sizes = [...new Set(busy.map((w) => w.minSize))].join(', ');
  const codec = busy.at(-1)?.codec ?? 'unknown';
  const incidents = (m: ModeFigures): string =>
    m.recorderEvents.length ? `; the agent logged ${m.recorderEvents.join('; ')}` : '; the recorder kept up (no freeze logged)';
  const split = (ws: WindowFigures[]): string =>
    `node ${p50(ws, (w) => w.agentPct)}, live capture ffmpeg ${p50(ws, (w) => w.ffmpegPct)}, recorder (its x11grab and encoders) ` +
    `${p50(ws, (w) => w.otherPct)}`;
  const tree =
    'the host agent\'s process tree (node, its live capture ffmpeg, and when recording the recorder\'s 1 fps x11grab and the ' +
    'libaom encoders it starts per key frame, exited ones included), /proc utime+stime';
  return {
    metrics: {
      'video.fps': fromSamples('video.fps', busy.map((w) => w.decodedFps), {
        note:
          `getVideoPlaybackQuality().totalVideoFrames per second in the viewer while \`ls -R /usr\` loops in a ` +
          `full-screen xterm at 1280x800, session recorded (as by default), ${windows} starting ${BUSY_SETTLE_MS / 1000} s ` +
          `after the flood began; codec ${codec}; smallest decoded frame ${sizes}; frames received median ` +
          `${p50(busy, (w) => w.receivedFps)} fps at ${busy.map((w) => Math.round(w.kbps)).join(' / ')} kbit/s per window, ` +
          `presented (requestVideoFrameCallback) ${p50(busy, (w) => w.presentedFps)} fps, decode ${p50(busy, (w) => w.decodeMs)} ms/frame; ` +
          `live only (\`--recording off\`): ${p50(liveOnly.busy, (w) => w.decodedFps)} fps decoded at ` +
          `${liveOnly.busy.map((w) => Math.round(w.kbps)).join(' / ')} kbit/s; the flooded screen itself changed ` +
          `${round(recorded.changesPerSecond)} times/s (separate ${PROBE_SECONDS} s x11grab probe at 30 fps after the windows)` +
          `${incidents(recorded)}; the scrolling-browser-page workload of the issue is not measured yet`,
      }),
      'host.cpu_pct': fromSamples('host.cpu_pct', liveOnly.idle.map(total), {
        note: `${tree}; live only (\`--recording off\`), session open, screen idle, ${windows}; with recording: host.cpu_pct.recording`,
      }),
      'host.cpu_pct.busy': fromSamples('host.cpu_pct.busy', liveOnly.busy.map(total), {
        note: `the same while \`ls -R /usr\` floods the screen, ${windows}; live only; with recording: host.cpu_pct.recording_busy`,
      }),
      'host.cpu_pct.ffmpeg_idle': fromSamples('host.cpu_pct.ffmpeg_idle', liveOnly.idle.map((w) => w.ffmpegPct), {
        note: 'the live ffmpeg x11grab child alone, screen idle, live only',
      }),
      'host.cpu_pct.ffmpeg_busy': fromSamples('host.cpu_pct.ffmpeg_busy', liveOnly.busy.map((w) => w.ffmpegPct), {
        note: 'the live ffmpeg x11grab child alone, screen flooded, live only',
      }),
      'host.cpu_pct.recording': fromSamples('host.cpu_pct.recording', recorded.idle.map(total), {
        note:
          `${tree}; session open and recorded (the default), screen idle, ${windows}; medians: ${split(recorded.idle)}; ` +
          `live only: host.cpu_pct`,
      }),
      'host.cpu_pct.recording_busy': fromSamples('host.cpu_pct.recording_busy', busy.map(total), {
        note:
          `the same while \`ls -R /usr\` floods the screen (every grab a new full screen of small text, the recorder's worst ` +
          `case), ${windows} from ${BUSY_SETTLE_MS / 1000} s into the flood; medians: ${split(busy)}` +
          `${incidents(recorded)}; live only: host.cpu_pct.busy`,
      }),
    },
    details: {
      codec,
      recorded: modeDetails(recorded),
      liveOnly: modeDetails(liveOnly),
    },
  };
}

function modeDetails(m: ModeFigures): Record<string, unknown> {
  return {
    screenChangesPerSecond: round(m.changesPerSecond),
    recorderEvents: m.recorderEvents,
    idle: m.idle.map(rounded),
    busy: m.busy.map(rounded),
  };
}

function rounded(w: WindowFigures): WindowFigures {
  return {
    ...w,
    decodedFps: round(w.decodedFps),
    presentedFps: round(w.presentedFps),
    receivedFps: round(w.receivedFps),
    decodeMs: round(w.decodeMs, 2),
    kbps: round(w.kbps, 0),
    totalPct: round(w.totalPct),
    agentPct: round(w.agentPct),
    ffmpegPct: round(w.ffmpegPct),
    otherPct: round(w.otherPct),
  };
}
