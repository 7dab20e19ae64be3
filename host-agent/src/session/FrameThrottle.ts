import type { CapturedFrame } from '../platform/types.ts';

/**
 * Passes captured frames on, at most `fps` a second while a limit is set: a frame that comes too
 * soon waits, replaced by any newer one, and goes out when its turn comes, so the newest screen
 * always arrives. Without a limit frames pass at once. Used to give the recorder CPU when it falls
 * behind (SREC5: the recording must not stop; live smoothness may suffer).
 */
export class FrameThrottle {
  /** Milliseconds between frames; 0 without a limit. */
  private intervalMs = 0;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private pending: CapturedFrame | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly send: (frame: CapturedFrame) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True while a limit is set. */
  get limited(): boolean {
    return this.intervalMs > 0;
  }

  /** Frames per second at most, or undefined to lift the limit (a waiting frame then goes at once). */
  limit(fps: number | undefined): void {
    if (fps !== undefined && !(fps > 0)) throw new RangeError(`fps must be positive, got ${fps}`);
    this.intervalMs = fps === undefined ? 0 : 1000 / fps;
    if (fps === undefined) this.flush();
  }

  /** A new frame from the capture (it owns its buffer, so it may wait here). */
  push(frame: CapturedFrame): void {
    if (this.closed) return;
    const waitMs = this.lastSentAt + this.intervalMs - this.now();
    if (waitMs <= 0 && !this.timer) {
      this.emit(frame);
      return;
    }
    this.pending = frame;
    this.timer ??= setTimeout(() => this.flush(), Math.max(0, waitMs));
  }

  /** Drops a waiting frame and the timer. Safe to call twice. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const frame = this.pending;
    this.pending = undefined;
    if (frame && !this.closed) this.emit(frame);
  }

  private emit(frame: CapturedFrame): void {
    this.lastSentAt = this.now();
    this.send(frame);
  }
}
