/**
 * Video of a recording through WebCodecs (FORMAT.md REC19): to show time t, find the frame on
 * screen at t, walk back to the key frame it depends on, decode from there up to it without
 * showing the frames before, and paint it. Playing forward keeps feeding the same decoder; a jump
 * back or past the next key frame starts again from a key frame. Frames are sparse (variable frame
 * rate), so a frame stays on screen until the next one.
 */
import type { SegmentContent } from '@wardlink/recordings';
import { PlayerError } from './errors.ts';
import type { FrameTable } from './FrameTable.ts';

/** Options of {@link VideoPipeline}. */
export interface VideoPipelineOptions {
  /** WebCodecs codec string from the header. */
  codec: string;
  /** Frame size in pixels, from the header. */
  width: number;
  height: number;
  /** The frames that may be played. */
  frames: FrameTable;
  /** Decrypted segment `index` (from the cache). */
  segment(index: number): Promise<SegmentContent>;
  /** Paints a decoded frame or still; `undefined` paints the empty screen. */
  paint(image: CanvasImageSource | undefined): void;
  /** Reports a failure; the pipeline then waits for the next seek to try again. */
  onError(error: PlayerError): void;
}

/**
 * Milliseconds to wait for the decoder to output the wanted frame before flushing it. Decoders
 * configured for latency output at once; a flush makes the others output too (and the next
 * decode then starts from a key frame again).
 */
export const OUTPUT_WAIT_MS = 250;

/** One decoder fed in frame order; requests are served one at a time, the newest first. */
export class VideoPipeline {
  private readonly options: VideoPipelineOptions;
  private decoder: VideoDecoder | undefined;
  /** The last frame number fed since the decoder's last key frame (-1: must start at a key frame). */
  private fed = -1;
  /** Frame number on screen, or being decoded for the screen (-1: the empty screen). */
  private target = -1;
  /** Outputs below this frame number are decoded but not painted (the run-up of a seek). */
  private floor = 0;
  private painted = -1;
  private waiter: { n: number; resolve: () => void } | undefined;
  private wanted: { t: number; seek: boolean } | undefined;
  private running: Promise<void> | undefined;
  private broken = false;
  private supported: boolean | undefined;
  private closed = false;

  constructor(options: VideoPipelineOptions) {
    this.options = options;
  }

