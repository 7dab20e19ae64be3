// The recorder's frames decode in Chromium's WebCodecs VideoDecoder: from the first frame, and
// from every key frame with a fresh decoder (what a seeking player does).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser } from '../../../../test/support/browser.ts';
import { startXDisplay, type XDisplay } from '../../../../test/support/xdisplay.ts';
import type { EncodedFrame } from './FrameEncoder.ts';
import { ScreenRecorderEncoder } from './ScreenRecorderEncoder.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Colours painted one after another; the recording must show each. */
const COLOURS = ['#c03020', '#20a040', '#2040c0', '#e0e0e0'];

/** What the page reports for one decoder run. */
interface DecodeRun {
  from: number;
  decoded: number;
  /** Centre pixel [r, g, b] of every decoded frame. */
  centres: number[][];
  error?: string;
}

/**
 * Runs in the page (a string, so that no bundler helper leaks in): decodes `frames` from index
 * `from` with a new VideoDecoder, paints each frame on a canvas and reads its centre pixel.
 */
const PAGE_DECODE = `async ({ codec, width, height, frames, starts }) => {
  const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const runs = [];
  for (const from of starts) {
    const run = { from, decoded: 0, centres: [] };
    const decoder = new VideoDecoder({
      output: (frame) => {
        ctx.drawImage(frame, 0, 0);
        frame.close();
        run.decoded++;
        run.centres.push([...ctx.getImageData(width / 2, height / 2, 1, 1).data.slice(0, 3)]);
      },
      error: (e) => { run.error = String(e); },
    });
    decoder.configure({ codec, codedWidth: width, codedHeight: height, optimizeForLatency: true });
    try {
      for (const f of frames.slice(from)) {
        decoder.decode(new EncodedVideoChunk({ type: f.key ? 'key' : 'delta', timestamp: f.t * 1000, data: bytes(f.data) }));
      }
      await decoder.flush();
    } catch (e) {
      run.error ??= String(e);
    }
    if (decoder.state !== 'closed') decoder.close();
    runs.push(run);
  }
  return runs;
}`;

function rgb(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

describe('recorded frames in Chromium WebCodecs', () => {
  let x: XDisplay;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  before(async () => {
    x = await startXDisplay({ width: 640, height: 480 });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await x?.stop();
  });

  it('decode from the first frame and from every key frame, showing the screen as it was', async () => {
    await x.run('xsetroot', ['-solid', COLOURS[0]!]);
    const frames: EncodedFrame[] = [];
    const rec = new ScreenRecorderEncoder(
      { display: x.display, fps: 4, keyAfterFrames: 2, idleKeyMs: 600, drawMouse: false },
      { onSegment: (s) => frames.push(...s.frames), onError: (e) => assert.fail(e) },
    );
    const stream = await rec.start();
    for (const colour of COLOURS.slice(1)) {
      await sleep(1200);
      await x.run('xsetroot', ['-solid', colour]);
    }
    await sleep(1500);
    await rec.close();
    const starts = frames.flatMap((f, i) => (f.key ? [i] : []));
    assert.ok(starts.length >= 2 && starts[0] === 0, `key frames at ${starts.join(', ')}`);

    const page = await browser.context.newPage();
    await page.route('https://wl.test/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>decode</title>' }));
    await page.goto('https://wl.test/');
    const payload = { ...stream, starts, frames: frames.map((f) => ({ t: f.t, key: f.key, data: Buffer.from(f.data).toString('base64') })) };
    const runs = await page.evaluate(`(${PAGE_DECODE})(${JSON.stringify(payload)})`) as DecodeRun[];
    await page.close();

    for (const run of runs) {
      assert.equal(run.error, undefined, `decoding from frame ${run.from}`);
      assert.equal(run.decoded, frames.length - run.from, `frames decoded from frame ${run.from}`);
    }
    const shown = runs[0]!.centres;
    const near = (got: number[], want: number[]): boolean => got.every((v, i) => Math.abs(v - want[i]!) <= 8);
    assert.ok(near(shown[0]!, rgb(COLOURS[0]!)), `first frame shows ${shown[0]}`);
    assert.ok(near(shown.at(-1)!, rgb(COLOURS.at(-1)!)), `last frame shows ${shown.at(-1)}`);
    for (const colour of COLOURS) assert.ok(shown.some((c) => near(c, rgb(colour))), `${colour} never shown: ${JSON.stringify(shown)}`);
  });
});
