import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startXDisplay, type XDisplay } from '../../../../test/support/xdisplay.ts';
import { DamageGrab } from './DamageGrab.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A grab at `fps` on `x` that records what it reports. */
function grab(x: XDisplay, fps: number, display = x.display) {
  const seen = { size: undefined as { width: number; height: number } | undefined, frames: [] as Array<{ at: number; changed: boolean; luma: number; sizedBefore: boolean }>, failures: [] as string[] };
  const g = new DamageGrab(
    { display, fps, drawMouse: false },
    {
      onSize: (width, height) => (seen.size = { width, height }),
      onFrame: (frame, changed) => seen.frames.push({ at: performance.now(), changed, luma: frame[0]!, sizedBefore: seen.size !== undefined }),
      onFailure: (reason) => seen.failures.push(reason),
    },
  );
  return { g, seen };
}

describe('DamageGrab (Xvfb)', () => {
  let x: XDisplay;

  before(async () => {
    x = await startXDisplay({ width: 320, height: 240 });
    await x.run('xsetroot', ['-solid', '#101010']);
  });

  after(() => x.stop());

  it('hands over a frame every 1/fps seconds like x11grab, changed only when the screen changed', async () => {
    const { g, seen } = grab(x, 4);
    try {
      await sleep(1600);
      const idle = seen.frames.length;
      assert.deepEqual(seen.size, { width: 320, height: 240 });
      assert.ok(seen.frames[0]!.sizedBefore, 'the size comes before the first frame');
      assert.equal(seen.frames[0]!.changed, true, 'the first frame counts as changed');
      assert.ok(idle >= 4 && idle <= 9, `${idle} frames in 1.6 s at 4 fps`);
      assert.ok(seen.frames.slice(1).every((f) => !f.changed), 'an idle screen gives unchanged frames');
      await x.run('xsetroot', ['-solid', '#e0e0e0']);
      for (const deadline = performance.now() + 3000; !seen.frames.slice(idle).some((f) => f.changed) && performance.now() < deadline; ) await sleep(50);
      const change = seen.frames.slice(idle).find((f) => f.changed);
      assert.ok(change, 'the change arrived as a changed frame');
      assert.ok(change.luma > 150, `the changed frame shows the new screen (luma ${change.luma})`);
    } finally {
      g.stop();
    }
    await g.exited;
    const count = seen.frames.length;
    await sleep(600);
    assert.equal(seen.frames.length, count, 'nothing after stop()');
    g.stop();
    assert.deepEqual(seen.failures, []);
  });

  it('reports a display it cannot open once, through onFailure', async () => {
    const { g, seen } = grab(x, 4, ':4097');
    for (const deadline = performance.now() + 5000; seen.failures.length === 0 && performance.now() < deadline; ) await sleep(50);
    await g.exited;
    assert.equal(seen.failures.length, 1);
    assert.match(seen.failures[0]!, /^screen grab failed: /);
    assert.equal(seen.frames.length, 0);
  });
});
