import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startXDisplay, type XDisplay } from '../../../../test/support/xdisplay.ts';
import { PlatformError } from '../errors.ts';
import type { CapturedFrame } from '../types.ts';
import { X11ScreenCapture } from './X11ScreenCapture.ts';
import { frameSink, yuvAt } from './testing/frameSink.ts';

const exec = promisify(execFile);

/** BT.709 limited-range YUV of the colours the tests paint (Y = 16 + 219 * (.2126 R + .7152 G + .0722 B), ...). */
const RED = { y: 63, u: 102, v: 240 };
const BLUE = { y: 32, u: 240, v: 118 };
const GREEN = { y: 173, u: 42, v: 26 };


function assertColour(f: CapturedFrame, x: number, y: number, want: { y: number; u: number; v: number }, what: string): void {
  const got = yuvAt(f, x, y);
  const close = Math.abs(got.y - want.y) <= 3 && Math.abs(got.u - want.u) <= 3 && Math.abs(got.v - want.v) <= 3;
  assert.ok(close, `${what} at ${x},${y}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}


/** PIDs of ffmpeg processes that are children of this test process. */
async function ffmpegChildren(): Promise<number[]> {
  const { stdout } = await exec('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)]).catch(() => ({ stdout: '' }));
  return stdout
    .split('\n')
    .filter((l) => /\bffmpeg\b/.test(l))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}

const noError = (e: Error): void => assert.fail(`unexpected capture error: ${e.message}`);

describe('X11ScreenCapture', () => {
  let x: XDisplay;

  before(async () => {
    x = await startXDisplay({ width: 640, height: 480 });
  });

  after(async () => {
    await x?.stop();
  });

  it('delivers I420 frames of the screen size in the right colours', async () => {
    await x.run('xsetroot', ['-solid', '#ff0000']);
    const capture = new X11ScreenCapture({ display: x.display, drawMouse: false });
    const sink = frameSink();
    try {
      await capture.start(sink.onFrame, noError);
      assert.equal(capture.width, 640);
      assert.equal(capture.height, 480);
      const first = sink.frames[0]!;
      assert.equal(first.width, 640);
      assert.equal(first.height, 480);
      assert.equal(first.data.length, (640 * 480 * 3) / 2);
      assertColour(first, 10, 10, RED, 'red root');
      assertColour(first, 600, 450, RED, 'red root');

      await x.run('xsetroot', ['-solid', '#0000ff']);
      const blue = await sink.next((f) => Math.abs(yuvAt(f, 320, 240).y - BLUE.y) <= 3);
      assertColour(blue, 320, 240, BLUE, 'blue root');

      await x.run('xsetroot', ['-solid', '#00ff00']);
      const green = await sink.next((f) => Math.abs(yuvAt(f, 320, 240).y - GREEN.y) <= 3);
      assertColour(green, 5, 470, GREEN, 'green root');
    } finally {
      capture.close();
    }
  });

  it('skips an unchanged screen but still delivers a frame every keep-alive period', async () => {
    await x.run('xsetroot', ['-solid', '#303030']);
    const capture = new X11ScreenCapture({ display: x.display, fps: 30, keepaliveMs: 500, settleMs: 0 });
    const sink = frameSink();
    try {
      await capture.start(sink.onFrame, noError);
      await new Promise((r) => setTimeout(r, 1300));
      // 30 fps for 1.3 s would be ~40 frames; only the first and the keep-alives arrive.
      assert.ok(sink.frames.length >= 2 && sink.frames.length <= 5, `got ${sink.frames.length} frames`);
    } finally {
      capture.close();
    }
  });

  it('delivers every frame while a still picture settles, then only keep-alives', async () => {
    await x.run('xsetroot', ['-solid', '#404040']);
    const capture = new X11ScreenCapture({ display: x.display, fps: 30, keepaliveMs: 10_000, settleMs: 800 });
    let count = 0;
    try {
      await capture.start(() => count++, noError);
      await new Promise((r) => setTimeout(r, 1200));
      const settled = count;
      // 30 fps for 0.8 s is ~24 frames; a loaded machine grabs fewer, but far more than one.
      assert.ok(settled >= 6, `only ${settled} frames while settling`);
      await new Promise((r) => setTimeout(r, 1200));
      assert.equal(count, settled, 'frames kept coming after the picture settled');
    } finally {
      capture.close();
    }
  });

  it('delivers a change as small as one character on an idle screen, with nothing sent in between', async () => {
    await x.run('xsetroot', ['-solid', '#202020']);
    const term = x.spawn('xterm', ['-geometry', '20x4+10+10', '-bg', '#f0f0f0', '-fg', '#000000']);
    const capture = new X11ScreenCapture({ display: x.display, fps: 30, keepaliveMs: 60_000, settleMs: 0 });
    const sink = frameSink();
    try {
      await new Promise((r) => setTimeout(r, 1000));
      // Keys go to the window under the pointer (no window manager); xterm ignores sent events.
      await x.run('xdotool', ['mousemove', '60', '30']);
      await capture.start(sink.onFrame, noError);
      await new Promise((r) => setTimeout(r, 1500));
      const idle = sink.frames.length;
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(sink.frames.length, idle, 'nothing is delivered while the screen is idle');
      await x.run('xdotool', ['type', '.']);
      // Generous: xdotool, xterm and ffmpeg all wait for the CPU on a busy machine (2 s failed 1 run in 5 there).
      await sink.next(() => true, 6000);
      // A change below ffmpeg's default "near duplicate" thresholds still counts (a faint colour shift).
      await new Promise((r) => setTimeout(r, 500));
      await x.run('xsetroot', ['-solid', '#202028']);
      await sink.next((f) => yuvAt(f, f.width - 4, f.height - 4).u !== yuvAt(sink.frames[0]!, f.width - 4, f.height - 4).u, 6000);
    } finally {
      capture.close();
      term.kill();
    }
  });

  it('close() kills ffmpeg, silences callbacks and is safe to call twice', async () => {
    const capture = new X11ScreenCapture({ display: x.display, keepaliveMs: 50 });
    let errors = 0;
    const sink = frameSink();
    await capture.start(sink.onFrame, () => errors++);
    assert.equal((await ffmpegChildren()).length, 1);
    capture.close();
    capture.close();
    const count = sink.frames.length;
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await ffmpegChildren(), []);
    assert.equal(sink.frames.length, count, 'no frames after close()');
    assert.equal(errors, 0, 'closing is not an error');
    await assert.rejects(capture.start(sink.onFrame, noError), (e: unknown) => e instanceof PlatformError && e.code === 'closed');
  });

  it('reports ffmpeg dying once through onError, with ffmpeg\'s last words', async () => {
    const capture = new X11ScreenCapture({ display: x.display });
    const errors: Error[] = [];
    try {
      await capture.start(() => undefined, (e) => errors.push(e));
      const [pid] = await ffmpegChildren();
      assert.ok(pid, 'ffmpeg is running');
      process.kill(pid, 'SIGKILL');
      const deadline = Date.now() + 5000;
      while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(errors.length, 1);
      const err = errors[0]!;
      assert.ok(err instanceof PlatformError);
      assert.equal(err.code, 'capture_failed');
      assert.match(err.message, /ffmpeg exited \(signal SIGKILL\): \S/);
    } finally {
      capture.close();
    }
  });

  it('start() rejects with ffmpeg\'s complaint when the display does not exist', async () => {
    const capture = new X11ScreenCapture({ display: ':4093' });
    await assert.rejects(
      capture.start(() => undefined, noError),
      (e: unknown) => e instanceof PlatformError && e.code === 'capture_failed' && /ffmpeg exited \(code \d+\): .*\S/.test(e.message),
    );
    capture.close();
    assert.deepEqual(await ffmpegChildren(), []);
  });

  it('start() rejects when ffmpeg cannot be run', async () => {
    const capture = new X11ScreenCapture({ display: x.display, ffmpegPath: 'wardlink-no-such-ffmpeg' });
    await assert.rejects(capture.start(() => undefined, noError), (e: unknown) => e instanceof PlatformError && /cannot run ffmpeg/.test(e.message));
    capture.close();
  });
});
