import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startXDisplay, type XDisplay } from '../../../../test/support/xdisplay.ts';
import { DamageGrab } from '../../platform/x11/DamageGrab.ts';
import type { RecorderError } from './errors.ts';
import { ScreenRecorderEncoder, type ScreenRecorderEncoderOptions } from './ScreenRecorderEncoder.ts';
import type { RecordingSegment } from './types.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A recorder on `x` that collects what it reports. */
function recorder(x: XDisplay, options: Partial<ScreenRecorderEncoderOptions> = {}): {
  rec: ScreenRecorderEncoder;
  segments: RecordingSegment[];
  errors: RecorderError[];
  frames: () => RecordingSegment['frames'];
  errorAt: Promise<number>;
  /** What onPressure reported, in order. */
  pressure: boolean[];
  /** performance.now() of onRecording, if it came. */
  recordingAt: () => number | undefined;
} {
  const segments: RecordingSegment[] = [];
  const errors: RecorderError[] = [];
  let reported: (at: number) => void = () => undefined;
  const errorAt = new Promise<number>((resolve) => (reported = resolve));
  let recordingAt: number | undefined;
  const pressure: boolean[] = [];
  const rec = new ScreenRecorderEncoder(
    { display: x.display, segmentMs: 1000, ...options },
    {
      onSegment: (s) => segments.push(s),
      onError: (e) => {
        errors.push(e);
        reported(performance.now());
      },
      onRecording: () => (recordingAt ??= performance.now()),
      onPressure: (on) => pressure.push(on),
    },
  );
  return { rec, segments, errors, frames: () => segments.flatMap((s) => s.frames), errorAt, pressure, recordingAt: () => recordingAt };
}

