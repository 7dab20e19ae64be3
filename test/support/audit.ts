import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { TestBroker } from './broker.ts';

/** One stored audit row, as the broker wrote it. */
export interface AuditRow {
  seq: number;
  type: string;
  actor: string | null;
  hostId: string | null;
  sessionId: string | null;
  detail: Record<string, unknown>;
}

/** Reads the broker's audit rows (read-only, straight from its database file), oldest first. */
export function auditEvents(broker: TestBroker, type?: string): AuditRow[] {
  const db = new Database(join(broker.dataDir, 'wardlink.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT seq, type, actor, host_id AS hostId, session_id AS sessionId, detail FROM audit_events
         ${type ? 'WHERE type = ?' : ''} ORDER BY seq`,
      )
      .all(...(type ? [type] : [])) as Array<Omit<AuditRow, 'detail'> & { detail: string }>;
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

/** Polls until at least `count` rows of `type` exist (reports arrive asynchronously); returns them. */
export async function waitForAudit(broker: TestBroker, type: string, count = 1, timeoutMs = 10_000): Promise<AuditRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = auditEvents(broker, type);
    if (rows.length >= count) return rows;
    if (Date.now() > deadline) throw new Error(`expected ${count} audit event(s) of type ${type}, found ${rows.length}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
