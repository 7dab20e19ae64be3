// video.fps* and host.cpu_pct*: frames decoded in the viewer and the host agent's CPU, first with a
// session open on an idle screen, then while `ls -R /usr` floods a full-screen xterm, then while a
// long inventory page scrolls by itself in full-screen Chromium; once with the session recorded
// (the product's default) and once on an agent with `--recording off`.
import type { LiveRig, ProbeWindow } from '../live/LiveRig.ts';
import { measureWindow, screenChangeRate, type HostPids, type WindowFigures } from '../live/videoWindow.ts';
import { TreeCpuWindow } from '../lib/proc.ts';
import { sleep } from '../lib/progress.ts';
import { fromSamples, notApplicable, type MetricResult, type ScenarioOutcome } from '../lib/results.ts';
import { round, summarize } from '../lib/stats.ts';
import { ScrollingPage } from '../workload/ScrollingPage.ts';
import { stopChild } from '../workload/desktop.ts';
import type { Scenario } from './types.ts';

/** Measurement windows per phase, and their length in milliseconds. */
const WINDOWS = 3;
const WINDOW_MS = 10_000;
/** Milliseconds to let the idle phase settle before its first window. */
const IDLE_SETTLE_MS = 3_000;
/**
 * Milliseconds between starting a load (the flood, the scrolling page) and its first window, so the
 * sender's bandwidth estimate has left its start value. It still moves during the windows
 * (1.3-2.7 Mbit/s seen), and fps with it: the per-window bitrates are in the note.
 */
const BUSY_SETTLE_MS = 10_000;
/** Seconds of the screen-change probe. */
const PROBE_SECONDS = 5;

/** What one load (the flood, the scrolling page) gave. */
interface LoadFigures {
  windows: WindowFigures[];
  /** Screen changes per second under the load (a separate x11grab probe after the windows). */
  changesPerSecond: number;
  /** CPU (% of one core) of the load's own processes (xterm and `ls`, or the page's Chromium) over settling and windows. */
  loadPct: number;
}

/** What one recording mode gave. */
interface ModeFigures {
  idle: WindowFigures[];
  /** `ls -R /usr` flooding a full-screen xterm. */
  busy: LoadFigures;
  /** The inventory page scrolling by itself in full-screen Chromium. */
  scroll: LoadFigures;
  /** Recorder incidents the agent logged during the phases ("recorder stopped: session frozen" and the like). */
  recorderEvents: Incident[];
}

/** A recorder incident in the agent's log, in words, and the load running then (none: before the first). */
interface Incident {
  text: string;
  load?: string;
}

/** A load that keeps the host screen busy. */
interface ScreenLoad {
  /** Name in progress lines and recorder incidents. */
  name: string;
  /** Starts it on the rig's display; resolves to its process and a function that ends it. */
  start(rig: LiveRig): Promise<{ pid: number; stop: () => Promise<void> }>;
}

/** Epoch milliseconds at which a load started; recorder incidents are timed from it. */
interface LoadStart {
  name: string;
  at: number;
}

/** What the sessions of one mode share. */
interface ModeRun {
  rig: LiveRig;
  mode: string;
  log: (message: string) => void;
  /** Epoch milliseconds when the mode's first session began. */
  since: number;
  /** Filled as the loads start. */
  starts: LoadStart[];
}

/** One session of a mode: the processes whose CPU is measured. */
interface SessionRun extends ModeRun {
  pids: HostPids;
}

/** `ls -R /usr` in a loop in a full-screen xterm of small text: nearly every grab a new screen. */
const FLOOD: ScreenLoad = {
  name: 'flood',
  start: (rig) => {
    const xterm = rig.x.spawn('xterm', [
      '-title', 'wardlink-bench-flood',
      '-geometry', '180x62+0+0',
      '-fa', 'DejaVu Sans Mono', '-fs', '9',
      '-e', 'sh', '-c', 'while :; do ls -R /usr; done',
    ]);
    return Promise.resolve({ pid: xterm.pid ?? NaN, stop: () => stopChild(xterm) });
  },
};

/** The scrolling page: inventory rows, and pixels per second (3 per frame at 60 Hz). */
const SCROLL_PAGE = { rows: 3_000, pxPerSecond: 180 } as const;

/** The device inventory scrolling itself in full-screen Chromium (app mode, offline). */
const SCROLL: ScreenLoad = {
  name: 'scrolling page',
  start: async (rig) => {
    const page = await ScrollingPage.open(rig.x, SCROLL_PAGE);
    return { pid: page.pid ?? NaN, stop: () => page.close() };
  },
};

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

/**
 * Measures the idle screen and the flood in one session, then the scrolling page in another: a
 * session the recorder ended under the flood (SREC5) does not take the page's figures with it.
 */
