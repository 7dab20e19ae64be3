import { PlatformError } from '../errors.ts';
import type { CapturedFrame, PlatformLogger, ScreenCapture } from '../types.ts';
import { X11Grab } from './X11Grab.ts';

/** Options of {@link X11ScreenCapture}. */
export interface X11ScreenCaptureOptions {
  /** X display to capture, e.g. `:0`. */
  display: string;
  /** Frames per second ffmpeg grabs. Default 30. */
  fps?: number;
  /** ffmpeg executable. Default `ffmpeg` (looked up in PATH). */
  ffmpegPath?: string;
  /** Milliseconds: an unchanged screen is still delivered this often. Default 1000. */
  keepaliveMs?: number;
  /**
   * Milliseconds after the start and after each change during which every frame is delivered,
   * changed or not, so the encoder can ramp up and refine a still picture to full quality
   * (with only the keep-alive it needs several seconds for a sharp first frame). Default 1500.
   */
  settleMs?: number;
  /** Milliseconds `start()` waits for the first frame. Default 10000. */
  startTimeoutMs?: number;
  /** Draw the mouse pointer into the frames. Default true. */
  drawMouse?: boolean;
  logger?: PlatformLogger;
}

/**
 * Captures an X11 screen for the live stream and delivers I420 frames ({@link X11Grab} runs
 * ffmpeg). ffmpeg itself drops frames identical to the last one it sent, so an idle screen costs
 * no pipe traffic, no copy and no encoding downstream; the last frame is sent again from here at
 * the capture rate while the screen settles after a change (so the encoder can sharpen it) and
 * once per `keepaliveMs` after that. Measured on the 2-core test machine at 1280x800, 30 fps with
 * an idle screen: ffmpeg ~10% of a core either way, but 18 MB instead of 544 MB through the pipe
 * per 12 s, which Node had to read and compare.
 */
export class X11ScreenCapture implements ScreenCapture {
  private _width = 0;
  private _height = 0;
  private grab: X11Grab | undefined;
  private closed = false;
  private started = false;
  private failed = false;
  private lastDeliveredAt = 0;
  /** The last frame delivered, sent again while a still picture settles and as the keep-alive. */
  private lastFrame: Uint8Array | undefined;
  private repeatTimer: NodeJS.Timeout | undefined;
  /** performance.now() of the last changed frame (or the first frame). */
  private lastChangeAt: number | undefined;
  private onFrame: ((f: CapturedFrame) => void) | undefined;
  private onError: ((e: Error) => void) | undefined;
  private settleStart: ((err?: PlatformError) => void) | undefined;
  private startTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: X11ScreenCaptureOptions) {
    const fps = options.fps ?? 30;
    if (!(fps > 0 && fps <= 120)) throw new RangeError(`fps must be in (0, 120], got ${fps}`);
  }

  /** Pixels; 0 until `start()` resolves. */
  get width(): number {
    return this._width;
  }

  /** Pixels; 0 until `start()` resolves. */
  get height(): number {
    return this._height;
  }

  /** Starts ffmpeg; resolves after the first frame was delivered. See {@link ScreenCapture.start}. */
  start(onFrame: (f: CapturedFrame) => void, onError: (e: Error) => void): Promise<void> {
    if (this.closed) return Promise.reject(PlatformError.closed('screen capture'));
    if (this.started) return Promise.reject(PlatformError.captureFailed('already started'));
    this.started = true;
    this.onFrame = onFrame;
    this.onError = onError;
    return new Promise<void>((resolve, reject) => {
      this.settleStart = (err) => {
        this.settleStart = undefined;
        clearTimeout(this.startTimer);
        if (err) reject(err);
        else resolve();
      };
      this.startTimer = setTimeout(() => {
        this.fail(PlatformError.captureFailed(`no frame within ${this.options.startTimeoutMs ?? 10_000} ms`));
      }, this.options.startTimeoutMs ?? 10_000);
      this.spawnFfmpeg();
    });
  }

  /** Stops ffmpeg and drops all callbacks. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.startTimer);
    this.settleStart?.(PlatformError.closed('screen capture'));
    this.stopGrab();
    this.onFrame = undefined;
    this.onError = undefined;
  }

  private spawnFfmpeg(): void {
    this.grab = new X11Grab(
      {
        display: this.options.display,
        fps: this.options.fps ?? 30,
        drawMouse: this.options.drawMouse !== false,
        ffmpegPath: this.options.ffmpegPath,
        // An idle screen then costs no pipe traffic and no comparison here; repeats are made below.
        dropUnchanged: true,
      },
      {
        onSize: (width, height) => {
          this._width = width;
          this._height = height;
        },
        onFrame: (frame, changed) => this.onRawFrame(frame, changed),
        onFailure: (reason, cause) => this.fail(PlatformError.captureFailed(reason, cause)),
      },
    );
    this.options.logger?.debug({ display: this.options.display, pid: this.grab.pid }, 'ffmpeg capture started');
  }

  private onRawFrame(frame: Buffer, changed: boolean): void {
    const now = performance.now();
    const keepaliveMs = this.options.keepaliveMs ?? 1000;
    if (changed || this.lastChangeAt === undefined) this.lastChangeAt = now;
    const settling = now - this.lastChangeAt < (this.options.settleMs ?? 1500);
    if (!changed && !settling && now - this.lastDeliveredAt < keepaliveMs) return;
    // A copy: the reader reuses its buffer, and the consumer may keep the frame.
    this.deliver(new Uint8Array(frame), now);
  }

  /**
   * ffmpeg sends only changed frames, so the last one is sent again from here: at the capture
   * rate while a still picture settles (the encoder refines it to full quality), then once per
   * keep-alive period.
   */
  private scheduleRepeat(): void {
    clearTimeout(this.repeatTimer);
    if (this.closed || this.failed || this.lastChangeAt === undefined) return;
    const settleLeft = this.lastChangeAt + (this.options.settleMs ?? 1500) - this.lastDeliveredAt;
    const waitMs = settleLeft > 0 ? 1000 / (this.options.fps ?? 30) : (this.options.keepaliveMs ?? 1000);
    this.repeatTimer = setTimeout(() => {
      if (this.lastFrame) this.deliver(this.lastFrame, performance.now());
    }, waitMs);
  }

  private deliver(data: Uint8Array, now: number): void {
    const onFrame = this.onFrame;
    if (!onFrame) return;
    this.lastDeliveredAt = now;
    this.lastFrame = data;
    try {
      onFrame({ width: this._width, height: this._height, data });
    } catch (err) {
      // A throwing consumer must not become an uncaught exception in the stream handler.
      this.fail(PlatformError.captureFailed(`frame handler threw: ${(err as Error).message}`, err));
      return;
    }
    this.settleStart?.();
    this.scheduleRepeat();
  }

  /** Reports a failure once: rejects `start()` if still pending, else calls `onError`. */
  private fail(err: PlatformError): void {
    if (this.closed || this.failed) return;
    this.failed = true;
    this.stopGrab();
    this.options.logger?.warn({ err: err.message }, 'screen capture failed');
    if (this.settleStart) {
      this.settleStart(err);
      return;
    }
    const onError = this.onError;
    this.onError = undefined;
    this.onFrame = undefined;
    onError?.(err);
  }

  private stopGrab(): void {
    clearTimeout(this.repeatTimer);
    this.lastFrame = undefined;
    this.grab?.stop();
    this.grab = undefined;
  }
}
