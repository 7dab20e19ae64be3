/**
 * From the verifier's report (FORMAT.md REC20, REC21) to what the player shows and how much of
 * the recording it may play: the verified prefix of segments, nothing after the first problem.
 */
import type { ProblemKind, VerifyReport } from '@wardlink/recordings';
import type { IntegrityStatus } from './types.ts';

/** The player's reading of a report. */
export interface IntegrityVerdict {
  /** What to show (never `checking`). */
  status: Exclude<IntegrityStatus, { state: 'checking' }>;
  /** Segments 0..playableSegments-1 may be played. */
  playableSegments: number;
  /** The manifest verified and may serve as the seek index. */
  manifestUsable: boolean;
}

/** Problems that concern the segments or the manifest; only `header` makes a recording unplayable. */
const FATAL: ReadonlySet<ProblemKind> = new Set(['header']);

/**
 * Reads a report. `segmentEnd(i)` gives the end (milliseconds) of verified segment i, for the
 * point where a tampered recording stops. A `signature` problem is taken as the manifest's: the
 * player opens the header with the pinned host key before it verifies, so the header's own
 * signature problems never get this far.
 */
export function readVerdict(report: VerifyReport, segmentEnd: (index: number) => number): IntegrityVerdict {
  const playableSegments = report.verifiedSegments;
  if (report.problems.some((p) => FATAL.has(p.kind))) {
    return { status: { state: 'failed', reason: 'header' }, playableSegments: 0, manifestUsable: false };
  }
  const manifestUsable = report.manifest !== undefined && !report.problems.some((p) => p.segment === undefined);
  if (report.ok) {
    const status = report.complete ? ({ state: 'verified' } as const) : ({ state: 'incomplete', lastSegment: playableSegments - 1 } as const);
    return { status, playableSegments, manifestUsable };
  }
  const withSegment = report.problems.filter((p) => p.segment !== undefined).sort((a, b) => a.segment! - b.segment!);
  const first = withSegment[0] ?? report.problems[0]!;
  const playableEndMs = playableSegments > 0 ? segmentEnd(playableSegments - 1) : 0;
  return {
    status: { state: 'tampered', ...(first.segment === undefined ? {} : { segment: first.segment }), kind: first.kind, playableEndMs },
    playableSegments,
    manifestUsable,
  };
}
