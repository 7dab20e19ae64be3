import { createHash } from 'node:crypto';
import { RECORDING_FACETS_MAX, type RecordingDetail, type RecordingList, type RecordingListQuery, type RecordingSummary } from '@wardlink/protocol';
import { recordingFileName } from '@wardlink/recordings/node';
import type { SqliteStore } from '../store/SqliteStore.ts';
import type { RecordingStore } from './RecordingStore.ts';

/** Options of {@link RecordingArchive}. */
export interface RecordingArchiveOptions {
  store: SqliteStore;
  /** Where the ciphertext parts are (the upload side's store). */
  files: RecordingStore;
  /** How many (sign-in, recording) pairs are remembered for {@link RecordingArchive.opened}; the oldest are forgotten first. */
  maxRememberedOpenings?: number;
}

/** A stored part, by its file name as the recording format names it. */
export type StoredPartName = 'header' | 'manifest' | { segment: number };

/**
 * The auditor's side of the recording store (docs/SPEC.md REP1-REP7): the index searched with
 * filters and joined with host and technician names, one recording's stored parts and the host's
 * enrolled key, the ciphertext of a part, and the `recording.opened` audit. Nothing here can
 * decrypt: the broker holds no auditor key.
 */
export class RecordingArchive {
  private readonly store: SqliteStore;
  private readonly files: RecordingStore;
  private readonly maxRemembered: number;
  /** `sha256(sign-in token) + recordingId` of headers already audited as opened, oldest first. */
  private readonly openings = new Set<string>();

  constructor(options: RecordingArchiveOptions) {
    this.store = options.store;
    this.files = options.files;
    this.maxRemembered = options.maxRememberedOpenings ?? 10_000;
  }

  /** REP1, REP2: one page of the index, newest first, with the filters' possible values. */
  search(query: RecordingListQuery): RecordingList {
    const conditions: Array<[string, string | number | undefined]> = [
      ['r.started_at >= ?', query.from],
      ['r.started_at < ?', query.to],
      ['r.host_id = ?', query.hostId],
      ['r.technician_id = ?', query.technician],
      ['r.organisation = ?', query.organisation],
      ['r.complete = ?', query.complete === undefined ? undefined : Number(query.complete)],
    ];
    const used = conditions.filter((c): c is [string, string | number] => c[1] !== undefined);
    const where = used.map(([sql]) => sql);
    const params = used.map(([, value]) => value);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const db = this.store.db;
    const total = (db.prepare(`SELECT COUNT(*) AS n FROM recordings r ${filter}`).get(...params) as { n: number }).n;
    const rows = db
      .prepare(`${SELECT_SUMMARY} ${filter} ORDER BY r.started_at DESC, r.id LIMIT ? OFFSET ?`)
      .all(...params, query.limit, query.offset) as RawSummary[];
    return { recordings: rows.map(toSummary), total, limit: query.limit, offset: query.offset, facets: this.facets() };
  }

  /** REP3: a recording's row, its host's enrolled public key and what is stored; undefined if unknown. */
  detail(recordingId: string): RecordingDetail | undefined {
    const summary = this.summary(recordingId);
    if (!summary) return undefined;
    const host = this.store.hostById(summary.hostId);
    const parts = this.files.parts(recordingId);
    return {
      recording: summary,
      hostPublicKey: host?.publicKey ?? null,
      parts: {
        header: parts.header,
        manifest: parts.manifest,
        segmentCount: parts.segments.length ? parts.segments.at(-1)! + 1 : 0,
        storedSegments: parts.segments.length,
      },
    };
  }

  /** The index row of a recording with names, or undefined. */
  summary(recordingId: string): RecordingSummary | undefined {
    const row = this.store.db.prepare(`${SELECT_SUMMARY} WHERE r.id = ?`).get(recordingId) as RawSummary | undefined;
    return row ? toSummary(row) : undefined;
  }

  /**
   * REP4: the stored bytes of a part, or undefined when it is not stored. The caller checks that
   * the recording is indexed and the segment index within the format's limits.
   */
  async part(recordingId: string, part: StoredPartName): Promise<Buffer | undefined> {
    return this.files.readPart(recordingId, recordingFileName(part));
  }

  /**
   * REP5: audits `recording.opened` when an auditor fetches a header, once per recording per
   * sign-in (`sessionToken` is the sign-in cookie; only its hash is kept, in memory). Returns
   * whether an event was written.
   */
  opened(recording: RecordingSummary, auditorId: string, sessionToken: string, address: string): boolean {
    const key = `${createHash('sha256').update(sessionToken).digest('base64url')} ${recording.id}`;
    if (this.openings.has(key)) return false;
    this.openings.add(key);
    while (this.openings.size > this.maxRemembered) this.openings.delete(this.openings.values().next().value!);
    this.store.audit({
      type: 'recording.opened',
      actor: auditorId,
      hostId: recording.hostId,
      sessionId: recording.sessionId,
      address,
      detail: { recordingId: recording.id },
    });
    return true;
  }

  private facets(): RecordingList['facets'] {
    const db = this.store.db;
    const hosts = db
      .prepare(
        `SELECT DISTINCT r.host_id AS id, h.name AS name FROM recordings r LEFT JOIN hosts h ON h.id = r.host_id
         ORDER BY h.name IS NULL, h.name, r.host_id LIMIT ${RECORDING_FACETS_MAX}`,
      )
      .all() as Array<{ id: string; name: string | null }>;
    const technicians = db
      .prepare(
        `SELECT DISTINCT r.technician_id AS id, u.name AS name FROM recordings r LEFT JOIN users u ON u.id = r.technician_id
         ORDER BY u.name IS NULL, u.name, r.technician_id LIMIT ${RECORDING_FACETS_MAX}`,
      )
      .all() as Array<{ id: string; name: string | null }>;
    const organisations = db
      .prepare(`SELECT DISTINCT organisation FROM recordings ORDER BY organisation LIMIT ${RECORDING_FACETS_MAX}`)
      .all() as Array<{ organisation: string }>;
    return { hosts, technicians, organisations: organisations.map((o) => o.organisation) };
  }
}

const SELECT_SUMMARY = `SELECT r.id, r.session_id AS sessionId, r.host_id AS hostId, h.name AS hostName,
  r.technician_id AS technicianId, u.name AS technicianName, r.organisation, r.started_at AS startedAt,
  r.ended_at AS endedAt, r.last_part_at AS lastPartAt, r.size_bytes AS sizeBytes, r.segments, r.complete
  FROM recordings r LEFT JOIN hosts h ON h.id = r.host_id LEFT JOIN users u ON u.id = r.technician_id`;

type RawSummary = Omit<RecordingSummary, 'complete'> & { complete: number };

function toSummary(row: RawSummary): RecordingSummary {
  return { ...row, complete: row.complete === 1 };
}
