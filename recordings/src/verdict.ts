/**
 * A verifier report as text for people and as an exit code for scripts (FORMAT.md REC23). Shared
 * by the recordings CLI, the broker's `wardlink verify-recording` and the auditor UI.
 */
import type { VerifyReport } from './types.ts';

/** Exit codes of a verification (REC23). */
export const VerifyExit = {
  /** Every check passed and the recording is complete. */
  OK: 0,
  /** At least one problem: tampering, a gap, a bad signature... */
  FAILED: 1,
  /** The verification could not run (bad arguments, unreadable folder). */
  ERROR: 2,
  /** Every stored part verified, but there is no manifest: the recorder stopped early. */
  INCOMPLETE: 3,
} as const;

/** The exit code for a report: 0 complete, 3 intact but incomplete, 1 on any problem. */
export function verdictExitCode(report: VerifyReport): number {
  if (!report.ok) return VerifyExit.FAILED;
  return report.complete ? VerifyExit.OK : VerifyExit.INCOMPLETE;
}

/** The one-line verdict: `OK complete ...`, `OK incomplete ...` or `FAILED: ...`. */
export function verdictLine(report: VerifyReport): string {
  const n = report.verifiedSegments;
  if (report.ok && report.complete) return `OK complete: ${report.segmentCount === 1 ? 'the only segment' : `all ${count(report.segmentCount)}`} verified.`;
  if (report.ok) {
    return n === 0
      ? 'OK incomplete: no manifest and no segments; the recorder stopped before the first segment.'
      : `OK incomplete: no manifest (the recorder stopped early); verified up to segment ${n - 1} (${count(n)}).`;
  }
  const first = report.problems[0];
  const about = first?.segment !== undefined ? `segment ${first.segment} ${first.kind}` : (first?.kind ?? 'unknown problem');
  const more = report.problems.length > 1 ? ` (+${report.problems.length - 1} more)` : '';
  return `FAILED: ${about}${more}; verified ${n === 0 ? 'no segment' : `up to segment ${n - 1} (${count(n)})`}.`;
}

/** The verdict line followed by the recording's metadata and every problem, one per line. */
export function formatVerdict(report: VerifyReport): string {
  const lines = [verdictLine(report)];
  const info = report.info;
  if (info) {
    lines.push(`  recording ${info.recordingId}, session ${info.sessionId}, host ${info.hostId}`);
    lines.push(`  technician ${info.technician.id} (${info.technician.name}, ${info.technician.organisation})`);
    lines.push(`  started ${isoTime(info.startedAt)}, video ${info.video.codec} ${info.video.width}x${info.video.height}`);
  }
  if (report.manifest) lines.push(`  ended ${isoTime(report.manifest.endedAt)} (${report.manifest.endReason}), ${report.manifest.segmentCount} segments`);
  if (report.headerHash) lines.push(`  header sha256 ${report.headerHash}`);
  for (const p of report.problems) lines.push(`  - ${p.kind}${p.segment !== undefined ? ` (segment ${p.segment})` : ''}: ${p.message}`);
  return `${lines.join('\n')}\n`;
}

function count(n: number): string {
  return n === 1 ? '1 segment' : `${n} segments`;
}

function isoTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}