async function measureMode(rig: LiveRig, mode: string, log: (m: string) => void): Promise<ModeFigures> {
  const run: ModeRun = { rig, mode, log, since: Date.now(), starts: [] };
  const [idle, busy] = await inSession(run, async (s) => {
    const idleWindows = await measurePhase(s, 'idle', IDLE_SETTLE_MS);
    return [idleWindows, await measureLoad(s, FLOOD)] as const;
  });
  const scroll = await inSession(run, (s) => measureLoad(s, SCROLL));
  const recorderEvents = recorderIncidents(rig.agentLog(), run.since, run.starts);
  if (recorderEvents.length) log(`video (${mode}): the agent logged ${texts(recorderEvents)}`);
  return { idle, busy, scroll, recorderEvents };
}

/** Opens a session, runs `body` in it and ends it; a failure names the recorder incidents logged so far. */
async function inSession<T>(run: ModeRun, body: (session: SessionRun) => Promise<T>): Promise<T> {
  const { rig } = run;
  await rig.connect();
  let result: T;
  try {
    await rig.video.evaluate((el) => (window as unknown as ProbeWindow).__wlBench.watch(el as HTMLVideoElement, null));
    // The default capture (DAMAGE) runs in the agent's own process; `--capture ffmpeg` has a child.
    result = await body({ ...run, pids: { agent: rig.agentPid, ffmpeg: rig.ffmpegPid() } });
  } catch (err) {
    // The session may be gone already: ending it must not hide why the mode failed.
    await rig.disconnect().catch(() => undefined);
    const events = recorderIncidents(rig.agentLog(), run.since, run.starts);
    if (!events.length) throw err;
    throw new Error(`${err instanceof Error ? err.message : String(err)} (the agent logged: ${texts(events)})`, { cause: err });
  }
  await rig.disconnect();
  return result;
}

/** Starts `load`, measures its windows after BUSY_SETTLE_MS and the screen's change rate, and ends it. */
async function measureLoad(run: SessionRun, load: ScreenLoad): Promise<LoadFigures> {
  const { pid, stop } = await load.start(run.rig);
  run.starts.push({ name: load.name, at: Date.now() });
  try {
    const cpu = new TreeCpuWindow(pid);
    const windows = await measurePhase(run, load.name, BUSY_SETTLE_MS);
    const loadPct = cpu.read();
    const changesPerSecond = await screenChangeRate(run.rig, PROBE_SECONDS);
    run.log(
      `video (${run.mode}): under the ${load.name} the screen changed ${changesPerSecond.toFixed(1)} times/s ` +
        `(separate ${PROBE_SECONDS} s ffmpeg probe); the ${load.name} itself used ${loadPct.toFixed(1)}% CPU`,
    );
    return { windows, changesPerSecond, loadPct };
  } finally {
    await stop();
  }
}

/** Waits `settleMs`, then measures WINDOWS windows, one progress line each. */
async function measurePhase(run: SessionRun, name: string, settleMs: number): Promise<WindowFigures[]> {
  await sleep(settleMs);
  const out: WindowFigures[] = [];
  for (let i = 0; i < WINDOWS; i++) {
    const w = await measureWindow(run.rig, run.pids, WINDOW_MS);
    out.push(w);
    run.log(
      `video (${run.mode}): ${name} window ${i + 1}/${WINDOWS}: ${w.decodedFps.toFixed(1)} fps decoded ` +
        `(${w.receivedFps.toFixed(1)} received, ${w.kbps.toFixed(0)} kbit/s), host agent ${w.totalPct.toFixed(1)}% ` +
        `(node ${w.agentPct.toFixed(1)}%, capture ffmpeg child ${w.ffmpegPct.toFixed(1)}%, other children ${w.otherPct.toFixed(1)}%), ` +
        `smallest frame ${w.minSize}`,
    );
  }
  return out;
}

/**
 * The recorder incidents in the agent's log since `since` (epoch ms), with their reasons, each
 * timed from and assigned to the latest load started before it (`starts`, in order).
 */
function recorderIncidents(agentLog: string, since: number, starts: readonly LoadStart[]): Incident[] {
  const out: Incident[] = [];
  for (const line of agentLog.split('\n')) {
    if (!line.startsWith('{') || !RECORDER_EVENTS.some((m) => line.includes(m))) continue;
    try {
      const entry = JSON.parse(line) as { time?: number; msg?: string; code?: string; reason?: string; err?: string };
      if ((entry.time ?? 0) < since) continue;
      const why = entry.code ?? entry.reason ?? entry.err;
      out.push(incident(`"${entry.msg}"${why ? ` (${why})` : ''}`, entry.time ?? since, since, starts));
    } catch {
      continue;
    }
  }
  return out;
}

