/** A clock that moves only when a test says so (no wall time in tests of playback speed). */
import type { PlayerClockSource } from '../types.ts';

/** {@link PlayerClockSource} whose time and ticks are driven by {@link ManualClock.advance}. */
export class ManualClock implements PlayerClockSource {
  /** Milliseconds. */
  time = 0;
  private readonly pending = new Set<() => void>();

  now(): number {
    return this.time;
  }

  requestTick(callback: () => void): () => void {
    this.pending.add(callback);
    return () => this.pending.delete(callback);
  }

  /** Moves time on by `ms` and runs the ticks that were requested. */
  advance(ms: number): void {
    this.time += ms;
    const due = [...this.pending];
    this.pending.clear();
    for (const callback of due) callback();
  }

  /** Advances `steps` times by `ms` (a tick each time). */
  run(steps: number, ms: number): void {
    for (let i = 0; i < steps; i++) this.advance(ms);
  }
}
