import { spawn, type ChildProcess } from 'node:child_process';
import { av1CodecString, av1SequenceHeaderOf, isAv1KeyFrame, isVp9KeyFrame, vp9CodecString } from './bitstream.ts';
import type { EncoderProfile } from './EncoderProfile.ts';
import { StderrTail, exitDescription } from '../../platform/ffmpeg.ts';
import { RecorderError } from './errors.ts';
import { IvfReader, type IvfFrame } from './IvfReader.ts';

/** Options of {@link FrameEncoder}. */
export interface FrameEncoderOptions {
  /** Pixels, even. */
  width: number;
  /** Pixels, even. */
  height: number;
  profile: EncoderProfile;
  /** ffmpeg executable. Default `ffmpeg`. */
  ffmpegPath?: string;
}

/** One encoded frame. */
export interface EncodedFrame {
  /** Milliseconds since the recording started: when the frame was grabbed. */
  t: number;
  /** A key frame: decoding can start here. */
  key: boolean;
  /** One AV1 temporal unit (low-overhead OBUs) or one VP9 frame, as `EncodedVideoChunk` takes it. */
  data: Uint8Array;
}

/** What {@link FrameEncoder} reports. */
export interface FrameEncoderEvents {
  /** Every frame, in the order `encode()` was called. */
  onFrame(frame: EncodedFrame): void;
  /** The process failed: it exited before `end()`, or wrote something malformed. Called once. */
  onError(err: RecorderError): void;
}

/** Lines of ffmpeg's stderr kept for error messages. */
const STDERR_LINES_KEPT = 10;

/** A frame written to ffmpeg whose packet has not come back yet. */
interface Pending {
  t: number;
  /** performance.now() when it was written. */
  writtenAt: number;
}

/**
 * One ffmpeg encoder process: raw I420 frames in on stdin, IVF out on stdout, one packet per frame
 * in input order (the profile has no lookahead). Its first frame is a key frame and, with the
 * profiles here, the only one: a new key frame means a new FrameEncoder.
 */
export class FrameEncoder {
  /** WebCodecs codec string, known after the first frame came out. */
  codec: string | undefined;
  private readonly child: ChildProcess;
  private readonly pending: Pending[] = [];
  private readonly reader: IvfReader;
  private readonly stderr = new StderrTail(STDERR_LINES_KEPT);
  private readonly frameBytes: number;
  private reducedStillPicture = false;
  private written = 0;
  private ending = false;
  private failed = false;
  private readonly exited: Promise<void>;

  constructor(
    private readonly options: FrameEncoderOptions,
    private readonly events: FrameEncoderEvents,
  ) {
    const { width, height } = options;
    if (width % 2 || height % 2 || width <= 0 || height <= 0) throw new RangeError(`bad frame size ${width}x${height}`);
    this.frameBytes = (width * height * 3) / 2;
    this.reader = new IvfReader((frame) => this.onIvfFrame(frame));
    const args = [
      '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error',
      // Without these ffmpeg reads ~5 MB (several frames) to probe the input before it encodes anything.
      '-probesize', '32', '-analyzeduration', '0',
      '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-video_size', `${width}x${height}`, '-framerate', '1',
      // The grabber's colours (see X11Grab), signalled so that players convert them right.
      '-color_range', 'tv', '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709',
      '-i', 'pipe:0',
      '-an', '-fps_mode', 'passthrough',
      ...options.profile.args,
      '-f', 'ivf', '-flush_packets', '1', 'pipe:1',
    ];
    this.child = spawn(options.ffmpegPath ?? 'ffmpeg', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const child = this.child;
    this.exited = new Promise((resolve) => {
      child.once('close', () => resolve());
      child.once('error', () => resolve());
    });
    child.on('error', (err) => this.fail(`cannot run ffmpeg: ${err.message}`, err));
    child.on('close', (code, signal) => {
      if (this.failed) return;
      if (!this.ending || code !== 0) {
        this.fail(`ffmpeg exited (${exitDescription(code, signal)}): ${this.stderr.last() || 'no output'}`);
      } else if (this.pending.length) {
        this.fail(`ffmpeg ended with ${this.pending.length} frame(s) not encoded`);
      }
    });
    // EPIPE after the process died is reported through 'close'.
    child.stdin!.on('error', () => undefined);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => this.stderr.push(text));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (this.failed) return;
      try {
        this.reader.push(chunk);
      } catch (err) {
        this.fail(`malformed output: ${(err as Error).message}`, err);
      }
    });
  }

  /** Process id of ffmpeg (for CPU accounting). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Frames written so far. */
  get frames(): number {
    return this.written;
  }

  /** Frames written whose packet has not come back. */
  get backlog(): number {
    return this.pending.length;
  }

  /** performance.now() when the oldest frame still inside the encoder was written; undefined if none. */
  get oldestPendingAt(): number | undefined {
    return this.pending[0]?.writtenAt;
  }

  /** Writes one I420 frame grabbed at `t` (milliseconds since the recording started). */
  encode(frame: Uint8Array, t: number): void {
    if (this.ending || this.failed) throw RecorderError.closed('the encoder is ending');
    if (frame.length !== this.frameBytes) throw new RangeError(`frame has ${frame.length} bytes, expected ${this.frameBytes}`);
    this.pending.push({ t, writtenAt: performance.now() });
    this.written++;
    this.child.stdin!.write(frame);
  }

  /** Closes ffmpeg's input; resolves when every frame came out and ffmpeg exited. Safe to call twice. */
  async end(): Promise<void> {
    if (!this.ending) {
      this.ending = true;
      this.child.stdin!.end();
    }
    await this.exited;
  }

  /** Kills ffmpeg at once; pending frames are lost and no more events are reported. Safe to call twice. */
  kill(): void {
    this.failed = true;
    this.ending = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private onIvfFrame(frame: IvfFrame): void {
    const pending = this.pending.shift();
    if (!pending) {
      this.fail('ffmpeg wrote more packets than frames were written');
      return;
    }
    let key: boolean;
    if (this.options.profile.codec === 'av1') {
      const seq = av1SequenceHeaderOf(frame.data);
      if (seq) {
        this.codec ??= av1CodecString(seq);
        this.reducedStillPicture = seq.reducedStillPictureHeader;
      }
      key = isAv1KeyFrame(frame.data, this.reducedStillPicture);
    } else {
      this.codec ??= vp9CodecString(this.options.width, this.options.height);
      key = isVp9KeyFrame(frame.data);
    }
    this.events.onFrame({ t: pending.t, key, data: frame.data });
  }

  private fail(reason: string, cause?: unknown): void {
    if (this.failed) return;
    this.failed = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    this.events.onError(RecorderError.encoderFailed(reason, cause));
  }
}