/** The incident `what` at `at` (epoch ms), timed in words relative to the loads that had started. */
function incident(what: string, at: number, since: number, starts: readonly LoadStart[]): Incident {
  const seconds = (ms: number): number => Math.round(ms / 1000);
  const during = starts.findLast((s) => s.at <= at);
  if (during) return { text: `${what} ${seconds(at - during.at)} s into the ${during.name}`, load: during.name };
  const first = starts[0];
  const when = first ? `${seconds(first.at - at)} s before the ${first.name}` : `${seconds(at - since)} s into the session`;
  return { text: `${what} ${when}` };
}

/** The incidents' texts, in one line. */
function texts(list: readonly Incident[]): string {
  return list.map((i) => i.text).join('; ');
}

/** Median of `pick` over `windows`, rounded. */
function p50(windows: WindowFigures[], pick: (w: WindowFigures) => number, digits = 1): number {
  return round(summarize(windows.map(pick)).p50, digits);
}

const WINDOWS_TEXT = `${WINDOWS} windows of ${WINDOW_MS / 1000} s`;
const TREE =
  'the host agent\'s process tree (node with its in-process DAMAGE capture, and when recording the recorder\'s x11grab and the ' +
  'libaom encoders it starts per key frame, exited ones included), /proc utime+stime';
const FLOOD_TEXT = '`ls -R /usr` loops in a full-screen xterm';
const SCROLL_TEXT =
  `a ${SCROLL_PAGE.rows.toLocaleString('en')}-row device inventory scrolls itself (requestAnimationFrame, ` +
  `${SCROLL_PAGE.pxPerSecond} px/s) in full-screen Chromium (app mode, offline; in a session of its own, the flood's xterm closed)`;

/**
 * Ends a note: the recorder incidents of the mode during `load` (the flood's include those before
 * it), or that there were none.
 */
function incidents(m: ModeFigures, load: ScreenLoad): string {
  const during = m.recorderEvents.filter((i) => (i.load ?? FLOOD.name) === load.name);
  return during.length ? `; the agent logged ${texts(during)}` : '; the recorder kept up (no freeze logged)';
}

/** The host agent's CPU split into its parts (medians), for the recorded notes. */
function split(ws: WindowFigures[]): string {
  return (
    `node ${p50(ws, (w) => w.agentPct)}, live capture ffmpeg ${p50(ws, (w) => w.ffmpegPct)}, recorder (its x11grab and encoders) ` +
    `${p50(ws, (w) => w.otherPct)}`
  );
}

/** Note of a frame-rate metric: the recorded figures in detail, the live-only ones, and how often the screen changed. */
function fpsNote(load: string, began: string, recorded: LoadFigures, liveOnly: LoadFigures): string {
  const ws = recorded.windows;
  const lw = liveOnly.windows;
  const kbps = (windows: WindowFigures[]): string => windows.map((w) => Math.round(w.kbps)).join(' / ');
  return (
    `getVideoPlaybackQuality().totalVideoFrames per second in the viewer while ${load} at 1280x800, session recorded ` +
    `(as by default), ${WINDOWS_TEXT} starting ${BUSY_SETTLE_MS / 1000} s after ${began}; codec ${ws.at(-1)?.codec ?? 'unknown'}; ` +
    `smallest decoded frame ${[...new Set(ws.map((w) => w.minSize))].join(', ')}; frames received median ` +
    `${p50(ws, (w) => w.receivedFps)} fps at ${kbps(ws)} kbit/s per window, presented (requestVideoFrameCallback) ` +
    `${p50(ws, (w) => w.presentedFps)} fps, decode ${p50(ws, (w) => w.decodeMs)} ms/frame; live only (\`--recording off\`): ` +
    `${p50(lw, (w) => w.decodedFps)} fps decoded (${p50(lw, (w) => w.receivedFps)} received) at ${kbps(lw)} kbit/s; the screen ` +
    `itself changed ${round(recorded.changesPerSecond)} times/s (live only: ${round(liveOnly.changesPerSecond)}; separate ` +
    `${PROBE_SECONDS} s x11grab probe at 30 fps after the windows)`
  );
}

/** video.fps and video.fps.scroll. */
function fpsMetrics(liveOnly: ModeFigures, recorded: ModeFigures): ScenarioOutcome['metrics'] {
  const decoded = (load: LoadFigures): number[] => load.windows.map((w) => w.decodedFps);
  const pagePct = `the page's Chromium used ${round(recorded.scroll.loadPct)}% of a core (live only: ${round(liveOnly.scroll.loadPct)})`;
  return {
    'video.fps': fromSamples('video.fps', decoded(recorded.busy), {
      note: `${fpsNote(FLOOD_TEXT, 'the flood began', recorded.busy, liveOnly.busy)}${incidents(recorded, FLOOD)}`,
    }),
    'video.fps.scroll': fromSamples('video.fps.scroll', decoded(recorded.scroll), {
      note: `${fpsNote(SCROLL_TEXT, 'the page was painted', recorded.scroll, liveOnly.scroll)}; ${pagePct}${incidents(recorded, SCROLL)}`,
    }),
  };
}

