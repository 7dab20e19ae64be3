import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type * as Wrtc from '@roamhq/wrtc';
import { PlatformError } from '../errors.ts';
import type { CapturedFrame, PlatformLogger, ScreenCapture } from '../types.ts';
import { RawFrameReader } from './RawFrameReader.ts';

/**
 * Pixel format ffmpeg writes to the pipe.
 * - `yuv420p` (default): ffmpeg converts every frame (swscale); Node reads 1.5 MB per 1280x800
 *   frame and only copies frames that changed.
 * - `rgb0`: ffmpeg only reorders bytes (x11grab delivers bgr0); Node reads 4 MB per frame and
 *   converts changed frames with libyuv (`wrtc.nonstandard.rgbaToI420`, which reads R,G,B,A and
 *   ignores A: exactly rgb0's layout).
 * Measured at 1280x800, 30 fps on 2 busy cores, medians: ffmpeg 11% vs 6%, Node 7% vs 11-20% of
 * a core; the totals are similar but `yuv420p` keeps the Node event loop (which also carries input
 * and signalling) much lighter.
 */
export type CapturePixelFormat = 'rgb0' | 'yuv420p';

/** Options of {@link X11ScreenCapture}. */
export interface X11ScreenCaptureOptions {
  /** X display to capture, e.g. `:0`. */
  display: string;
  /** Frames per second ffmpeg grabs. Default 30. */
  fps?: number;
  /** ffmpeg executable. Default `ffmpeg` (looked up in PATH). */
  ffmpegPath?: string;
  /** Default `yuv420p` (see {@link CapturePixelFormat}). */
  pixelFormat?: CapturePixelFormat;
  /** Milliseconds: an unchanged screen is still delivered this often. Default 1000. */
  keepaliveMs?: number;
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
 * ffmpeg writes raw frames to a pipe; {@link RawFrameReader} cuts them by exact size and skips
 * frames identical to the previous one, except for one keep-alive frame per `keepaliveMs`, so an
 * idle screen costs no conversion and no encoding downstream. The screen size comes from
 * ffmpeg's own stream description on stderr. Needs ffmpeg >= 5.0 (`-fps_mode`). The size is read
 * once: after a resolution change, make a new capture.
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
  private onFrame: ((f: CapturedFrame) => void) | undefined;
  private onError: ((e: Error) => void) | undefined;
  private settleStart: ((err?: PlatformError) => void) | undefined;
  private startTimer: NodeJS.Timeout | undefined;
  private toI420: ((frame: Buffer) => Uint8Array) | undefined;

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
    const format = this.options.pixelFormat ?? 'yuv420p';
    const args = [
      '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info',
      '-f', 'x11grab', '-framerate', String(this.options.fps ?? 30),
      '-draw_mouse', this.options.drawMouse === false ? '0' : '1',
      '-i', this.options.display,
      // Without passthrough ffmpeg duplicates frames to hold a constant rate; without the
      // demuxer's microsecond time base the muxer complains about equal timestamps.
      '-fps_mode', 'passthrough', '-enc_time_base', '-1',
      // Browsers decode our unsignalled VP9/VP8 as BT.709 (limited range): convert with the
      // same matrix, or every colour arrives shifted (green lost ~8 levels of luma with BT.601).
      ...(format === 'yuv420p' ? ['-vf', 'scale=out_color_matrix=bt709:out_range=tv'] : []),
      '-an', '-f', 'rawvideo', '-pix_fmt', format, 'pipe:1',
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
    this.options.logger?.debug({ display: this.options.display, format, pid: child.pid }, 'ffmpeg capture started');
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

  /** Finds the output stream's size in ffmpeg's `Stream #0:0: Video: rawvideo (...), rgb0, 1280x800, ...`. */
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
    this.prepareConversion(width, height);
    const bytesPerFrame = this.options.pixelFormat === 'rgb0' ? width * height * 4 : (width * height * 3) / 2;
    this.reader = new RawFrameReader(bytesPerFrame, (frame, changed) => this.onRawFrame(frame, changed));
    const early = this.earlyChunks;
    this.earlyChunks = [];
    for (const chunk of early) this.reader?.push(chunk);
  }

  private prepareConversion(width: number, height: number): void {
    if (this.options.pixelFormat !== 'rgb0') {
      this.toI420 = (frame) => new Uint8Array(frame);
      return;
    }
    const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as typeof Wrtc;
    this.toI420 = (frame) => {
      const out = new Uint8Array((width * height * 3) / 2);
      // rgbaToI420 is libyuv's ABGRToI420: it reads bytes in R,G,B,A order and ignores A.
      const rgba = new Uint8Array(frame.buffer, frame.byteOffset, frame.length);
      wrtc.nonstandard.rgbaToI420({ width, height, data: rgba }, { width, height, data: out });
      return out;
    };
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
    if (!changed && now - this.lastDeliveredAt < keepaliveMs) return;
    const onFrame = this.onFrame;
    if (!onFrame || !this.toI420) return;
    this.lastDeliveredAt = now;
    try {
      onFrame({ width: this._width, height: this._height, data: this.toI420(frame) });
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
