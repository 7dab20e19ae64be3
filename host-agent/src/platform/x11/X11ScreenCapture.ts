import { spawn, type ChildProcess } from 'node:child_process';
import { PlatformError } from '../errors.ts';
import type { CapturedFrame, PlatformLogger, ScreenCapture } from '../types.ts';
import { RawFrameReader } from './RawFrameReader.ts';

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

/** Lines of ffmpeg's stderr kept for error messages. */
const STDERR_LINES_KEPT = 20;
/** Bytes of stdout buffered while the frame size is still unknown (a few frames at most). */
const MAX_EARLY_BYTES = 64 * 1024 * 1024;

/**
 * Captures an X11 screen with `ffmpeg -f x11grab` (MIT-SHM) and delivers I420 frames.
 *
 * ffmpeg converts to yuv420p itself and writes raw frames to a pipe; {@link RawFrameReader} cuts
 * them by exact size and skips frames identical to the previous one, except for one keep-alive
 * frame per `keepaliveMs`, so an idle screen costs no copy and no encoding downstream.
 *
 * Why ffmpeg converts: measured at 1280x800, 30 fps on 2 busy cores, letting ffmpeg emit rgb0
 * (a cheap byte shuffle of x11grab's bgr0) and converting in Node with libyuv
 * (`wrtc.nonstandard.rgbaToI420`) cost about the same in total (ffmpeg ~6% + Node 11-20% vs
 * ffmpeg ~11% + Node ~7% of a core), but moved 2.7 times the bytes through the pipe onto the Node
 * event loop, which also carries input and signalling; and libyuv there only offers BT.601.
 *
 * The frame size comes from ffmpeg's own stream description on stderr (an odd screen width or
 * height loses its last column or row, as I420 needs even sizes); it is read once, so after a
 * resolution change make a new capture. Needs ffmpeg >= 5.0 (`-fps_mode`).
 */
export class X11ScreenCapture implements ScreenCapture {
  private _width = 0;
  private _height = 0;
  private child: ChildProcess | undefined;
  private closed = false;
  private started = false;
  private failed = false;
  private readonly stderrLines: string[] = [];
  private stderrRest = '';
  private sawOutputHeader = false;
  private reader: RawFrameReader | undefined;
  private earlyChunks: Buffer[] = [];
  private earlyBytes = 0;
  private lastDeliveredAt = 0;
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
    this.stopChild();
    this.onFrame = undefined;
    this.onError = undefined;
    this.reader = undefined;
    this.earlyChunks = [];
  }

  private spawnFfmpeg(): void {
    const args = [
      '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info',
      '-f', 'x11grab', '-framerate', String(this.options.fps ?? 30),
      '-draw_mouse', this.options.drawMouse === false ? '0' : '1',
      '-i', this.options.display,
      // Without passthrough ffmpeg duplicates frames to hold a constant rate; without the
      // demuxer's microsecond time base the muxer complains about equal timestamps.
      '-fps_mode', 'passthrough', '-enc_time_base', '-1',
      // I420 needs even sizes: an odd screen loses its last column or row. Browsers treat our
      // VP8/VP9 (no colour space signalled) as BT.709 limited range; with swscale's default
      // BT.601 every colour arrived shifted (green lost ~8 levels of luma).
      '-vf', 'crop=trunc(iw/2)*2:trunc(ih/2)*2:0:0,scale=out_color_matrix=bt709:out_range=tv',
      '-an', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1',
    ];
    const child = spawn(this.options.ffmpegPath ?? 'ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.on('error', (err) => this.fail(PlatformError.captureFailed(`cannot run ffmpeg: ${err.message}`, err)));
    // 'close' (not 'exit') so that all of stderr has been read for the message.
    child.on('close', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      this.fail(PlatformError.captureFailed(`ffmpeg exited (${how}): ${this.lastStderrLine() || 'no output'}`));
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => this.onStderr(text));
    child.stdout!.on('data', (chunk: Buffer) => this.onStdout(chunk));
    this.options.logger?.debug({ display: this.options.display, pid: child.pid }, 'ffmpeg capture started');
  }

  private onStderr(text: string): void {
    const parts = (this.stderrRest + text).split(/\r\n|\r|\n/);
    this.stderrRest = parts.pop() ?? '';
    for (const line of parts) {
      if (!line.trim()) continue;
      this.stderrLines.push(line);
      if (this.stderrLines.length > STDERR_LINES_KEPT) this.stderrLines.shift();
      if (!this.reader) this.parseStreamInfo(line);
    }
  }

  /** Finds the output stream's size in ffmpeg's `Stream #0:0: Video: rawvideo (I420 / ...), yuv420p(tv, bt709), 1280x800, ...`. */
  private parseStreamInfo(line: string): void {
    if (/^Output #0\b/.test(line)) this.sawOutputHeader = true;
    if (!this.sawOutputHeader) return;
    const match = /Stream #0:0.*: Video: .*?, (\d+)x(\d+)(?=[,\s[]|$)/.exec(line);
    if (!match) return;
    const width = Number(match[1]);
    const height = Number(match[2]);
    if (width % 2 !== 0 || height % 2 !== 0) {
      this.fail(PlatformError.captureFailed(`odd screen size ${width}x${height} cannot be sent as I420`));
      return;
    }
    this._width = width;
    this._height = height;
    this.reader = new RawFrameReader((width * height * 3) / 2, (frame, changed) => this.onRawFrame(frame, changed));
    const early = this.earlyChunks;
    this.earlyChunks = [];
    for (const chunk of early) this.reader?.push(chunk);
  }

  private onStdout(chunk: Buffer): void {
    if (this.closed || this.failed) return;
    if (this.reader) {
      this.reader.push(chunk);
      return;
    }
    this.earlyChunks.push(chunk);
    this.earlyBytes += chunk.length;
    if (this.earlyBytes > MAX_EARLY_BYTES) {
      this.fail(PlatformError.captureFailed(`frame size not found in ffmpeg output: ${this.lastStderrLine()}`));
    }
  }

  private onRawFrame(frame: Buffer, changed: boolean): void {
    const now = performance.now();
    const keepaliveMs = this.options.keepaliveMs ?? 1000;
    if (changed || this.lastChangeAt === undefined) this.lastChangeAt = now;
    const settling = now - this.lastChangeAt < (this.options.settleMs ?? 1500);
    if (!changed && !settling && now - this.lastDeliveredAt < keepaliveMs) return;
    const onFrame = this.onFrame;
    if (!onFrame) return;
    this.lastDeliveredAt = now;
    try {
      // A copy: the reader reuses its buffer, and the consumer may keep the frame.
      onFrame({ width: this._width, height: this._height, data: new Uint8Array(frame) });
    } catch (err) {
      // A throwing consumer must not become an uncaught exception in the stream handler.
      this.fail(PlatformError.captureFailed(`frame handler threw: ${(err as Error).message}`, err));
      return;
    }
    this.settleStart?.();
  }

  /** Reports a failure once: rejects `start()` if still pending, else calls `onError`. */
  private fail(err: PlatformError): void {
    if (this.closed || this.failed) return;
    this.failed = true;
    this.stopChild();
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

  private stopChild(): void {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    child.stdout?.removeAllListeners('data');
    child.stderr?.removeAllListeners('data');
    // Keep an error listener so a late EPIPE/ESRCH cannot become an uncaught exception.
    child.removeAllListeners('error');
    child.on('error', () => undefined);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  private lastStderrLine(): string {
    return (this.stderrLines.at(-1) ?? this.stderrRest).trim();
  }
}
