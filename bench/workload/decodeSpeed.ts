// How long a player takes to show a given recorded frame after a seek, decoding only: for each
// key frame, a fresh WebCodecs VideoDecoder in headless Chromium decodes its frames and the time
// from the first decode() call to each frame's output is taken. A seek to any frame costs the
// time of that frame here (plus fetching and decrypting, which a replay benchmark adds).
import type { EncodedFrame } from '../../host-agent/src/recording/encoder/FrameEncoder.ts';
import { launchBrowser } from '../../test/support/browser.ts';
import { summarize, type Summary } from '../lib/stats.ts';

/** Per-frame decode-from-key times, milliseconds. */
export interface SeekDecodeTimes {
  /** Over all frames: the time to show each one after seeking to it. */
  perFrame: Summary;
  /** Average milliseconds per frame when decoding straight through. */
  msPerFrame: number;
  /** Frames from a key frame to the frame that needs most of them (1 = the key frame itself). */
  longestRun: number;
}

/** Page code as a string, so that no bundler helper leaks into the page. */
const PAGE = `async ({ codec, width, height, gops }) => {
  const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const out = [];
  // A warm-up decoder: the first one in a page pays for loading the decoder.
  for (const [round, list] of [[0, gops.slice(0, 1)], [1, gops]]) {
    for (const gop of list) {
      const chunks = gop.map((f) => new EncodedVideoChunk({ type: f.key ? 'key' : 'delta', timestamp: f.t * 1000, data: bytes(f.data) }));
      const times = [];
      let failure;
      const decoder = new VideoDecoder({ output: (frame) => { times.push(performance.now()); frame.close(); }, error: (e) => { failure = String(e); } });
      decoder.configure({ codec, codedWidth: width, codedHeight: height, optimizeForLatency: true });
      const t0 = performance.now();
      for (const c of chunks) decoder.decode(c);
      await decoder.flush();
      decoder.close();
      if (failure) throw new Error(failure);
      if (round === 1) out.push(times.map((t) => t - t0));
    }
  }
  return out;
}`;

/** Decodes `frames` (a whole recording, starting with a key frame) GOP by GOP in Chromium. */
export async function seekDecodeTimes(stream: { codec: string; width: number; height: number }, frames: readonly EncodedFrame[]): Promise<SeekDecodeTimes> {
  const gops: Array<Array<{ t: number; key: boolean; data: string }>> = [];
  for (const f of frames) {
    if (f.key || !gops.length) gops.push([]);
    gops.at(-1)!.push({ t: f.t, key: f.key, data: Buffer.from(f.data).toString('base64') });
  }
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await page.route('https://wl.test/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>decode</title>' }));
    await page.goto('https://wl.test/');
    const times = (await page.evaluate(`(${PAGE})(${JSON.stringify({ ...stream, gops })})`)) as number[][];
    const all = times.flat();
    const total = times.reduce((sum, t) => sum + (t.at(-1) ?? 0), 0);
    return { perFrame: summarize(all), msPerFrame: total / all.length, longestRun: Math.max(...gops.map((g) => g.length)) };
  } finally {
    await browser.close();
  }
}
