import { createHash, randomBytes } from 'node:crypto';
import { ErrorCode, MAX_RECORDING_PART_BYTES, type RecordingPart, type RecordingUploadGrant } from '@wardlink/protocol';
import { BrokerError } from '../errors.ts';
import type { SqliteStore } from '../store/SqliteStore.ts';
import { RecordingStore, type StoreOutcome } from './RecordingStore.ts';

/** Milliseconds an upload token lasts; the host asks again with `recording:start` after it. */
export const UPLOAD_TOKEN_TTL_MS = 60 * 60_000;

/** One row of the recording index. */
export interface RecordingRow {
  id: string;
  sessionId: string;
  hostId: string;
  technicianId: string;
  organisation: string;
  startedAt: number;
  endedAt: number | null;
  lastPartAt: number;
  sizeBytes: number;
  segments: number;
  complete: boolean;
}

/** What `start` needs to know about a live session, from the session registry. */
export interface LiveSession {
  hostId: string;
  technicianId: string;
  organisation: string;
}

interface Grant {
  hostId: string;
  recordingId: string;
  expiresAt: number;
}

/**
 * Recordings at the broker (docs/SPEC.md UPL1-UPL6): hosts announce a recording of their live
 * session and get an upload token bound to that recording; parts arrive over HTTPS and are stored
 * append-only; the index says who, where, when, how big and whether the manifest arrived. The
 * broker never holds a key that opens a recording.
 */
export class Recordings {
  readonly files: RecordingStore;
  private readonly store: SqliteStore;
  private readonly now: () => number;
  /** Upload tokens by SHA-256 hash; in memory: after a broker restart hosts ask again. */
  private readonly grants = new Map<string, Grant>();

  constructor(options: { store: SqliteStore; dataDir: string; now?: () => number }) {
    this.store = options.store;
    this.files = new RecordingStore(options.dataDir);
    this.now = options.now ?? Date.now;
  }

  /**
   * UPL1: a host starts (or, after a restart of either side, resumes) uploading `recordingId`. A new
   * recording must belong to `session`, this host's live session; a known one must be this host's.
   */
  start(hostId: string, recordingId: string, sessionId: string, session: LiveSession | undefined): RecordingUploadGrant {
    const known = this.get(recordingId);
    if (known) {
      if (known.hostId !== hostId || known.sessionId !== sessionId) throw BrokerError.forbidden('recording of another host or session');
    } else {
      if (!session || session.hostId !== hostId) throw BrokerError.notFound('session');
      this.store.db
        .prepare(
          `INSERT INTO recordings (id, session_id, host_id, technician_id, organisation, started_at, last_part_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(recordingId, sessionId, hostId, session.technicianId, session.organisation, this.now(), this.now());
      this.store.audit({ type: 'recording.started', hostId, sessionId, actor: session.technicianId, detail: { recordingId } });
    }
    this.sweep();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + UPLOAD_TOKEN_TTL_MS;
    this.grants.set(hashToken(token), { hostId, recordingId, expiresAt });
    return { uploadToken: token, expiresAt, maxPartBytes: MAX_RECORDING_PART_BYTES };
  }

  /** UPL2, UPL3: stores one part uploaded with `token`; idempotent for identical bytes. */
  upload(token: string | undefined, recordingId: string, part: RecordingPart, bytes: Uint8Array): StoreOutcome {
    const grant = token ? this.grants.get(hashToken(token)) : undefined;
    if (!grant || grant.expiresAt <= this.now()) throw new BrokerError(ErrorCode.UNAUTHENTICATED, 'upload token invalid or expired');
    if (grant.recordingId !== recordingId) throw BrokerError.forbidden('token for another recording');
    const row = this.get(recordingId);
    if (!row) throw BrokerError.notFound('recording');
    if (row.complete && part !== 'manifest') {
      // After the manifest nothing may be added; a retried identical part is still fine.
      const stored = this.files.read(recordingId);
      const existing = part === 'header' ? stored.header : stored.segments.find((s) => `segment-${s.index}` === part)?.bytes;
      if (!existing) throw BrokerError.forbidden('the recording is complete');
    }
    const outcome = this.files.put(recordingId, part, bytes);
    if (outcome === 'new') {
      const isSegment = part.startsWith('segment-');
      this.store.db
        .prepare(
          `UPDATE recordings SET size_bytes = size_bytes + ?, segments = segments + ?, last_part_at = ?,
             complete = complete OR ?, ended_at = CASE WHEN ? THEN ? ELSE ended_at END WHERE id = ?`,
        )
        .run(bytes.length, isSegment ? 1 : 0, this.now(), part === 'manifest' ? 1 : 0, part === 'manifest' ? 1 : 0, this.now(), recordingId);
      if (part === 'manifest') {
        this.store.audit({ type: 'recording.completed', hostId: row.hostId, sessionId: row.sessionId, detail: { recordingId } });
      }
    }
    return outcome;
  }

  get(recordingId: string): RecordingRow | undefined {
    const row = this.store.db.prepare(`${SELECT} WHERE id = ?`).get(recordingId) as RawRow | undefined;
    return row ? toRow(row) : undefined;
  }

  /** The index, newest first, optionally for one host. */
  list(filter: { hostId?: string } = {}): RecordingRow[] {
    const rows = (
      filter.hostId
        ? this.store.db.prepare(`${SELECT} WHERE host_id = ? ORDER BY started_at DESC`).all(filter.hostId)
        : this.store.db.prepare(`${SELECT} ORDER BY started_at DESC`).all()
    ) as RawRow[];
    return rows.map(toRow);
  }

  private sweep(): void {
    const now = this.now();
    for (const [hash, grant] of this.grants) if (grant.expiresAt <= now) this.grants.delete(hash);
  }
}

const SELECT = `SELECT id, session_id AS sessionId, host_id AS hostId, technician_id AS technicianId, organisation,
  started_at AS startedAt, ended_at AS endedAt, last_part_at AS lastPartAt, size_bytes AS sizeBytes, segments, complete
  FROM recordings`;

type RawRow = Omit<RecordingRow, 'complete'> & { complete: number };

function toRow(row: RawRow): RecordingRow {
  return { ...row, complete: row.complete === 1 };
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
