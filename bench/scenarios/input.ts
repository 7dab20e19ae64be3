// input.latency_ms: a key typed in the viewer at an idle shell prompt -> the changed pixels decoded
// and painted in the viewer. Keys alternate between "x" and Backspace, so the prompt line, and with
// it the watched region, never moves. The session is recorded, as the product does by default: the
// recorder grabs the screen once a second and encodes each change beside the live stream.
import { run } from '../../test/support/processes.ts';
import type { LiveRig, ProbeWindow } from '../live/LiveRig.ts';
import { PROMPT_TITLE } from '../live/LiveRig.ts';
import type { InputSample, Region } from '../live/probe.ts';
import { sleep } from '../lib/progress.ts';
import { fromSamples, type ScenarioOutcome } from '../lib/results.ts';
import { round, summarize } from '../lib/stats.ts';
import type { Scenario } from './types.ts';

/** Key presses measured, after WARMUP unmeasured ones. */
const EVENTS = 200;
const WARMUP = 6;
/** Milliseconds to wait for the change of one key before counting it as missed. */
const EVENT_TIMEOUT_MS = 2_000;
/** Missed keys tolerated before the scenario gives up. */
const MAX_MISSES = 12;
/**
 * Milliseconds the watched region must stay still before the next key: the previous change has
 * been painted and the encoder has finished sharpening it (the host keeps sending frames for a
 * while after each change, so "no frames" never happens).
 */
const STABLE_MS = 250;
/** Milliseconds to wait for that at most. */
const STABLE_MAX_MS = 3_000;
/** Up to this many milliseconds of random extra wait, so keys do not lock onto the 30 fps capture clock. */
const JITTER_MS = 40;
/** Milliseconds the whole loop may take. */
const LOOP_BUDGET_MS = 180_000;
/** Pixels added around the calibrated change. */
const PADDING = 6;
/** A channel difference above this marks a pixel as changed in host screenshots (they are exact). */
const SHOT_THRESHOLD = 32;

type Shot = { width: number; height: number; data: Buffer };

/** The bounding box of pixels that differ between two screenshots, or undefined when none do. */
function diffBox(a: Shot, b: Shot): (Region & { count: number }) | undefined {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  let count = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const i = (y * a.width + x) * 4;
      const d = Math.max(Math.abs(a.data[i]! - b.data[i]!), Math.abs(a.data[i + 1]! - b.data[i + 1]!), Math.abs(a.data[i + 2]! - b.data[i + 2]!));
      if (d <= SHOT_THRESHOLD) continue;
      count++;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  return count ? { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1, count } : undefined;
}

/** Presses `key` in the viewer and waits until the host screen differs from `before`. */
async function pressAndSettle(rig: LiveRig, key: string, before: Shot): Promise<Shot> {
  await rig.tech.keyboard.press(key);
  for (const deadline = Date.now() + 5_000; Date.now() < deadline; ) {
    await sleep(100);
    const shot = await rig.x.screenshot();
    if (diffBox(before, shot)) {
      await sleep(300);
      return rig.x.screenshot();
    }
  }
  throw new Error(`pressing ${key} in the viewer changed nothing on the host screen`);
}

/**
 * Finds where typing shows: host screenshots before and after "x", then after Backspace, which
 * must restore the screen exactly (otherwise the alternation would drift).
 */
async function calibrate(rig: LiveRig): Promise<Region> {
  const geometry = await run('xdotool', ['search', '--name', PROMPT_TITLE, 'getwindowgeometry', '--shell'], { env: rig.x.env });
  const get = (k: string): number => Number(new RegExp(`^${k}=(\\d+)`, 'm').exec(geometry)?.[1]);
  const [wx, wy, ww, wh] = [get('X'), get('Y'), get('WIDTH'), get('HEIGHT')];
  if (![wx, wy, ww, wh].every(Number.isFinite)) throw new Error(`no xterm window titled ${PROMPT_TITLE}`);
  // Focus the xterm (and the viewer's keyboard) by clicking its lower part, away from the prompt.
  await rig.clickHost(Math.round(wx + ww / 2), Math.round(wy + wh * 0.8));
  await sleep(500);
  const before = await rig.x.screenshot();
  const typed = await pressAndSettle(rig, 'x', before);
  const box = diffBox(before, typed)!;
  const erased = await pressAndSettle(rig, 'Backspace', typed);
  const left = diffBox(before, erased);
  if (left) throw new Error(`Backspace did not restore the prompt (${left.count} pixels differ)`);
  const x = Math.max(0, box.x - PADDING);
  const y = Math.max(0, box.y - PADDING);
  return {
    x,
    y,
    width: Math.min(rig.x.width - x, box.width + 2 * PADDING),
    height: Math.min(rig.x.height - y, box.height + 2 * PADDING),
  };
}