/** The live capture's ffmpeg child alone (`--capture ffmpeg`); not applicable to the in-process default. */
function captureChild(name: 'host.cpu_pct.ffmpeg_idle' | 'host.cpu_pct.ffmpeg_busy', windows: WindowFigures[], what: string): MetricResult {
  if (windows.every((w) => w.ffmpegPct === 0)) {
    return notApplicable(name, 'the default capture (`--capture damage`) runs inside the agent\'s node process, which host.cpu_pct includes; this is the ffmpeg x11grab child of `--capture ffmpeg`');
  }
  return fromSamples(name, windows.map((w) => w.ffmpegPct), { note: `the live ffmpeg x11grab child alone, ${what}, live only` });
}

/** host.cpu_pct*. */
function cpuMetrics(liveOnly: ModeFigures, recorded: ModeFigures): ScenarioOutcome['metrics'] {
  const total = (ws: WindowFigures[]): number[] => ws.map((w) => w.totalPct);
  return {
    'host.cpu_pct': fromSamples('host.cpu_pct', total(liveOnly.idle), {
      note: `${TREE}; live only (\`--recording off\`), session open, screen idle, ${WINDOWS_TEXT}; with recording: host.cpu_pct.recording`,
    }),
    'host.cpu_pct.busy': fromSamples('host.cpu_pct.busy', total(liveOnly.busy.windows), {
      note: `the same while \`ls -R /usr\` floods the screen, ${WINDOWS_TEXT}; live only; with recording: host.cpu_pct.recording_busy`,
    }),
    'host.cpu_pct.scroll': fromSamples('host.cpu_pct.scroll', total(liveOnly.scroll.windows), {
      note:
        `the same while the inventory page scrolls (video.fps.scroll), ${WINDOWS_TEXT}; live only; medians: node ` +
        `${p50(liveOnly.scroll.windows, (w) => w.agentPct)}, live capture ffmpeg ${p50(liveOnly.scroll.windows, (w) => w.ffmpegPct)}; ` +
        'with recording: host.cpu_pct.recording_scroll',
    }),
    'host.cpu_pct.ffmpeg_idle': captureChild('host.cpu_pct.ffmpeg_idle', liveOnly.idle, 'screen idle'),
    'host.cpu_pct.ffmpeg_busy': captureChild('host.cpu_pct.ffmpeg_busy', liveOnly.busy.windows, 'screen flooded'),
    'host.cpu_pct.recording': fromSamples('host.cpu_pct.recording', total(recorded.idle), {
      note:
        `${TREE}; session open and recorded (the default), screen idle, ${WINDOWS_TEXT}; medians: ${split(recorded.idle)}; ` +
        `live only: host.cpu_pct`,
    }),
    'host.cpu_pct.recording_busy': fromSamples('host.cpu_pct.recording_busy', total(recorded.busy.windows), {
      note:
        `the same while \`ls -R /usr\` floods the screen (every grab a new full screen of small text, the recorder's worst ` +
        `case), ${WINDOWS_TEXT} from ${BUSY_SETTLE_MS / 1000} s into the flood; medians: ${split(recorded.busy.windows)}` +
        `${incidents(recorded, FLOOD)}; live only: host.cpu_pct.busy`,
    }),
    'host.cpu_pct.recording_scroll': fromSamples('host.cpu_pct.recording_scroll', total(recorded.scroll.windows), {
      note:
        `the same while the inventory page scrolls (video.fps.scroll), ${WINDOWS_TEXT} from ${BUSY_SETTLE_MS / 1000} s after ` +
        `it was painted; medians: ${split(recorded.scroll.windows)}${incidents(recorded, SCROLL)}; live only: host.cpu_pct.scroll`,
    }),
  };
}

function outcome(liveOnly: ModeFigures, recorded: ModeFigures): ScenarioOutcome {
  return {
    metrics: { ...fpsMetrics(liveOnly, recorded), ...cpuMetrics(liveOnly, recorded) },
    details: {
      codec: recorded.busy.windows.at(-1)?.codec ?? 'unknown',
      recorded: modeDetails(recorded),
      liveOnly: modeDetails(liveOnly),
    },
  };
}

function modeDetails(m: ModeFigures): Record<string, unknown> {
  const load = (l: LoadFigures): Record<string, unknown> => ({
    screenChangesPerSecond: round(l.changesPerSecond),
    loadCpuPct: round(l.loadPct),
    windows: l.windows.map(rounded),
  });
  return { recorderEvents: m.recorderEvents.map((i) => i.text), idle: m.idle.map(rounded), busy: load(m.busy), scroll: load(m.scroll) };
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
