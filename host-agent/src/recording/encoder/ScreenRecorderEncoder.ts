import { DEFAULT_PROFILE, type EncoderProfile } from './EncoderProfile.ts';
import { RecorderError } from './errors.ts';
import { FrameEncoder, type EncodedFrame } from './FrameEncoder.ts';
import { KeyPolicy, type RekeyRule } from './KeyPolicy.ts';
import type { ScreenGrab, ScreenGrabFactory } from '../../platform/x11/DamageGrab.ts';
import { X11Grab } from '../../platform/x11/X11Grab.ts';
import { Segmenter } from './Segmenter.ts';
import type { RecorderLogger, RecorderStats, RecordingSegment, RecordingStream } from './types.ts';

/** Options of {@link ScreenRecorderEncoder}. */
export interface ScreenRecorderEncoderOptions {
  /** X display to record, e.g. `:0`. */
  display: string;
  /** Frames per second recorded; only frames that differ from the previous one are encoded. Default 1. */
  fps?: number;
  /**
   * Frames per second the screen is grabbed at, at least `fps`; one grab per recording interval is
   * taken (a change in the others is carried into it). x11grab delivers its first frame only after
   * one frame interval, and the session waits for the recorder's first frame: at 1 fps that alone
   * was ~1.2 s of the session's setup. Default 4 (the extra grabs cost ~1% of a core).
   */
  grabFps?: number;
  /** Milliseconds of screen time per segment: at most this much is lost if the host dies. Default 5000. */
  segmentMs?: number;
  /** Codec and encoder settings. Default {@link DEFAULT_PROFILE}. */
  profile?: EncoderProfile;
  /**
   * Frames after a key frame from which a new key frame is due: it is made at the next idle
   * moment, from the still screen (seeking decodes at most about this many frames). Default 60.
   */
  keyAfterFrames?: number;
  /** Milliseconds the screen must stay unchanged before a due key frame is made. Default 2000. */
  idleKeyMs?: number;
  /** Frames after which a changed frame becomes a key frame even without an idle moment. Default 180. */
  maxKeyIntervalFrames?: number;
  /** When a too large inter frame is encoded again as a key frame. Default {@link DEFAULT_REKEY}; false: never. */
  rekey?: RekeyRule | false;
  /**
   * Milliseconds an encoder may work on one frame (from when it could start on it) before the
   * recorder reports itself behind; the session must then freeze. Default 6000 (the slowest
   * frames took under 2 s on the 2-core test machine, 3.5 s with other heavy work beside it).
   */
  maxLagMs?: number;
  /**
   * The same for a key frame, which costs far more: a screen full of small text took 4-5 s with
   * the default profile on the test machine. Default 15000.
   */
  maxKeyLagMs?: number;
  /** Frames waiting inside the encoders above which the recorder is behind. Default 8. */
  maxBacklog?: number;
  /**
   * Frames inside the encoders from which new grabs are not queued: under load (a screen flooded
   * with new text) the recorder then encodes the newest screen once the encoder has caught up,
   * at a lower frame rate, instead of queueing every grab until it is behind. Default 2.
   */
  maxQueued?: number;
  /** Draw the mouse pointer into the recording. Default true. */
  drawMouse?: boolean;
  /** Milliseconds `start()` waits for the first encoded frame. Default 15000. */
  startTimeoutMs?: number;
  /** ffmpeg executable. Default `ffmpeg`. */
  ffmpegPath?: string;
  /** How the screen is grabbed. Default: an ffmpeg x11grab process ({@link X11Grab}). */
  grab?: ScreenGrabFactory;
  logger?: RecorderLogger;
  /**
   * Sees every grabbed frame (I420, the grabber's buffer: copy it to keep it) before change
   * detection. For benchmarks that need a lossless reference; leave unset in production, where
   * screen content must not leave the recorder unencrypted.
   */
  tap?: (sample: { t: number; changed: boolean; frame: Buffer }) => void;
}

/** What {@link ScreenRecorderEncoder} reports. */
export interface ScreenRecorderEncoderEvents {
  /** Every `segmentMs`, in order, also when the screen was idle (then `frames` is empty). */
  onSegment(segment: RecordingSegment): void;
  /** The recording stopped: the grabber or an encoder died, or fell behind. Called once; never after `close()`. */
  onError(err: RecorderError): void;
  /**
   * The encoder is falling behind (`true`: a frame has waited over a third of what it may) or has
   * caught up again (`false`, after PRESSURE_CLEAR_MS with every frame quick). The live stream
   * should give up CPU meanwhile, so that the recording never stops (SREC5). Optional.
   */
  onPressure?(underPressure: boolean): void;
  /**
   * The first grab is inside a running encoder: from here on the screen is being recorded.
   * Comes before `start()` resolves (which waits until that frame is encoded, ~1 s for a key
   * frame). Called at most once.
   */
  onRecording?(): void;
}

