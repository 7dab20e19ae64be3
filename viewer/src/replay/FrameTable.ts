/**
 * Every video frame of the playable part of a recording, by time: which segment holds it, its
 * position there and whether it is a key frame. Built once from the decrypted segments (only
 * times and flags are kept), it lets a seek find the key frame to decode from without opening
 * anything (FORMAT.md REC19).
 */
import { upperBound } from './activity.ts';

/** A frame's place in the recording. */
export interface FrameRef {
  /** Milliseconds since the recording start. */
  t: number;
  /** Decodes on its own. */
  key: boolean;
  /** Segment index. */
  segment: number;
  /** Index in the segment's `frames`. */
  position: number;
}

/** The frames of a recording in time order; a frame's number is its index here. */
export class FrameTable {
  private readonly times: number[] = [];
  private readonly refs: FrameRef[] = [];

  /** Appends the frames of the next segment (segments in index order). */
  addSegment(segment: number, frames: ReadonlyArray<{ t: number; key: boolean }>): void {
    frames.forEach((f, position) => {
      this.times.push(f.t);
      this.refs.push({ t: f.t, key: f.key, segment, position });
    });
  }

  /** Every frame's time, ascending. */
  get frameTimes(): readonly number[] {
    return this.times;
  }

  /** Number of frames. */
  get length(): number {
    return this.refs.length;
  }

  /** Frame number `n`. */
  at(n: number): FrameRef | undefined {
    return this.refs[n];
  }

  /** The frame on screen at `t`: the last one at or before it (-1: none yet). */
  lastAtOrBefore(t: number): number {
    return upperBound(this.times, t) - 1;
  }

  /** The last key frame at or before frame `n` (-1: none). */
  keyAtOrBefore(n: number): number {
    for (let i = n; i >= 0; i--) {
      if (this.refs[i]!.key) return i;
    }
    return -1;
  }

  /** All frame times (for the activity index). */
  allTimes(): readonly number[] {
    return this.times;
  }
}
