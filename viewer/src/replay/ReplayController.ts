/**
 * One recording being replayed: loads and verifies it, then drives the video pipeline with a
 * clock that runs at `speed` times real time (from an injectable clock source), skips idle
 * stretches on request, prefetches the next segment while playing, and reports position, status
 * and errors to its owner (the `<wl-recording-player>` element).
 */
import { PlayerError, PlayerErrorCode } from './errors.ts';
import { loadRecording, type LoadedRecording } from './loadRecording.ts';
import type { PlayerAuditorKey } from './auditorKey.ts';
import type { IntegrityStatus, PlayerClockSource, RecordingSource } from './types.ts';
import { VideoPipeline } from './VideoPipeline.ts';

/** Playback speeds offered (multiples of real time). */
export const SPEEDS = [1, 2, 4, 8, 16] as const;

/** One of {@link SPEEDS}. */
export type PlaybackSpeed = (typeof SPEEDS)[number];

/** Options of {@link ReplayController}. */
export interface ReplayControllerOptions {
  source: RecordingSource;
  key: PlayerAuditorKey;
  clock: PlayerClockSource;
  /** Paints a decoded frame; `undefined` paints the empty screen. */
  paint(image: CanvasImageSource | undefined): void;
  /** Something visible changed (phase, position, playing...). */
  onChange(): void;
  /** The integrity status changed. */
  onStatus(status: IntegrityStatus): void;
  /** The position changed; milliseconds since the recording start. */
  onTime(ms: number): void;
  /** A failure to show (load failures are also in {@link ReplayController.error}). */
  onError(error: PlayerError): void;
}

/** Loading -> ready (or failed); `closed` after {@link ReplayController.close}. */
export type ReplayPhase = 'loading' | 'ready' | 'failed' | 'closed';

/** Drives the replay of one recording. */
export class ReplayController {
  phase: ReplayPhase = 'loading';
  status: IntegrityStatus = { state: 'checking', checked: 0, total: 0 };
  error: PlayerError | undefined;
  recording: LoadedRecording | undefined;
  playing = false;
  private speedValue: PlaybackSpeed = 1;
  /** Jump over stretches without frames or events (see `ActivityIndex.idleSkipTarget`). */
  idleSkip = false;
  private position = 0;
  private anchorPosition = 0;
  private anchorClock = 0;
  private cancelTick: (() => void) | undefined;
  private pipeline: VideoPipeline | undefined;
  private readonly options: ReplayControllerOptions;

  constructor(options: ReplayControllerOptions) {
    this.options = options;
  }

  /** Milliseconds since the recording start. */
  get positionMs(): number {
    return this.position;
  }

  /** Milliseconds that may be played (the verified part). */
  get durationMs(): number {
    return this.recording?.durationMs ?? 0;
  }

  /** Playback speed, a multiple of real time. */
  get speed(): PlaybackSpeed {
    return this.speedValue;
  }

  set speed(value: PlaybackSpeed) {
    this.reanchor();
    this.speedValue = value;
    this.options.onChange();
  }

  /** Loads, verifies and shows the first frame. Never rejects: failures end in phase `failed`. */
  async load(): Promise<void> {
    const { source, key } = this.options;
    try {
      const recording = await loadRecording(source, key, {
        onProgress: (checked, total) => this.setStatus({ state: 'checking', checked, total }),
      });
      if (this.phase === 'closed') return;
      this.recording = recording;
      const { codec, width, height } = recording.info.video;
      this.pipeline = new VideoPipeline({
        codec,
        width,
        height,
        frames: recording.frames,
        segment: (i) => recording.cache.get(i),
        paint: (image) => this.options.paint(image),
        onError: (error) => this.fail(error, false),
      });
      this.phase = 'ready';
      this.setStatus(recording.verdict.status);
      await this.seek(0);
    } catch (err) {
      const error = err instanceof PlayerError ? err : new PlayerError(PlayerErrorCode.UNREADABLE, 'The recording could not be loaded.', { cause: err });
      if (this.phase === 'closed') return;
      this.phase = 'failed';
      const reason = error.code === 'not_recipient' || error.code === 'header' || error.code === 'fetch' ? error.code : 'unreadable';
      this.setStatus({ state: 'failed', reason });
      this.fail(error, true);
    }
  }

  /** Moves to `ms` (clamped to the playable part) and paints the frame on screen there. */
  async seek(ms: number): Promise<void> {
    if (this.phase !== 'ready') return;
    // A seek retries what failed while playing (a fetch, the decoder): the old alert goes.
    if (this.error) {
      this.error = undefined;
      this.options.onChange();
    }
    this.setPosition(Math.min(Math.max(0, ms), this.durationMs));
    this.anchorPosition = this.position;
    this.anchorClock = this.options.clock.now();
    await this.pipeline?.show(this.position, true);
  }

  /** Starts playing from the current position (from the start if at the end). */
  play(): void {
    if (this.phase !== 'ready' || this.playing) return;
    if (this.position >= this.durationMs) void this.seek(0);
    this.playing = true;
    this.anchorPosition = this.position;
    this.anchorClock = this.options.clock.now();
    this.options.onChange();
    this.schedule();
  }

  /** Stops at the current position. */
  pause(): void {
    if (!this.playing) return;
    this.reanchor();
    this.playing = false;
    this.cancelTick?.();
    this.cancelTick = undefined;
    this.options.onChange();
  }

  /** Stops playback and releases the decoder; safe to call twice. */
  close(): void {
    this.pause();
    this.phase = 'closed';
    this.pipeline?.close();
    this.recording?.cache.clear();
  }

  private schedule(): void {
    this.cancelTick = this.options.clock.requestTick(() => this.tick());
  }

  private tick(): void {
    this.cancelTick = undefined;
    if (!this.playing || this.phase !== 'ready') return;
    const recording = this.recording!;
    let position = this.clockPosition();
    const skipTo = this.idleSkip ? recording.activity.idleSkipTarget(position) : undefined;
    if (skipTo !== undefined) {
      position = skipTo;
      this.anchorPosition = position;
      this.anchorClock = this.options.clock.now();
    }
    const end = position >= this.durationMs;
    this.setPosition(Math.min(position, this.durationMs));
    void this.pipeline?.show(this.position, skipTo !== undefined);
    this.prefetchAfter(this.position);
    if (end) {
      this.pause();
    } else {
      this.schedule();
    }
  }

  private prefetchAfter(ms: number): void {
    const segments = this.recording!.segments;
    const current = segments.findIndex((s) => s.endMs >= ms);
    if (current >= 0 && current + 1 < segments.length) this.recording!.cache.prefetch(current + 1);
  }

  private clockPosition(): number {
    return this.anchorPosition + (this.options.clock.now() - this.anchorClock) * this.speedValue;
  }

  private reanchor(): void {
    if (this.playing) this.setPosition(Math.min(this.clockPosition(), this.durationMs));
    this.anchorPosition = this.position;
    this.anchorClock = this.options.clock.now();
  }

  private setPosition(ms: number): void {
    const rounded = Math.round(ms);
    if (rounded === this.position) return;
    this.position = rounded;
    this.options.onTime(rounded);
    this.options.onChange();
  }

  private setStatus(status: IntegrityStatus): void {
    this.status = status;
    this.options.onStatus(status);
    this.options.onChange();
  }

  private fail(error: PlayerError, fatal: boolean): void {
    if (this.phase === 'closed') return;
    this.error = error;
    if (!fatal) this.pause();
    this.options.onError(error);
    this.options.onChange();
  }
}
