// session.setup_ms: the technician clicks Connect (code and PIN typed) -> the first frame is painted in Chromium.
import { round, summarize } from '../lib/stats.ts';
import { fromSamples } from '../lib/results.ts';
import { sleep } from '../lib/progress.ts';
import type { Scenario } from './types.ts';

/** Connects timed; one more untimed connect first warms up every process. */
const RUNS = 10;
/**
 * Extra connects while a clock in an xterm redraws the screen all the time. Not part of the metric:
 * they show how much of the setup time is waiting for the host to send a frame of a still screen.
 */
const MOVING_RUNS = 3;
/** Milliseconds between one session's end and the next Get help. */
const PAUSE_MS = 300;

export const sessionScenario: Scenario = async (ctx) => {
  const rig = await ctx.live();
  const painted: number[] = [];
  const presented: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const times = await rig.connect();
    await rig.disconnect();
    const ms = times.firstFrameAt! - times.clickAt!;
    if (times.visibility !== 'visible') throw new Error(`the technician's page was ${times.visibility}`);
    if (i === 0) {
      ctx.log(`session: warm-up connect ${ms.toFixed(0)} ms (not counted)`);
    } else {
      painted.push(ms);
      if (times.firstPresentedAt !== undefined) presented.push(times.firstPresentedAt - times.clickAt!);
      ctx.log(`session: run ${i}/${RUNS}: ${ms.toFixed(0)} ms`);
    }
    await sleep(PAUSE_MS);
  }
  const clock = rig.x.spawn('xterm', [
    '-title', 'wardlink-bench-clock',
    '-geometry', '30x3-40-40',
    '-e', 'sh', '-c', 'while :; do date +%T.%N; sleep 0.03; done',
  ]);
  const moving: number[] = [];
  try {
    await sleep(1_000);
    for (let i = 0; i < MOVING_RUNS; i++) {
      const times = await rig.connect();
      await rig.disconnect();
      moving.push(times.firstFrameAt! - times.clickAt!);
      await sleep(PAUSE_MS);
    }
  } finally {
    clock.kill('SIGTERM');
  }
  ctx.log(`session: with a clock redrawing the screen: ${moving.map((v) => v.toFixed(0)).join(', ')} ms (not counted)`);
  return {
    metrics: {
      'session.setup_ms': fromSamples('session.setup_ms', painted, {
        note:
          'click on Connect (code and PIN typed; CPace handshake; unattended host, so no consent wait) -> requestVideoFrameCallback ' +
          'of the first frame, both timed in the page; a new code from the ward page\'s Get help for each run; ' +
          'includes ffmpeg capture start-up on the host; 1 warm-up run not counted; the host screen is still (an ' +
          `xterm at a prompt); diagnostic, not counted: with a clock redrawing part of the screen every 30 ms, ` +
          `median ${round(summarize(moving).p50)} ms over ${MOVING_RUNS} connects`,
      }),
    },
    details: {
      paintedMs: painted.map((v) => round(v)),
      presentedMs: presented.map((v) => round(v)),
      movingScreenMs: moving.map((v) => round(v)),
    },
  };
};
