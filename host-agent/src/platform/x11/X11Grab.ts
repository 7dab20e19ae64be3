import { spawn, type ChildProcess } from 'node:child_process';
import { StderrTail, exitDescription } from '../ffmpeg.ts';
import { RawFrameReader } from './RawFrameReader.ts';

/** Options of {@link X11Grab}. */
export interface X11GrabOptions {
  /** X display, e.g. `:0`. */
  display: string;
  /** Frames per second grabbed. */
  fps: number;
  /** Draw the mouse pointer into the frames. */
  drawMouse: boolean;
  /** ffmpeg executable. Default `ffmpeg` (looked up in PATH). */
  ffmpegPath?: string;
  /**
   * Let ffmpeg drop frames identical to the last one it wrote (mpdecimate with zero thresholds:
   * any changed pixel keeps a frame), so an idle screen sends nothing through the pipe. Only
   * changed frames then arrive; whoever needs repeats makes them.
   */
  dropUnchanged?: boolean;
}

/** What {@link X11Grab} reports. */
export interface X11GrabEvents {
  /** The frame size is known (before the first frame). Both are even. */
  onSize(width: number, height: number): void;
  /**
   * One grabbed frame (I420, BT.709 limited range). `frame` is the reader's own buffer, rewritten
   * by the next frame: copy what you keep. `changed` is false when every byte equals the previous
   * frame's.
   */
  onFrame(frame: Buffer, changed: boolean): void;
  /** ffmpeg could not start, exited, or its output made no sense. Called once; nothing after it. */
  onFailure(reason: string, cause?: unknown): void;
}

/** Bytes of stdout buffered while the frame size is still unknown (a few frames at most). */
const MAX_EARLY_BYTES = 64 * 1024 * 1024;

/**
 * One `ffmpeg -f x11grab` process (MIT-SHM) writing raw I420 frames to a pipe, cut into frames by
 * exact size. Shared by the live capture and the recorder, which differ only in what they do with
 * the frames.
 *
 * ffmpeg converts to yuv420p itself: measured at 1280x800, 30 fps on 2 busy cores, letting ffmpeg
 * emit rgb0 and converting in Node with libyuv cost about the same CPU in total, but moved 2.7
 * times the bytes through the pipe onto the Node event loop, and libyuv there only offers BT.601.
 * The frame size comes from ffmpeg's own stream description on stderr (an odd screen width or
 * height loses its last column or row); it is read once, so after a resolution change make a new
 * grab. Needs ffmpeg >= 5.0 (`-fps_mode`).
 */
export class X11Grab {
  /** Resolves once ffmpeg has exited (or could not start). */
  readonly exited: Promise<void>;
  private readonly child: ChildProcess;
  private readonly stderr = new StderrTail();
  private reader: RawFrameReader | undefined;
  private sawOutputHeader = false;
  private early: Buffer[] = [];
  private earlyBytes = 0;
  private stopped = false;

  constructor(
    options: X11GrabOptions,
    private readonly events: X11GrabEvents,
  ) {
    const args = [
      '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info',
      // Without these ffmpeg first reads frames to probe the input (at 1 fps: seconds).
      '-probesize', '32', '-analyzeduration', '0',
      '-f', 'x11grab', '-framerate', String(options.fps), '-draw_mouse', options.drawMouse ? '1' : '0',
      '-i', options.display,
      // Without passthrough ffmpeg duplicates frames to hold a constant rate; without the
      // demuxer's microsecond time base the muxer complains about equal timestamps.
      '-fps_mode', 'passthrough', '-enc_time_base', '-1',
      // I420 needs even sizes. Browsers treat VP8/VP9 without a signalled colour space as BT.709
      // limited range; with swscale's default BT.601 every colour arrived shifted.
      '-vf', `crop=trunc(iw/2)*2:trunc(ih/2)*2:0:0,scale=out_color_matrix=bt709:out_range=tv${options.dropUnchanged ? ',mpdecimate=hi=0:lo=0:frac=0:max=0' : ''}`,
      // The raw "encoder" is frame-threaded by default, which holds every frame back one interval.
      '-an', '-threads', '1', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1',
    ];
    const child = spawn(options.ffmpegPath ?? 'ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('close', () => resolve());
      child.once('error', () => resolve());
    });
    child.on('error', (err) => this.fail(`cannot run ffmpeg: ${err.message}`, err));
    // 'close' (not 'exit') so that all of stderr has been read for the message.
    child.on('close', (code, signal) => this.fail(`ffmpeg exited (${exitDescription(code, signal)}): ${this.stderr.last() || 'no output'}`));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      for (const line of this.stderr.push(text)) if (!this.reader) this.parseStreamInfo(line);
    });
    child.stdout!.on('data', (chunk: Buffer) => this.onStdout(chunk));
  }

  /** Process id of ffmpeg (for CPU accounting, logs and tests). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Stops ffmpeg; no events after this. Safe to call twice. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.child.stdout?.removeAllListeners('data');
    this.child.stderr?.removeAllListeners('data');
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** Finds the output size in `Stream #0:0: Video: rawvideo (I420 / ...), yuv420p(tv, bt709), 1280x800, ...`. */
  private parseStreamInfo(line: string): void {
    if (/^Output #0\b/.test(line)) this.sawOutputHeader = true;
    if (!this.sawOutputHeader) return;
    const match = /Stream #0:0.*: Video: .*?, (\d+)x(\d+)(?=[,\s[]|$)/.exec(line);
    if (!match) return;
    const width = Number(match[1]);
    const height = Number(match[2]);
    if (width % 2 !== 0 || height % 2 !== 0 || width === 0 || height === 0) {
      this.fail(`screen size ${width}x${height} cannot be carried as I420`);
      return;
    }
    this.reader = new RawFrameReader((width * height * 3) / 2, (frame, changed) => {
      if (!this.stopped) this.events.onFrame(frame, changed);
    });
    this.events.onSize(width, height);
    const early = this.early;
    this.early = [];
    for (const chunk of early) this.reader.push(chunk);
  }

  private onStdout(chunk: Buffer): void {
    if (this.stopped) return;
    if (this.reader) {
      this.reader.push(chunk);
      return;
    }
    this.early.push(chunk);
    this.earlyBytes += chunk.length;
    if (this.earlyBytes > MAX_EARLY_BYTES) this.fail(`frame size not found in ffmpeg output: ${this.stderr.last()}`);
  }

  private fail(reason: string, cause?: unknown): void {
    if (this.stopped) return;
    this.stop();
    this.events.onFailure(reason, cause);
  }
}