describe('ScreenRecorderEncoder (Xvfb)', () => {
  let x: XDisplay;

  before(async () => {
    x = await startXDisplay({ width: 640, height: 480 });
    await x.run('xsetroot', ['-solid', '#204060']);
  });

  after(() => x.stop());

  it('starts with a key frame and emits contiguous segments', async () => {
    const r = recorder(x, { fps: 2 });
    const startsAt = performance.now();
    const stream = await r.rec.start();
    const startedAt = performance.now();
    const recordingAt = r.recordingAt();
    assert.ok(recordingAt !== undefined && recordingAt >= startsAt, 'onRecording came during start()');
    // The key frame takes a spawned encoder and an encode: never within the same millisecond.
    assert.ok(recordingAt < startedAt, 'onRecording (first grab inside the encoder) comes before start() resolves');
    assert.deepEqual({ width: stream.width, height: stream.height }, { width: 640, height: 480 });
    assert.match(stream.codec, /^av01\.0\.\d\dM\.08$/);
    await sleep(3500);
    await r.rec.close();
    assert.deepEqual(r.errors, []);
    assert.ok(r.segments.length >= 3, `${r.segments.length} segments`);
    assert.equal(r.segments[0]!.startMs, 0);
    for (let i = 1; i < r.segments.length; i++) assert.equal(r.segments[i]!.startMs, r.segments[i - 1]!.endMs);
    for (const s of r.segments) for (const f of s.frames) assert.ok(f.t >= s.startMs && f.t < s.endMs, `frame at ${f.t} in ${s.startMs}-${s.endMs}`);
    const frames = r.frames();
    assert.equal(frames[0]?.key, true);
    assert.ok(frames[0]!.t < 1000, `first frame grabbed at ${frames[0]!.t} ms`);
  });

  it('encodes (almost) nothing while the screen is idle', async () => {
    const r = recorder(x, { fps: 2 });
    await r.rec.start();
    await sleep(5000);
    await r.rec.close();
    assert.equal(r.rec.stats.samples >= 8, true, `${r.rec.stats.samples} samples`);
    assert.ok(r.frames().length <= 2, `${r.frames().length} frames for an idle screen`);
  });

  it('encodes changes, and makes a key frame from the still screen once one is due', async () => {
    const r = recorder(x, { fps: 4, keyAfterFrames: 3, idleKeyMs: 600, segmentMs: 10_000 });
    await r.rec.start();
    for (const colour of ['#802020', '#208020', '#202080', '#808020']) {
      await x.run('xsetroot', ['-solid', colour]);
      await sleep(400);
    }
    await sleep(2500);
    await r.rec.close();
    const frames = r.frames();
    assert.ok(frames.length >= 5 && frames.length <= 8, `${frames.length} frames`);
    assert.deepEqual(frames.map((f) => f.key).filter(Boolean).length, 2, frames.map((f) => (f.key ? 'K' : 'f')).join(''));
    assert.equal(frames.at(-1)!.key, true, 'the last frame is the key frame made at the idle moment');
  });

  it('encodes an inter frame that came out too large again, as the key frame of a new encoder', async () => {
    // Every inter frame counts as too large here.
    const r = recorder(x, { fps: 4, segmentMs: 10_000, rekey: { factor: 0, minBytes: 0, minFrames: 1 } });
    await r.rec.start();
    for (const colour of ['#802020', '#208020', '#202080']) {
      await x.run('xsetroot', ['-solid', colour]);
      await sleep(600);
    }
    await r.rec.close();
    const frames = r.frames();
    assert.deepEqual(r.errors, []);
    assert.equal(r.rec.stats.rekeyed, frames.length - 1);
    assert.ok(frames.length >= 4, `${frames.length} frames`);
    assert.ok(frames.every((f) => f.key), frames.map((f) => (f.key ? 'K' : 'f')).join(''));
    for (let i = 1; i < frames.length; i++) assert.ok(frames[i]!.t > frames[i - 1]!.t, 'each grabbed frame once, in order');
  });

  it('emits the last, shorter segment with its frames when closed', async () => {
    const r = recorder(x, { fps: 4, segmentMs: 60_000 });
    await r.rec.start();
    await x.run('xsetroot', ['-solid', '#406020']);
    await sleep(800);
    const closedAt = performance.now();
    await r.rec.close();
    assert.equal(r.segments.length, 1);
    const [s] = r.segments;
    assert.ok(s!.endMs < 60_000 && s!.endMs > 500, `ends at ${s!.endMs}`);
    assert.ok(s!.frames.length >= 2, `${s!.frames.length} frames`);
    assert.ok(performance.now() - closedAt < 3000);
    await r.rec.close();
    assert.equal(r.segments.length, 1, 'a second close emits nothing');
  });

  for (const which of ['grabber', 'encoder'] as const) {
    it(`reports within a second when its ${which} ffmpeg is killed`, async () => {
      const r = recorder(x, { fps: 2 });
      await r.rec.start();
      const [grabber, encoder] = r.rec.pids;
      const killedAt = performance.now();
      process.kill(which === 'grabber' ? grabber! : encoder!, 'SIGKILL');
      const at = await Promise.race([r.errorAt, sleep(3000).then(() => Number.NaN)]);
      assert.ok(at - killedAt < 1000, `onError after ${Math.round(at - killedAt)} ms`);
      assert.equal(r.errors.length, 1);
      assert.equal(r.errors[0]!.code, which === 'grabber' ? 'capture_failed' : 'encoder_failed');
      await r.rec.close();
      assert.equal(r.errors.length, 1);
      assert.deepEqual(r.rec.pids.filter((pid) => alive(pid)), []);
    });
  }

  it('reports itself behind when frames wait too long in the encoder', async () => {
    // Only inter frames are judged here: the first key frame keeps the default allowance, so a
    // slow start on a busy machine is not mistaken for the stall this test makes.
    const r = recorder(x, { fps: 2, maxLagMs: 500 });
    await r.rec.start();
    const [, encoder] = r.rec.pids;
    // A stopped encoder keeps its frames: exactly what a machine too slow for it looks like.
    process.kill(encoder!, 'SIGSTOP');
    try {
      await x.run('xsetroot', ['-solid', '#606060']);
      const at = await Promise.race([r.errorAt, sleep(4000).then(() => Number.NaN)]);
      assert.ok(!Number.isNaN(at), 'no error reported');
      assert.equal(r.errors[0]!.code, 'behind');
    } finally {
      if (alive(encoder!)) process.kill(encoder!, 'SIGCONT');
      await r.rec.close();
    }
  });

  it('says it is under pressure well before it is behind, and when it has caught up', async () => {
    const r = recorder(x, { fps: 2, maxLagMs: 3000 });
    await r.rec.start();
    await sleep(300);
    const [, encoder] = r.rec.pids;
    process.kill(encoder!, 'SIGSTOP');
    try {
      await x.run('xsetroot', ['-solid', '#406080']);
      // A third of maxLagMs (1 s) plus watchdog ticks, well short of the 3 s that would be "behind".
      const deadline = performance.now() + 2500;
      while (r.pressure.length === 0 && performance.now() < deadline) await sleep(50);
    } finally {
      process.kill(encoder!, 'SIGCONT');
    }
    assert.deepEqual(r.pressure, [true]);
    // Caught up: every frame quick for 3 s.
    const deadline = performance.now() + 8000;
    while (r.pressure.length < 2 && performance.now() < deadline) await sleep(100);
    await r.rec.close();
    assert.deepEqual(r.errors, [], 'never behind');
    assert.deepEqual(r.pressure, [true, false]);
  });

  it('under load it skips grabs instead of queueing them, then records the newest screen', async () => {
    const r = recorder(x, { fps: 4 });
    const startedAt = performance.now();
    await r.rec.start();
    await sleep(600);
    const [, encoder] = r.rec.pids;
    // A busy encoder (stopped for 2 s, well within maxLagMs) while the screen keeps changing.
    process.kill(encoder!, 'SIGSTOP');
    let lastChangeAt = 0;
    try {
      for (const colour of ['#703030', '#307030', '#303070', '#707030', '#307070', '#703070']) {
        await x.run('xsetroot', ['-solid', colour]);
        lastChangeAt = performance.now();
        await sleep(330);
      }
    } finally {
      process.kill(encoder!, 'SIGCONT');
    }
    await sleep(2500);
    await r.rec.close();
    assert.deepEqual(r.errors, [], 'the recorder did not fall behind');
    assert.ok(r.rec.stats.skipped >= 2, `skipped ${r.rec.stats.skipped} grabs`);
    const frames = r.frames();
    // Recording time runs from start(): the screen after the last change was recorded.
    const lastChangeT = lastChangeAt - startedAt;
    assert.ok(
      frames.some((f) => f.t > lastChangeT),
      `no frame after the last change at ${Math.round(lastChangeT)} ms: ${frames.map((f) => f.t).join(', ')}`,
    );
    assert.ok(frames.length < r.rec.stats.samples, 'not every grab was encoded');
  });

  it('grabs faster than it records, takes one grab per second, and never loses a change between takes', async () => {
    const r = recorder(x, { fps: 1, grabFps: 4 });
    const startedAt = performance.now();
    await r.rec.start();
    const changes: number[] = [];
    for (const colour of ['#506070', '#705060', '#607050']) {
      await sleep(1400);
      await x.run('xsetroot', ['-solid', colour]);
      changes.push(performance.now() - startedAt);
    }
    await sleep(2200);
    await r.rec.close();
    assert.deepEqual(r.errors, []);
    const frames = r.frames();
    const elapsedS = (performance.now() - startedAt) / 1000;
    assert.ok(r.rec.stats.samples <= Math.ceil(elapsedS) + 1, `${r.rec.stats.samples} grabs taken in ${elapsedS.toFixed(1)} s`);
    // Each change shows up in a frame after it, even when the grab that saw it was not taken.
    for (const at of changes) assert.ok(frames.some((f) => f.t > at && f.t < at + 1600), `no frame for the change at ${Math.round(at)} ms: ${frames.map((f) => f.t).join(', ')}`);
  });

  it('a change grabbed but not yet taken when it closes becomes the last frame', async () => {
    const r = recorder(x, { fps: 1, grabFps: 4 });
    const startedAt = performance.now();
    await r.rec.start();
    await sleep(1300);
    const samples = r.rec.stats.samples;
    await x.run('xsetroot', ['-solid', '#456789']);
    const changedAt = performance.now() - startedAt;
    // Long enough for a 4 fps grab to see the change, too short for the next once-a-second take.
    await sleep(400);
    const taken = r.rec.stats.samples - samples;
    await r.rec.close();
    assert.deepEqual(r.errors, []);
    const last = r.frames().at(-1)!;
    assert.ok(last.t > changedAt, `the last frame (at ${last.t} ms) shows the screen after the change at ${Math.round(changedAt)} ms (${taken} taken before close)`);
  });

  it('records from the in-process damage grab as from x11grab: a key frame first, then the changes', async () => {
    const r = recorder(x, { fps: 1, grabFps: 1, grab: (o, e) => new DamageGrab(o, e) });
    const startedAt = performance.now();
    await r.rec.start();
    assert.equal(r.rec.pids.length, 1, 'no grabber process: only the encoder runs');
    await sleep(1200);
    await x.run('xsetroot', ['-solid', '#804020']);
    const changedAt = performance.now() - startedAt;
    await sleep(1800);
    await r.rec.close();
    assert.deepEqual(r.errors, []);
    const frames = r.frames();
    assert.equal(frames[0]?.key, true);
    assert.ok(frames.some((f) => f.t > changedAt && f.t < changedAt + 1600), `no frame for the change at ${Math.round(changedAt)} ms: ${frames.map((f) => f.t).join(', ')}`);
  });

  it('refuses a second start', async () => {
    const r = recorder(x);
    await r.rec.start();
    await assert.rejects(r.rec.start(), { code: 'closed' });
    await r.rec.close();
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