/** Types the keys and collects the probe's samples. */
async function typeKeys(rig: LiveRig, log: (m: string) => void): Promise<{ samples: InputSample[]; misses: number; pressed: number }> {
  const tech = rig.tech;
  let misses = 0;
  let pressed = 0;
  const deadline = Date.now() + LOOP_BUDGET_MS;
  for (let i = 0; i < WARMUP + EVENTS && Date.now() < deadline; i++) {
    await tech.evaluate(([ms, max]) => (window as unknown as ProbeWindow).__wlBench.waitStable(ms, max), [STABLE_MS, STABLE_MAX_MS] as const);
    const before = await tech.evaluate(() => (window as unknown as ProbeWindow).__wlBench.samples().length);
    await sleep(Math.random() * JITTER_MS);
    await tech.keyboard.press(i % 2 === 0 ? 'x' : 'Backspace');
    pressed++;
    const count = await tech.evaluate(
      ([n, ms]) => (window as unknown as ProbeWindow).__wlBench.waitSamples(n, ms),
      [before + 1, EVENT_TIMEOUT_MS] as const,
    );
    if (count <= before && ++misses > MAX_MISSES) throw new Error(`${misses} key presses showed no change within ${EVENT_TIMEOUT_MS} ms`);
    if ((i + 1) % 60 === 0) log(`input: ${i + 1}/${WARMUP + EVENTS} keys`);
  }
  if (pressed < WARMUP + EVENTS) log(`input: time budget of ${LOOP_BUDGET_MS / 1000} s used up after ${pressed} keys`);
  const samples = (await tech.evaluate(() => (window as unknown as ProbeWindow).__wlBench.samples())).slice(WARMUP);
  return { samples, misses, pressed };
}

export const inputScenario: Scenario = async (ctx) => {
  const rig = await ctx.live({ recording: true });
  await rig.connect();
  try {
    const region = await calibrate(rig);
    ctx.log(`input: watching ${region.width}x${region.height} px at (${region.x}, ${region.y}) around the prompt`);
    await rig.video.evaluate((el, r) => (window as unknown as ProbeWindow).__wlBench.watch(el as HTMLVideoElement, r), region);
    const { samples, misses, pressed } = await typeKeys(rig, ctx.log);
    await rig.video.evaluate((el) => (window as unknown as ProbeWindow).__wlBench.watch(el as HTMLVideoElement, null));
    return outcome(region, samples, misses, pressed);
  } finally {
    await rig.disconnect();
  }
};

function outcome(region: Region, samples: InputSample[], misses: number, pressed: number): ScenarioOutcome {
  const painted = samples.map((s) => s.ms);
  const presented = summarize(samples.map((s) => s.presentedMs));
  const received = samples.flatMap((s) => (s.receivedMs !== undefined ? [s.receivedMs] : []));
  return {
    metrics: {
      'input.latency_ms': fromSamples('input.latency_ms', painted, {
        note:
          `keydown in the viewer (alternately "x" and Backspace at an idle sh prompt in an xterm, 1280x800; the session ` +
          `recorded, as by default) -> ` +
          `requestVideoFrameCallback of the first frame whose ${region.width}x${region.height} px region around the ` +
          `prompt changed, both timed in the page; ${WARMUP} warm-up keys not counted; ${misses} of ${pressed} keys ` +
          `missed (no change within ${EVENT_TIMEOUT_MS} ms); frame handed to the compositor p50 ${round(presented.p50)} ms` +
          (received.length ? `, its last packet received p50 ${round(summarize(received).p50)} ms` : ''),
      }),
    },
    details: {
      region,
      misses,
      paintedMs: painted.map((v) => round(v)),
      presentedMs: samples.map((s) => round(s.presentedMs)),
      receivedMs: received.map((v) => round(v)),
    },
  };
}