/** Milliseconds between watchdog checks. */
const WATCHDOG_MS = 250;
/** Milliseconds the grabber may stay silent beyond its frame interval before it counts as stalled. */
const GRAB_SILENCE_MS = 2000;
/** Share of the allowed lag from which the recorder is under pressure, and below which it is quick. */
const PRESSURE_ON = 1 / 3;
const PRESSURE_OFF = 1 / 8;
/** Milliseconds every frame must stay quick before the pressure is over. */
const PRESSURE_CLEAR_MS = 3000;

/** One encoder process: a key frame and the frames that depend on it. */
interface Gop {
  encoder: FrameEncoder;
  /** Frames it produced while an earlier GOP was still finishing. */
  held: EncodedFrame[];
  /** The raw frames inside the encoder, oldest first (kept to encode them again after a re-key). */
  raws: Array<{ t: number; data: Buffer }>;
  /** Its process has exited: everything it made was delivered or dropped. */
  done: boolean;
  /** Cut short by a re-key: what it still produces is dropped. */
  truncated: boolean;
}

/**
 * Records an X11 screen for session recordings: grabs it at a low rate (ffmpeg x11grab), drops
 * frames identical to the previous one (an idle screen costs nothing), encodes the rest without
 * lookahead (AV1 by default) and hands out the encoded frames in segments of `segmentMs`, in
 * memory only.
 *
 * Key frames are expensive on screens full of text (tens of KB), so the recorder places them
 * itself (KeyPolicy), each as the first frame of a new encoder process: the first frame; then,
 * once `keyAfterFrames` frames followed the last key frame, the unchanged screen encoded again at
 * the next moment it has been still for `idleKeyMs` (`maxKeyIntervalFrames` bounds the interval
 * when the screen never rests); and an inter frame that came out far larger than a key frame of
 * that screen would be (new text over most of the screen) is dropped and encoded again as a key
 * frame, which costs less there (`rekey`). A player seeking to time T decodes from the last key
 * frame at or before T.
 */
export class ScreenRecorderEncoder {
  private grabber: ScreenGrab | undefined;
  private readonly grabFps: number;
  private readonly gops: Gop[] = [];
  /** Frames written to an encoder and not yet handed to a segment: grab time and write time. */
  private readonly inFlight: Array<{ t: number; at: number; key: boolean }> = [];
  /** performance.now() when an encoder last produced a frame. */
  private lastOutputAt = 0;
  private readonly segments: Segmenter;
  private startedAt = 0;
  private lastSampleAt = 0;
  /** The grabber has delivered a frame. */
  private grabbed = false;
  private readonly keys: KeyPolicy;
  private _width = 0;
  private _height = 0;
  private _codec: string | undefined;
  private readonly _stats: RecorderStats = { samples: 0, frames: 0, keyFrames: 0, bytes: 0, rekeyed: 0, skipped: 0, maxKeyLagMs: 0, maxFrameLagMs: 0 };
  private segmentTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private startTimer: NodeJS.Timeout | undefined;
  private settleStart: ((err?: RecorderError) => void) | undefined;
  private started = false;
  private failed = false;
  /** A changed grab was not taken (between recording intervals, or under load): the next one counts as changed. */
  private unrecordedChange = false;
  /** performance.now() of the last grab taken. */
  private lastTakenAt: number | undefined;
  /** A copy of the newest changed grab that was not taken, recorded at close() so the last screen is kept. */
  private untaken: { frame: Buffer; at: number } | undefined;
  private closing: Promise<void> | undefined;
  /** Under pressure since, or undefined; and since when every frame has been quick. */
  private pressure: { since: number; quickSince: number | undefined } | undefined;

  constructor(
    private readonly options: ScreenRecorderEncoderOptions,
    private readonly events: ScreenRecorderEncoderEvents,
  ) {
    const fps = options.fps ?? 1;
    if (!(fps > 0 && fps <= 30)) throw new RangeError(`fps must be in (0, 30], got ${fps}`);
    this.grabFps = Math.max(fps, options.grabFps ?? 4);
    if (!(this.grabFps <= 30)) throw new RangeError(`grabFps must be at most 30, got ${this.grabFps}`);
    if (!((options.segmentMs ?? 5000) >= 500)) throw new RangeError('segmentMs must be at least 500');
    this.segments = new Segmenter(options.segmentMs ?? 5000, (segment) => this.events.onSegment(segment));
    this.keys = new KeyPolicy(options);
  }

