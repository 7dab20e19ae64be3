// session.setup_ms: the technician clicks Connect (code and PIN typed) -> the first frame is painted
// in Chromium, with the session recorded as the product does by default (SREC1: nothing is granted
// before the recorder's first key frame, SREC2). session.setup_ms.unrecorded: the same on an agent
// with `--recording off`, so that the difference shows what recording costs at setup.
import { ScreenRecorderEncoder } from '../../host-agent/src/recording/encoder/ScreenRecorderEncoder.ts';
import { DamageGrab } from '../../host-agent/src/platform/x11/DamageGrab.ts';
import type { LiveRig } from '../live/LiveRig.ts';
import { round, summarize } from '../lib/stats.ts';
import { fromSamples } from '../lib/results.ts';
import { sleep } from '../lib/progress.ts';
import type { Scenario } from './types.ts';

/** Connects timed per recording mode; one more untimed connect first warms up every process. */
const RUNS = 10;
/**
 * Extra connects while a clock in an xterm redraws the screen all the time. Not part of the metric:
 * they show how much of the setup time is waiting for the host to send a frame of a still screen.
 */
const MOVING_RUNS = 3;
/** Milliseconds between one session's end and the next Get help. */
const PAUSE_MS = 300;
/** Milliseconds to wait for a recorded session's "recording started" log line. */
const RECORDER_LOG_WAIT_MS = 15_000;
/** Standalone starts of the recorder's encoder on the rig's screen (diagnostic, recorded mode only). */
const RECORDER_STARTS = 3;

/** What one recording mode gave. */
interface SetupSeries {
  /** Click -> first frame painted, per timed connect. */
  painted: number[];
  /** Click -> that frame handed to the compositor. */
  presented: number[];
  /** Click -> the agent logged "recording started" (first key frame encoded, header sealed); recorded mode only. */
  recorderStarted: number[];
  /** Click -> the agent logged "session live". */
  live: number[];
  /** Click -> first frame painted with a clock redrawing the screen (not counted). */
  moving: number[];
}

/** One standalone start of the recorder's encoder. */
interface RecorderStart {
  /** Milliseconds from start() to the first frame grabbed (ffmpeg x11grab starting up). */
  firstGrabMs: number;
  /** Milliseconds from start() to its promise resolving (first key frame encoded). */
  startMs: number;
  /** Milliseconds from the first grab to its key frame coming out of the encoder. */
  keyFrameMs: number;
  /** Bytes of that key frame. */
  keyFrameBytes: number;
}

export const sessionScenario: Scenario = async (ctx) => {
  // Unrecorded first: the recorded rig stays up for the input scenario, which follows.
  const unrecorded = await measureSetups(await ctx.live({ recording: false }), 'unrecorded', ctx.log);
  const rig = await ctx.live({ recording: true });
  const recorded = await measureSetups(rig, 'recorded', ctx.log);
  const starts: RecorderStart[] = [];
  for (let i = 0; i < RECORDER_STARTS; i++) starts.push(await startRecorderOnce(rig.x.display));
  const med = (values: number[]): number => round(summarize(values).p50, 0);
  const medOf = (pick: (s: RecorderStart) => number): number => med(starts.map(pick));
  ctx.log(
    `session: the recorder's encoder alone on this screen: first grab ${medOf((s) => s.firstGrabMs)} ms, ` +
      `key frame encoded ${medOf((s) => s.keyFrameMs)} ms later (${medOf((s) => s.keyFrameBytes)} bytes), start() ${medOf((s) => s.startMs)} ms`,
  );
  const common =
    'click on Connect (code and PIN typed; CPace handshake; unattended host, so no consent wait) -> requestVideoFrameCallback ' +
    'of the first frame, both timed in the page; a new code from the ward page\'s Get help for each run; includes the ' +
    'start of the live capture on the host (in process, DAMAGE); 1 warm-up run not counted; the host screen is still (an xterm at a prompt)';
  const moving = (s: SetupSeries): string =>
    `diagnostic, not counted: with a clock redrawing part of the screen every 30 ms, median ${med(s.moving)} ms over ${MOVING_RUNS} connects`;
  return {
    metrics: {
      'session.setup_ms': fromSamples('session.setup_ms', recorded.painted, {
        note:
          `${common}; the session is recorded, as by default (SREC1): the host grants nothing before the recorder's encoder ` +
          `holds its first grab (SREC2). Host agent log, click -> "recording started" (key frame encoded, header sealed; ` +
          `no longer waited for) median ${med(recorded.recorderStarted)} ms, ` +
          `-> "session live" ${med(recorded.live)} ms. The recorder's encoder started alone on the same screen ` +
          `(${RECORDER_STARTS} times): first frame grabbed after ${medOf((s) => s.firstGrabMs)} ms, its key frame ` +
          `(${medOf((s) => s.keyFrameBytes)} bytes) encoded ${medOf((s) => s.keyFrameMs)} ms later; unrecorded: ` +
          `session.setup_ms.unrecorded; ${moving(recorded)}`,
      }),
      'session.setup_ms.unrecorded': fromSamples('session.setup_ms.unrecorded', unrecorded.painted, {
        note: `${common}; host agent with \`--recording off\` (the live path alone; click -> "session live" median ${med(unrecorded.live)} ms); ${moving(unrecorded)}`,
      }),
    },
    details: { recorded: rounded(recorded), unrecorded: rounded(unrecorded), recorderStarts: starts },
  };
};

