/**
 * The shapes the recording player shares with the auditor console (issue 4, item 5): where the
 * parts of a recording come from, and what the player reports about its integrity. The byte
 * format behind them is recordings/FORMAT.md.
 */
import type { ProblemKind } from '@wardlink/recordings';

/** One stored recording, as the broker serves it; the player fetches segments on demand. */
export interface RecordingSource {
  /** The header record. */
  header: Uint8Array;
  /** The manifest record; absent when the recording is incomplete. */
  manifest?: Uint8Array;
  /** Segments stored at the broker (indices 0..segmentCount-1). */
  segmentCount: number;
  /** Raw Ed25519 public key of the host (from the broker's enrolment). */
  hostPublicKey: Uint8Array;
  /** Fetches one stored segment record. */
  fetchSegment(index: number): Promise<Uint8Array>;
}

/**
 * What the player says about a recording's integrity (the detail of `wl-player-status`):
 * - `checking`: segments are being fetched and verified (`checked` of `total`).
 * - `verified`: complete, every part verified.
 * - `incomplete`: no manifest; every stored part verified; `lastSegment` is the last one (-1: none).
 * - `tampered`: a problem at `segment` (undefined: in the manifest) of `kind`; playback is
 *   limited to the verified prefix, which ends at `playableEndMs` (milliseconds since the start).
 * - `failed`: nothing can be played (`reason` says why).
 */
export type IntegrityStatus =
  | { state: 'checking'; checked: number; total: number }
  | { state: 'verified' }
  | { state: 'incomplete'; lastSegment: number }
  | { state: 'tampered'; segment?: number; kind: ProblemKind; playableEndMs: number }
  | { state: 'failed'; reason: PlayerFailure };

/** Why a recording cannot be played at all. */
export type PlayerFailure = 'header' | 'not_recipient' | 'fetch' | 'unreadable';

/** A clock the player advances playback with; injectable so tests need no wall time. */
export interface PlayerClockSource {
  /** Milliseconds, monotonic (like `performance.now()`). */
  now(): number;
  /** Calls `callback` once at the next opportunity to paint; returns a function that cancels it. */
  requestTick(callback: () => void): () => void;
}

/** The clock of a page: `performance.now()` and `requestAnimationFrame`. */
export const pageClock: PlayerClockSource = {
  now: () => performance.now(),
  requestTick: (callback) => {
    const id = requestAnimationFrame(() => callback());
    return () => cancelAnimationFrame(id);
  },
};