  /** WebCodecs codec string; known once `start()` resolved. */
  get codec(): string | undefined {
    return this._codec;
  }

  /** Pixels; 0 until `start()` resolved. */
  get width(): number {
    return this._width;
  }

  /** Pixels; 0 until `start()` resolved. */
  get height(): number {
    return this._height;
  }

  /** Counters so far. */
  get stats(): RecorderStats {
    return { ...this._stats };
  }

  /** Process ids of the grabber and the encoders now running (for CPU accounting). */
  get pids(): number[] {
    const pids = [this.grabber?.pid, ...this.gops.map((g) => g.encoder.pid)];
    return pids.filter((p): p is number => p !== undefined);
  }

  /**
   * Starts grabbing and encoding. Resolves once the first frame (a key frame) is encoded, with
   * what a player needs; rejects with a RecorderError if that does not happen.
   */
  start(): Promise<RecordingStream> {
    if (this.started || this.closing) return Promise.reject(RecorderError.closed('the recorder was already started or closed'));
    this.started = true;
    this.startedAt = performance.now();
    this.lastSampleAt = this.startedAt;
    return new Promise<RecordingStream>((resolve, reject) => {
      this.settleStart = (err) => {
        this.settleStart = undefined;
        clearTimeout(this.startTimer);
        if (err) reject(err);
        else resolve({ codec: this._codec!, width: this._width, height: this._height });
      };
      const timeoutMs = this.options.startTimeoutMs ?? 15_000;
      this.startTimer = setTimeout(() => this.fail(RecorderError.captureFailed(`no frame encoded within ${timeoutMs} ms`)), timeoutMs);
      const newGrab = this.options.grab ?? ((o, e) => new X11Grab(o, e));
      this.grabber = newGrab(
        { display: this.options.display, fps: this.grabFps, drawMouse: this.options.drawMouse ?? true, ffmpegPath: this.options.ffmpegPath },
        {
          onSize: (w, h) => {
            this._width = w;
            this._height = h;
          },
          onFrame: (frame, changed) => this.onSample(frame, changed, performance.now()),
          onFailure: (reason, cause) => this.fail(RecorderError.captureFailed(reason, cause)),
        },
      );
      this.scheduleSegment();
      this.watchdog = setInterval(() => this.checkLag(), WATCHDOG_MS);
    });
  }

  /**
   * Stops grabbing, lets the encoders finish the frames they have, and emits the remaining
   * segments up to now (the last one shorter). Safe to call twice; after a failure it only
   * releases what is left.
   */
  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private async finish(): Promise<void> {
    this.grabber?.stop();
    clearInterval(this.watchdog);
    clearTimeout(this.segmentTimer);
    this.settleStart?.(RecorderError.closed('the recorder was closed before its first frame'));
    if (this.failed || !this.started) {
      // Killed already: wait until the processes are gone, so that nothing outlives close().
      await Promise.all([this.grabber?.exited, ...this.gops.map((g) => g.encoder.end())]);
      return;
    }
    const endMs = this.now();
    this.takeUntaken();
    await Promise.all(this.gops.map((g) => g.encoder.end()));
    if (this.failed) return;
    if (this.inFlight.length) {
      // An encoder died while finishing: those frames are lost, the rest is still emitted.
      this.options.logger?.warn({ lost: this.inFlight.length }, 'recording encoder lost frames while closing');
      this.inFlight.length = 0;
    }
    this.segments.finish(endMs);
    this.options.logger?.info({ ...this._stats }, 'recording encoder closed');
  }

  /** Milliseconds since start. */
  private now(): number {
    return Math.round(performance.now() - this.startedAt);
  }

  private onSample(frame: Buffer, changed: boolean, at: number): void {
    if (this.failed || this.closing) return;
    this.lastSampleAt = at;
    this.grabbed = true;
    const dirty = changed || this.unrecordedChange;
    // One grab per recording interval (half a grab interval early is on time).
    const intervalMs = 1000 / (this.options.fps ?? 1) - 500 / this.grabFps;
    if (this.lastTakenAt !== undefined && at - this.lastTakenAt < intervalMs) {
      this.unrecordedChange = dirty;
      if (changed) this.keepUntaken(frame, at);
      return;
    }
    this.lastTakenAt = at;
    const t = Math.round(at - this.startedAt);
    this._stats.samples++;
    this.options.tap?.({ t, changed: dirty, frame });
    const current = this.gops.at(-1);
    if (current && this.inFlight.length >= (this.options.maxQueued ?? 2)) {
      if (dirty) {
        this.unrecordedChange = true;
        this._stats.skipped++;
      }
      if (changed) this.keepUntaken(frame, at);
      return;
    }
    this.unrecordedChange = false;
    this.untaken = undefined;
    const action = this.keys.decide(dirty, at);
    if (action === 'key' || !current) {
      this.startGop(frame, t, at);
    } else if (action === 'frame') {
      // A copy: the grabber reuses its buffer, and the pipe may not take the bytes at once.
      this.write(current, Buffer.from(frame), t);
      this.inFlight.push({ t, at, key: false });
    }
  }

