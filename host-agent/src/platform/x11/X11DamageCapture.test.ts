import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startXDisplay, type XDisplay } from '../../../../test/support/xdisplay.ts';
import { PlatformError } from '../errors.ts';
import type { CapturedFrame } from '../types.ts';
import type { X11Rect } from './captureRequests.ts';
import { X11Connection, X11Event } from './X11Connection.ts';
import { X11DamageCapture } from './X11DamageCapture.ts';
import { X11ScreenCapture } from './X11ScreenCapture.ts';
import { frameSink, yuvAt } from './testing/frameSink.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const noError = (e: Error): void => assert.fail(`unexpected capture error: ${e.message}`);


/** Bounding box of the pixels whose luma differs by more than `threshold` between two frames (or from a level). */
function changedBox(f: CapturedFrame, reference: CapturedFrame | number, threshold = 8): X11Rect | undefined {
  let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
  for (let y = 0; y < f.height; y++) {
    for (let x = 0; x < f.width; x++) {
      const i = y * f.width + x;
      const ref = typeof reference === 'number' ? reference : reference.data[i]!;
      if (Math.abs(f.data[i]! - ref) <= threshold) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  return x1 < 0 ? undefined : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

const contains = (r: X11Rect, x: number, y: number): boolean => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height;


/** Waits until a window titled `title` is mapped, and a little longer for it to be drawn. */
async function shown(x: XDisplay, title: string): Promise<void> {
  await x.run('xdotool', ['search', '--sync', '--onlyvisible', '--name', `^${title}$`]);
  await sleep(300);
}

/** Handles and timers this process holds (sockets, timers, immediates), by kind. */
function activeResources(): string {
  return process
    .getActiveResourcesInfo()
    .filter((r) => r === 'Timeout' || r === 'Immediate' || r === 'PipeWrap')
    .sort()
    .join(',');
}

describe('X11DamageCapture', () => {
  let x: XDisplay;

  before(async () => {
    x = await startXDisplay({ width: 640, height: 480 });
  });

  after(async () => {
    await x?.stop();
  });

  it('delivers a first frame of the screen size whose luma matches a screenshot', async () => {
    await x.run('xsetroot', ['-solid', '#336699']);
    const term = x.spawn('xterm', ['-T', 'listing', '-geometry', '40x10+21+13', '-bg', '#f0e0a0', '-fg', '#800000', '-e', 'sh', '-c', 'ls -la /usr; sleep 60']);
    const capture = new X11DamageCapture({ display: x.display, drawMouse: false });
    const sink = frameSink();
    try {
      await shown(x, 'listing');
      await capture.start(sink.onFrame, noError);
      assert.equal(capture.width, 640);
      assert.equal(capture.height, 480);
      const first = sink.frames[0]!;
      assert.equal(first.width, 640);
      assert.equal(first.height, 480);
      assert.equal(first.data.length, (640 * 480 * 3) / 2);
      const shot = await x.screenshot();
      let worst = 0;
      const levels = new Set<number>();
      for (let i = 0; i < 640 * 480; i++) {
        const [r, g, b] = [shot.data[4 * i]!, shot.data[4 * i + 1]!, shot.data[4 * i + 2]!];
        const luma = 16 + (219 * (0.2126 * r + 0.7152 * g + 0.0722 * b)) / 255;
        worst = Math.max(worst, Math.abs(first.data[i]! - luma));
        levels.add(first.data[i]!);
      }
      assert.ok(levels.size >= 3, 'the screen shows a window, not just a flat colour');
      assert.ok(worst <= 1, `luma differs from the screenshot by up to ${worst.toFixed(2)}`);
    } finally {
      capture.close();
      term.kill();
    }
  });

  it('converts colours as X11Grab (ffmpeg) does on the same screen', async () => {
    await x.run('xsetroot', ['-solid', '#336699']);
    const terms = [
      x.spawn('xterm', ['-T', 'listing', '-geometry', '30x8+11+13', '-bg', '#f0e0a0', '-fg', '#800000', '-e', 'sh', '-c', 'ls -la /usr; sleep 60']),
      x.spawn('xterm', ['-T', 'greeting', '-geometry', '20x5+301+201', '-bg', '#20c040', '-fg', '#ffffff', '-e', 'sh', '-c', 'echo Hello; sleep 60']),
    ];
    const firstFrame = async (capture: X11ScreenCapture | X11DamageCapture): Promise<CapturedFrame> => {
      let first: CapturedFrame | undefined;
      try {
        await capture.start((f) => (first ??= f), noError);
      } finally {
        capture.close();
      }
      return first!;
    };
    try {
      await shown(x, 'listing');
      await shown(x, 'greeting');
      const ffmpeg = await firstFrame(new X11ScreenCapture({ display: x.display, drawMouse: false }));
      const ours = await firstFrame(new X11DamageCapture({ display: x.display, drawMouse: false }));
      const lumaBytes = 640 * 480;
      let lumaWorst = 0;
      for (let i = 0; i < lumaBytes; i++) lumaWorst = Math.max(lumaWorst, Math.abs(ffmpeg.data[i]! - ours.data[i]!));
      assert.ok(lumaWorst <= 1, `luma differs by up to ${lumaWorst}`);
      // ffmpeg filters chroma vertically over several rows, we average 2x2 blocks: the same on
      // flat areas (give or take rounding), different only next to edges.
      let chromaClose = 0;
      for (let i = lumaBytes; i < ours.data.length; i++) if (Math.abs(ffmpeg.data[i]! - ours.data[i]!) <= 1) chromaClose++;
      const share = chromaClose / (ours.data.length - lumaBytes);
      assert.ok(share > 0.97, `only ${(share * 100).toFixed(1)}% of chroma samples within 1`);
    } finally {
      for (const t of terms) t.kill();
    }
  });

  it('delivers a one-character change quickly, only that change, and nothing while the screen is idle', async () => {
    await x.run('xsetroot', ['-solid', '#202020']);
    // cat echoes what is typed: nothing else draws in the terminal; pointerMode 0 keeps xterm
    // from hiding the pointer when a key is pressed.
    const term = x.spawn('xterm', ['-T', 'typing', '-xrm', 'XTerm*pointerMode: 0', '-geometry', '20x4+10+10', '-bg', '#f0f0f0', '-fg', '#000000', '-e', 'cat']);
    const capture = new X11DamageCapture({ display: x.display, keepaliveMs: 60_000, settleMs: 0 });
    const sink = frameSink();
    try {
      await shown(x, 'typing');
      // Keys go to the window under the pointer (no window manager); xterm ignores sent events.
      await x.run('xdotool', ['mousemove', '60', '30']);
      await capture.start(sink.onFrame, noError);
      await sleep(1000);
      const idle = sink.count();
      await sleep(1000);
      assert.equal(sink.count(), idle, 'nothing is delivered while the screen is idle');
      const previous = sink.frames.at(-1)!;
      const typedAt = performance.now();
      const typed = sink.next((f) => changedBox(f, previous) !== undefined, 3000);
      await x.run('xdotool', ['type', 'W']);
      const frame = await typed;
      const ms = performance.now() - typedAt;
      assert.ok(ms < 1000, `the change took ${ms.toFixed(0)} ms`);
      const box = changedBox(frame, previous)!;
      // The 20x4 xterm at +10+10 is about 130x60 pixels; one character cell is 6x13.
      assert.ok(box.x >= 10 && box.y >= 10 && box.x + box.width <= 160 && box.y + box.height <= 90, `changed ${JSON.stringify(box)}`);
      // The character and the text cursor moving on: two 6x13 cells.
      assert.ok(box.width <= 14 && box.height <= 14, `changed ${JSON.stringify(box)}`);
      await sleep(600);
      const settled = sink.count();
      await sleep(1000);
      assert.equal(sink.count(), settled, 'frames stop once the change is delivered');
    } finally {
      capture.close();
      term.kill();
    }
  });

  it('skips an unchanged screen but still delivers a frame every keep-alive period', async () => {
    await x.run('xsetroot', ['-solid', '#303030']);
    const capture = new X11DamageCapture({ display: x.display, keepaliveMs: 500, settleMs: 0 });
    const sink = frameSink();
    try {
      await capture.start(sink.onFrame, noError);
      await sleep(1300);
      // The first frame and keep-alives at ~500 and ~1000 ms.
      assert.ok(sink.count() >= 2 && sink.count() <= 4, `got ${sink.count()} frames`);
      assert.ok(sink.frames.every((f) => f.data === sink.frames[0]!.data), 'keep-alives repeat the same frame');
    } finally {
      capture.close();
    }
  });

  it('delivers the last frame again while a picture settles, then only keep-alives', async () => {
    await x.run('xsetroot', ['-solid', '#404040']);
    const capture = new X11DamageCapture({ display: x.display, fps: 30, keepaliveMs: 10_000, settleMs: 800 });
    const sink = frameSink();
    try {
      await capture.start(sink.onFrame, noError);
      await sleep(1200);
      const settled = sink.count();
      // 30 fps for 0.8 s is ~24 frames; a loaded machine delivers fewer, but far more than one.
      assert.ok(settled >= 6 && settled <= 26, `${settled} frames while settling`);
      await sleep(1200);
      assert.equal(sink.count(), settled, 'frames kept coming after the picture settled');
    } finally {
      capture.close();
    }
  });

  it('delivers at most fps frames per second while the screen keeps changing', async () => {
    await x.run('xsetroot', ['-solid', '#101010']);
    const term = x.spawn('xterm', ['-T', 'flood', '-geometry', '80x24+0+0', '-e', 'sh', '-c', 'while :; do ls -R /usr; done']);
    const capture = new X11DamageCapture({ display: x.display, fps: 10, settleMs: 0, keepaliveMs: 60_000 });
    const sink = frameSink();
    try {
      await shown(x, 'flood');
      await capture.start(sink.onFrame, noError);
      await sleep(500);
      const from = sink.count();
      await sleep(2000);
      const frames = sink.count() - from;
      assert.ok(frames >= 4 && frames <= 22, `${frames} frames in 2 s at 10 fps`);
    } finally {
      capture.close();
      term.kill();
    }
  });

  /** Waits for a frame in which the only thing off the background is a pointer-sized area at (x, y). */
  function pointerAt(sink: ReturnType<typeof frameSink>, background: number, px: number, py: number, timeoutMs: number): Promise<CapturedFrame> {
    return sink.next((f) => {
      const box = changedBox(f, background);
      return box !== undefined && contains(box, px, py) && box.width <= 40 && box.height <= 40;
    }, timeoutMs);
  }

  it('draws the pointer at its position and follows a move that damages nothing', async () => {
    await x.run('xsetroot', ['-solid', '#000080']);
    const xtest = await X11Connection.connect(x.display);
    await xtest.initXTest();
    xtest.fakeInput(X11Event.MotionNotify, 0, 200, 150);
    await xtest.sync();
    const capture = new X11DamageCapture({ display: x.display, keepaliveMs: 60_000, settleMs: 0 });
    const sink = frameSink();
    try {
      await capture.start(sink.onFrame, noError);
      const background = yuvAt(sink.frames[0]!, 600, 20).y;
      const first = changedBox(sink.frames[0]!, background);
      assert.ok(first && contains(first, 200, 150) && first.width <= 40 && first.height <= 40, `pointer drawn at ${JSON.stringify(first)}`);
      // A pointer moved through XTEST (as X11InputInjector does) is followed through XI2 motion events.
      const moved = pointerAt(sink, background, 400, 300, 2000);
      const movedAt = performance.now();
      xtest.fakeInput(X11Event.MotionNotify, 0, 400, 300);
      await moved;
      const ms = performance.now() - movedAt;
      assert.ok(ms < 500, `the moved pointer took ${ms.toFixed(0)} ms`);
      // A warped pointer (xdotool mousemove) makes no motion event; the safety poll finds it.
      const warped = pointerAt(sink, background, 100, 400, 3000);
      await x.run('xdotool', ['mousemove', '100', '400']);
      await warped;
    } finally {
      capture.close();
      xtest.close();
    }
  });

  it('polls the pointer position when told not to use motion events', async () => {
    await x.run('xsetroot', ['-solid', '#000080']);
    await x.run('xdotool', ['mousemove', '200', '150']);
    const capture = new X11DamageCapture({ display: x.display, keepaliveMs: 60_000, settleMs: 0, pointerMotionEvents: false, pointerPollMs: 50 });
    const sink = frameSink();
    try {
      await capture.start(sink.onFrame, noError);
      const background = yuvAt(sink.frames[0]!, 600, 20).y;
      const moved = pointerAt(sink, background, 400, 300, 2000);
      const movedAt = performance.now();
      await x.run('xdotool', ['mousemove', '400', '300']);
      await moved;
      const ms = performance.now() - movedAt;
      assert.ok(ms < 700, `the moved pointer took ${ms.toFixed(0)} ms`);
    } finally {
      capture.close();
    }
  });

  it('close() releases the connection and timers, silences callbacks and is safe to call twice', async () => {
    await x.run('xsetroot', ['-solid', '#505050']);
    const resourcesBefore = activeResources();
    const capture = new X11DamageCapture({ display: x.display, keepaliveMs: 50 });
    let errors = 0;
    const sink = frameSink();
    await capture.start(sink.onFrame, () => errors++);
    await sleep(200);
    assert.notEqual(activeResources(), resourcesBefore, 'a running capture holds a socket and timers');
    capture.close();
    capture.close();
    const count = sink.count();
    await x.run('xsetroot', ['-solid', '#606060']);
    await sleep(300);
    assert.equal(sink.count(), count, 'no frames after close()');
    assert.equal(errors, 0, 'closing is not an error');
    assert.equal(activeResources(), resourcesBefore, 'nothing is left running');
    await assert.rejects(capture.start(sink.onFrame, noError), (e: unknown) => e instanceof PlatformError && e.code === 'closed');
  });

  it('reports a lost display once through onError', async () => {
    const other = await startXDisplay({ width: 320, height: 240 });
    const capture = new X11DamageCapture({ display: other.display });
    const errors: Error[] = [];
    try {
      await capture.start(() => undefined, (e) => errors.push(e));
      await other.stop();
      for (const deadline = Date.now() + 5000; errors.length === 0 && Date.now() < deadline; ) await sleep(20);
      await sleep(200);
      assert.equal(errors.length, 1);
      const err = errors[0]!;
      assert.ok(err instanceof PlatformError, String(err));
      assert.equal(err.code, 'capture_failed');
      assert.match(err.message, /lost the connection to X display :\d+/);
    } finally {
      capture.close();
      await other.stop();
    }
  });

  it('start() rejects with display_unavailable when the display does not exist', async () => {
    const capture = new X11DamageCapture({ display: ':4093' });
    await assert.rejects(
      capture.start(() => undefined, noError),
      (e: unknown) => e instanceof PlatformError && e.code === 'display_unavailable' && /Display :4093 is unavailable: cannot connect/.test(e.message),
    );
    capture.close();
  });

  it('start() rejects naming the extension when the server lacks DAMAGE', async () => {
    const other = await startXDisplay({ width: 320, height: 240, serverArgs: ['-extension', 'DAMAGE'] });
    const capture = new X11DamageCapture({ display: other.display });
    try {
      await assert.rejects(
        capture.start(() => undefined, noError),
        (e: unknown) => e instanceof PlatformError && e.code === 'capture_failed' && /lacks the DAMAGE extension/.test(e.message),
      );
    } finally {
      capture.close();
      await other.stop();
    }
  });

  it('start() rejects a screen whose pixels are not 32-bit BGRX', async () => {
    const other = await startXDisplay({ width: 320, height: 240, depth: 16 });
    const capture = new X11DamageCapture({ display: other.display });
    try {
      await assert.rejects(
        capture.start(() => undefined, noError),
        (e: unknown) => e instanceof PlatformError && e.code === 'capture_failed' && /unsupported screen pixel format \(depth 16/.test(e.message),
      );
    } finally {
      capture.close();
      await other.stop();
    }
  });
});