/** One warm-up connect, RUNS timed ones, then MOVING_RUNS with a clock on screen. */
async function measureSetups(rig: LiveRig, mode: string, log: (m: string) => void): Promise<SetupSeries> {
  const series: SetupSeries = { painted: [], presented: [], recorderStarted: [], live: [], moving: [] };
  for (let i = 0; i <= RUNS; i++) {
    const times = await rig.connect();
    const clickEpoch = (await rig.tech.evaluate(() => performance.timeOrigin)) + times.clickAt!;
    await rig.disconnect();
    const ms = times.firstFrameAt! - times.clickAt!;
    if (times.visibility !== 'visible') throw new Error(`the technician's page was ${times.visibility}`);
    if (i === 0) {
      log(`session (${mode}): warm-up connect ${ms.toFixed(0)} ms (not counted)`);
    } else {
      series.painted.push(ms);
      if (times.firstPresentedAt !== undefined) series.presented.push(times.firstPresentedAt - times.clickAt!);
      const host = await hostTimesOf(rig, clickEpoch);
      if (host.recorderStarted !== undefined) series.recorderStarted.push(host.recorderStarted);
      if (host.live !== undefined) series.live.push(host.live);
      const started = host.recorderStarted !== undefined ? `, recording started at ${host.recorderStarted} ms` : '';
      log(`session (${mode}): run ${i}/${RUNS}: ${ms.toFixed(0)} ms${started}`);
    }
    await sleep(PAUSE_MS);
  }
  if (rig.recording && series.recorderStarted.length < RUNS) {
    throw new Error(`the agent logged "recording started" for ${series.recorderStarted.length} of ${RUNS} recorded sessions`);
  }
  const clock = rig.x.spawn('xterm', [
    '-title', 'wardlink-bench-clock',
    '-geometry', '30x3-40-40',
    '-e', 'sh', '-c', 'while :; do date +%T.%N; sleep 0.03; done',
  ]);
  try {
    await sleep(1_000);
    for (let i = 0; i < MOVING_RUNS; i++) {
      const times = await rig.connect();
      await rig.disconnect();
      series.moving.push(times.firstFrameAt! - times.clickAt!);
      await sleep(PAUSE_MS);
    }
  } finally {
    clock.kill('SIGTERM');
  }
  log(`session (${mode}): with a clock redrawing the screen: ${series.moving.map((v) => v.toFixed(0)).join(', ')} ms (not counted)`);
  return series;
}

/**
 * hostTimes() of the agent's log; a recorded session is shown from the recorder's first grab on
 * (SREC2) and may end before "recording started" (its key frame encoded) is logged, so that line
 * is waited for, up to RECORDER_LOG_WAIT_MS.
 */
async function hostTimesOf(rig: LiveRig, clickEpoch: number): Promise<{ recorderStarted?: number; live?: number }> {
  const until = Date.now() + RECORDER_LOG_WAIT_MS;
  let host = hostTimes(rig.agentLog(), clickEpoch);
  while (rig.recording && host.recorderStarted === undefined && Date.now() < until) {
    await sleep(100);
    host = hostTimes(rig.agentLog(), clickEpoch);
  }
  return host;
}

/**
 * Milliseconds from the click (epoch ms) to the first "recording started" and "session live"
 * lines the agent logged after it (pino JSON lines carry epoch ms in `time`).
 */
function hostTimes(agentLog: string, clickEpoch: number): { recorderStarted?: number; live?: number } {
  const out: { recorderStarted?: number; live?: number } = {};
  for (const line of agentLog.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: { time?: number; msg?: string };
    try {
      entry = JSON.parse(line) as { time?: number; msg?: string };
    } catch {
      continue;
    }
    if (entry.time === undefined || entry.time < clickEpoch) continue;
    const ms = Math.round(entry.time - clickEpoch);
    if (entry.msg === 'recording started') out.recorderStarted ??= ms;
    else if (entry.msg === 'session live') out.live ??= ms;
  }
  return out;
}

/**
 * Starts the agent's own recorder encoder on `display` with no session around it and times its
 * start-up: what a recorded session waits for before anything is granted.
 */
async function startRecorderOnce(display: string): Promise<RecorderStart> {
  let firstGrabAt: number | undefined;
  const recorder = new ScreenRecorderEncoder(
    // As the agent records by default: grabbing in process (--capture damage).
    { display, grab: (o, e) => new DamageGrab(o, e), grabFps: 1, tap: () => (firstGrabAt ??= performance.now()) },
    { onSegment: () => undefined, onError: () => undefined },
  );
  const startedAt = performance.now();
  try {
    await recorder.start();
    const doneAt = performance.now();
    const stats = recorder.stats;
    return {
      firstGrabMs: round((firstGrabAt ?? doneAt) - startedAt, 0),
      startMs: round(doneAt - startedAt, 0),
      keyFrameMs: stats.maxKeyLagMs,
      keyFrameBytes: stats.bytes,
    };
  } finally {
    await recorder.close();
    await sleep(PAUSE_MS);
  }
}

function rounded(s: SetupSeries): Record<keyof SetupSeries, number[]> {
  return {
    painted: s.painted.map((v) => round(v)),
    presented: s.presented.map((v) => round(v)),
    recorderStarted: s.recorderStarted,
    live: s.live,
    moving: s.moving.map((v) => round(v)),
  };
}