  /**
   * Shows the frame on screen at `t` (milliseconds). `seek`: paint only that frame; otherwise
   * (playing forward) every decoded frame is painted. Resolves once the request (and any made
   * while it ran) is served; never rejects, failures go to `onError`.
   */
  show(t: number, seek: boolean): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.wanted = { t, seek: seek || (this.wanted?.seek ?? false) };
    if (seek) this.broken = false;
    this.running ??= this.drain();
    return this.running;
  }

  /** The frame number on screen (or on its way), -1 for none. */
  get current(): number {
    return this.target;
  }

  /** Releases the decoder; safe to call twice. */
  close(): void {
    this.closed = true;
    this.wanted = undefined;
    this.closeDecoder();
  }

  private async drain(): Promise<void> {
    // Yield once, so `running` is set before this can finish (a request may be skipped at once).
    await Promise.resolve();
    try {
      while (this.wanted && !this.closed) {
        const { t, seek } = this.wanted;
        this.wanted = undefined;
        if (this.broken) continue;
        try {
          await this.advance(t, seek);
        } catch (err) {
          this.fail(err instanceof PlayerError ? err : PlayerError.decode(this.options.codec, err));
        }
      }
    } finally {
      this.running = undefined;
    }
  }

  private async advance(t: number, seek: boolean): Promise<void> {
    const { frames } = this.options;
    const n = frames.lastAtOrBefore(t);
    const key = n < 0 ? -1 : frames.keyAtOrBefore(n);
    if (key < 0) {
      // Nothing decodable is on screen yet at t.
      this.target = -1;
      this.painted = -1;
      this.options.paint(undefined);
      return;
    }
    if (n === this.target && this.decoder?.state === 'configured') return;
    const continuing = this.decoder?.state === 'configured' && this.fed >= key && this.fed < n;
    if (!continuing && !(await this.resetDecoder())) return;
    const start = continuing ? this.fed + 1 : key;
    const contents = await this.segmentsFor(start, n);
    // A newer seek supersedes this one before anything was fed.
    if (this.wanted?.seek || this.closed) return;
    if (seek) this.paintStill(contents.get(frames.at(n)!.segment)!, t, frames.at(n)!.t, n);
    this.floor = seek || !continuing ? n : start;
    this.target = n;
    const decoder = this.decoder!;
    for (let i = start; i <= n; i++) {
      const ref = frames.at(i)!;
      const data = contents.get(ref.segment)!.frames[ref.position]!.data;
      decoder.decode(new EncodedVideoChunk({ type: ref.key ? 'key' : 'delta', timestamp: i, data }));
    }
    this.fed = n;
    await this.outputOf(n, decoder);
  }

  private async segmentsFor(start: number, end: number): Promise<Map<number, SegmentContent>> {
    const wanted = new Set<number>();
    for (let i = start; i <= end; i++) wanted.add(this.options.frames.at(i)!.segment);
    const list = [...wanted];
    const contents = await Promise.all(list.map((s) => this.options.segment(s)));
    return new Map(list.map((s, i) => [s, contents[i]!]));
  }

  /** Waits for frame `n` to come out of the decoder; flushes it if the frame is held back. */
  private async outputOf(n: number, decoder: VideoDecoder): Promise<void> {
    if (this.painted >= n) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const out = new Promise<void>((resolve) => (this.waiter = { n, resolve }));
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), OUTPUT_WAIT_MS)));
    const result = await Promise.race([out, late]);
    clearTimeout(timer);
    if (result === 'late' && decoder.state === 'configured') {
      // After a flush the decoder wants a key frame again.
      this.fed = -1;
      await decoder.flush().catch(() => undefined);
    }
    this.waiter = undefined;
  }

  private onOutput(frame: VideoFrame): void {
    const n = frame.timestamp;
    try {
      if (n >= this.floor && n <= this.target && n > this.painted) {
        this.options.paint(frame);
        this.painted = n;
      }
    } finally {
      frame.close();
    }
    if (this.waiter && n >= this.waiter.n) this.waiter.resolve();
  }

  private paintStill(content: SegmentContent, t: number, frameT: number, n: number): void {
    const still = content.stills?.filter((s) => s.t <= t && s.t >= frameT).at(-1);
    if (!still) return;
    createImageBitmap(new Blob([still.data as Uint8Array<ArrayBuffer>], { type: still.mime }))
      .then((bitmap) => {
        if (this.target === n && this.painted < n) this.options.paint(bitmap);
        bitmap.close();
      })
      .catch(() => undefined);
  }

  /** A fresh, configured decoder; false (after reporting) if the codec cannot be decoded here. */
  private async resetDecoder(): Promise<boolean> {
    const { codec, width, height } = this.options;
    const config: VideoDecoderConfig = { codec, codedWidth: width, codedHeight: height, optimizeForLatency: true };
    if (this.supported === undefined) {
      this.supported = typeof VideoDecoder !== 'undefined' && ((await VideoDecoder.isConfigSupported(config).catch(() => undefined))?.supported ?? false);
    }
    if (!this.supported) {
      this.fail(PlayerError.unsupportedCodec(codec));
      return false;
    }
    this.closeDecoder();
    const decoder = new VideoDecoder({
      output: (frame) => (this.decoder === decoder ? this.onOutput(frame) : frame.close()),
      error: (err) => {
        if (this.decoder === decoder) this.fail(PlayerError.decode(codec, err));
      },
    });
    decoder.configure(config);
    this.decoder = decoder;
    this.fed = -1;
    this.target = -1;
    this.painted = -1;
    return true;
  }

  private closeDecoder(): void {
    const decoder = this.decoder;
    this.decoder = undefined;
    if (decoder && decoder.state !== 'closed') decoder.close();
    this.waiter?.resolve();
  }

  private fail(error: PlayerError): void {
    this.broken = true;
    this.fed = -1;
    this.target = -1;
    this.waiter?.resolve();
    this.options.onError(error);
  }
}