  /** Copies a changed grab that is not taken now (the grabber reuses its buffer). */
  private keepUntaken(frame: Buffer, at: number): void {
    const buffer = this.untaken?.frame.length === frame.length ? this.untaken.frame : Buffer.allocUnsafe(frame.length);
    frame.copy(buffer);
    this.untaken = { frame: buffer, at };
  }

  /** At close: a change grabbed since the last frame taken becomes the last frame, so the final screen is on record. */
  private takeUntaken(): void {
    const last = this.unrecordedChange ? this.untaken : undefined;
    const current = this.gops.at(-1);
    this.untaken = undefined;
    if (!last || !current || current.truncated) return;
    const t = Math.round(last.at - this.startedAt);
    this._stats.samples++;
    this.options.tap?.({ t, changed: true, frame: last.frame });
    this.write(current, last.frame, t);
    this.inFlight.push({ t, at: performance.now(), key: false });
  }

  /** Ends the current encoder (it finishes its frames) and starts a new one with `frame` as its key frame. */
  private startGop(frame: Buffer, t: number, at: number): void {
    const previous = this.gops.at(-1);
    const gop = this.newGop();
    if (!gop) return;
    this.options.logger?.debug({ t }, 'recording key frame');
    if (previous) this.retire(previous);
    this.write(gop, Buffer.from(frame), t);
    this.inFlight.push({ t, at, key: true });
    if (!previous) this.events.onRecording?.();
  }

  /** A new encoder process at the end of the queue; undefined (and the recorder failed) if it cannot start. */
  private newGop(): Gop | undefined {
    let gop: Gop;
    try {
      const encoder = new FrameEncoder(
        { width: this._width, height: this._height, profile: this.options.profile ?? DEFAULT_PROFILE, ffmpegPath: this.options.ffmpegPath },
        {
          onFrame: (f) => this.onEncoded(gop, f),
          onError: (err) => this.fail(err),
        },
      );
      gop = { encoder, held: [], raws: [], done: false, truncated: false };
    } catch (err) {
      this.fail(RecorderError.encoderFailed((err as Error).message, err));
      return undefined;
    }
    this.gops.push(gop);
    return gop;
  }

  /** Lets a GOP's encoder finish (or, if truncated, die) and then releases the GOPs behind it. */
  private retire(gop: Gop): void {
    if (gop.truncated) gop.encoder.kill();
    void gop.encoder.end().then(() => {
      gop.done = true;
      this.releaseFinishedGops();
    });
  }

  /** Sends a frame (the caller's own copy: the pipe may hold on to it) to a GOP's encoder. */
  private write(gop: Gop, data: Buffer, t: number): void {
    gop.encoder.encode(data, t);
    gop.raws.push({ t, data });
  }

  private onEncoded(gop: Gop, frame: EncodedFrame): void {
    if (this.failed || gop.truncated) return;
    this.lastOutputAt = performance.now();
    const raw = gop.raws.shift();
    if (frame.key) {
      this.keys.keyEncoded(frame.data.length);
    } else if (raw && gop === this.gops.at(-1) && !this.closing && this.keys.rekey(frame.data.length, gop.raws.length)) {
      this.rekey(gop, raw);
      return;
    }
    if (this.gops[0] !== gop) {
      gop.held.push(frame);
      return;
    }
    this.deliver(frame);
  }

  /**
   * Drops an inter frame that came out too large and encodes it again, with the frames sent
   * after it, in a new encoder where it is the key frame (see RekeyRule).
   */
  private rekey(gop: Gop, raw: { t: number; data: Buffer }): void {
    gop.truncated = true;
    const after = gop.raws.splice(0);
    this.retire(gop);
    const next = this.newGop();
    if (!next) return;
    this._stats.rekeyed++;
    this.options.logger?.debug({ t: raw.t }, 'recording re-key');
    const entry = this.inFlight.find((f) => f.t === raw.t);
    if (entry) entry.key = true;
    for (const r of [raw, ...after]) this.write(next, r.data, r.t);
  }

