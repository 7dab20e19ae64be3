/**
 * When something happens in a recording: frames and events, as sorted times. Drives idle-skip
 * (jump over stretches where nothing changes) and the activity strip of the timeline.
 */

/** Milliseconds without frames or events after which a stretch counts as idle. */
export const IDLE_GAP_MS = 2000;

/** Milliseconds (recording time) the last change stays on screen before an idle stretch is skipped. */
export const IDLE_HOLD_MS = 1000;

/** Milliseconds before the next activity that idle-skip lands, so the change is seen as it happens. */
export const IDLE_LEAD_MS = 500;

/** Sorted times (milliseconds) at which a frame or an event occurs. */
export class ActivityIndex {
  private readonly times: Float64Array;

  /** `times` in any order. */
  constructor(times: Iterable<number>) {
    this.times = Float64Array.from(times).sort();
  }

  /** How many activity times there are. */
  get size(): number {
    return this.times.length;
  }

  /** The last activity at or before `t`, or undefined. */
  lastAtOrBefore(t: number): number | undefined {
    const i = upperBound(this.times, t) - 1;
    return i >= 0 ? this.times[i] : undefined;
  }

  /** The first activity after `t`, or undefined. */
  firstAfter(t: number): number | undefined {
    const i = upperBound(this.times, t);
    return i < this.times.length ? this.times[i] : undefined;
  }

  /**
   * Where idle-skip moves the clock from `t`, or undefined to stay: inside a stretch of more than
   * {@link IDLE_GAP_MS} without activity, once the last change has been on screen for
   * {@link IDLE_HOLD_MS}, to {@link IDLE_LEAD_MS} before the next activity. The start of the
   * recording counts as a change; after the last activity there is nothing to skip to.
   */
  idleSkipTarget(t: number): number | undefined {
    const previous = this.lastAtOrBefore(t) ?? 0;
    const next = this.firstAfter(t);
    if (next === undefined || next - previous <= IDLE_GAP_MS) return undefined;
    const target = next - IDLE_LEAD_MS;
    return t >= previous + IDLE_HOLD_MS && target > t ? target : undefined;
  }

  /** Counts of activity in `buckets` equal slices of [0, durationMs]. */
  density(durationMs: number, buckets: number): number[] {
    const counts = new Array<number>(buckets).fill(0);
    if (durationMs <= 0) return counts;
    for (const t of this.times) {
      if (t > durationMs) break;
      counts[Math.min(buckets - 1, Math.floor((t / durationMs) * buckets))]! += 1;
    }
    return counts;
  }
}

/** Index of the first element greater than `value` in ascending `sorted`. */
export function upperBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
