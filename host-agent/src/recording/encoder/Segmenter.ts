import type { EncodedFrame } from './FrameEncoder.ts';
import type { RecordingSegment } from './types.ts';

/**
 * Cuts the recording into segments of `segmentMs` of screen time. A segment is handed out once
 * its time is over and no frame grabbed in it is still inside an encoder, so every segment is
 * complete when it leaves.
 */
export class Segmenter {
  private open: RecordingSegment;

  constructor(
    private readonly segmentMs: number,
    private readonly onSegment: (segment: RecordingSegment) => void,
  ) {
    this.open = { startMs: 0, endMs: segmentMs, frames: [] };
  }

  /** Milliseconds of screen time where the open segment ends. */
  get endMs(): number {
    return this.open.endMs;
  }

  /** Adds an encoded frame (frames come in grab order). */
  add(frame: EncodedFrame): void {
    this.open.frames.push(frame);
  }

  /**
   * Emits every segment that ended by `now` (milliseconds since start) and holds no frame still
   * inside an encoder; `pendingFrom` is the grab time of the oldest such frame, if any.
   */
  emitUntil(now: number, pendingFrom: number | undefined): void {
    while (this.open.endMs <= now && (pendingFrom === undefined || pendingFrom >= this.open.endMs)) this.cut(this.open.endMs);
  }

  /** Emits everything up to `endMs`, the last segment shorter. Nothing may be inside an encoder. */
  finish(endMs: number): void {
    while (this.open.endMs < endMs) this.cut(this.open.endMs);
    this.cut(Math.max(endMs, this.open.startMs + 1));
  }

  /** After a failure: emits the frames that came out as a last segment ending after the last of them. */
  salvage(): void {
    const last = this.open.frames.at(-1);
    if (last) this.cut(Math.max(this.open.startMs + 1, last.t + 1));
  }

  /** Emits the open segment ending at `endMs`; frames from `endMs` on move to the next one. */
  private cut(endMs: number): void {
    const frames = this.open.frames;
    const segment: RecordingSegment = { startMs: this.open.startMs, endMs, frames: frames.filter((f) => f.t < endMs) };
    this.open = { startMs: endMs, endMs: endMs + this.segmentMs, frames: frames.filter((f) => f.t >= endMs) };
    this.onSegment(segment);
  }
}