  /** Drops finished GOPs from the head and delivers what the next one produced meanwhile. */
  private releaseFinishedGops(): void {
    while (this.gops[0]?.done && !this.failed) {
      this.gops.shift();
      const next = this.gops[0];
      if (!next) break;
      for (const f of next.held.splice(0)) this.deliver(f);
    }
  }

  private deliver(frame: EncodedFrame): void {
    const lag = performance.now() - (this.inFlight.shift()?.at ?? performance.now());
    this._stats.frames++;
    this._stats.bytes += frame.data.length;
    if (frame.key) {
      this._stats.keyFrames++;
      this._stats.maxKeyLagMs = Math.max(this._stats.maxKeyLagMs, Math.round(lag));
    } else {
      this._stats.maxFrameLagMs = Math.max(this._stats.maxFrameLagMs, Math.round(lag));
    }
    if (!this._codec) {
      this._codec = this.gops[0]?.encoder.codec;
      if (!frame.key || !this._codec) {
        this.fail(RecorderError.encoderFailed('the first encoded frame is not a key frame with a sequence header'));
        return;
      }
      this.settleStart?.();
    }
    this.segments.add(frame);
    this.segments.emitUntil(this.now(), this.inFlight[0]?.t);
  }

  /** Wakes up when the open segment's time is over (its frames may still be inside an encoder). */
  private scheduleSegment(): void {
    const due = this.segments.endMs - this.now();
    this.segmentTimer = setTimeout(() => {
      if (this.failed || this.closing) return;
      this.segments.emitUntil(this.now(), this.inFlight[0]?.t);
      this.scheduleSegment();
    }, Math.max(due, 0) + 5);
  }

  private checkLag(): void {
    if (this.failed || this.closing) return;
    const now = performance.now();
    const silentMs = now - this.lastSampleAt;
    // Until the first grab, a slow start (ffmpeg on a busy machine) is startTimeoutMs's to judge.
    if (this.grabbed && silentMs > 1000 / (this.options.fps ?? 1) + GRAB_SILENCE_MS) {
      this.fail(RecorderError.captureFailed(`no frame from the grabber for ${Math.round(silentMs)} ms`));
      return;
    }
    // The oldest frame inside an encoder, timed from when the encoder could start on it.
    const oldest = this.inFlight[0];
    const busyMs = oldest ? now - Math.max(oldest.at, this.lastOutputAt) : 0;
    const allowedMs = oldest?.key ? (this.options.maxKeyLagMs ?? 15_000) : (this.options.maxLagMs ?? 6000);
    if (busyMs > allowedMs) {
      this.fail(RecorderError.behind(`the encoder has worked on one ${oldest?.key ? 'key ' : ''}frame for ${Math.round(busyMs)} ms`));
    } else if (this.inFlight.length > (this.options.maxBacklog ?? 8)) {
      this.fail(RecorderError.behind(`${this.inFlight.length} frames wait in the encoder`));
    } else {
      this.checkPressure(busyMs / allowedMs, now);
    }
  }

  /** Tells the session when the encoder falls behind and when it has caught up (hysteresis). */
  private checkPressure(share: number, now: number): void {
    if (!this.pressure) {
      if (share < PRESSURE_ON) return;
      this.pressure = { since: now, quickSince: undefined };
      this.options.logger?.debug({ share }, 'recorder under pressure');
      this.events.onPressure?.(true);
      return;
    }
    if (share >= PRESSURE_OFF) {
      this.pressure.quickSince = undefined;
      return;
    }
    this.pressure.quickSince ??= now;
    if (now - this.pressure.quickSince < PRESSURE_CLEAR_MS) return;
    this.options.logger?.debug({ ms: Math.round(now - this.pressure.since) }, 'recorder caught up');
    this.pressure = undefined;
    this.events.onPressure?.(false);
  }

  /** Stops everything and reports `err` once: rejects `start()` if pending, else calls `onError`. */
  private fail(err: RecorderError): void {
    if (this.failed || this.closing) return;
    this.failed = true;
    this.grabber?.stop();
    for (const g of this.gops) g.encoder.kill();
    clearInterval(this.watchdog);
    clearTimeout(this.segmentTimer);
    this.options.logger?.warn({ err: err.message, code: err.code }, 'recording encoder failed');
    if (this.settleStart) {
      this.settleStart(err);
      return;
    }
    // What was encoded before the failure is still worth keeping.
    this.segments.salvage();
    this.events.onError(err);
  }
}
