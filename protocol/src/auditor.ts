import * as v from 'valibot';
import { Base64Url, DisplayText, Id } from './common.ts';

/**
 * The auditor console's read API (docs/SPEC.md REP1-REP7): the recording index with filters, one
 * recording's stored parts, the parts' ciphertext bytes, and the auditor's own registered keys.
 * Query strings arrive as text; these schemas turn them into numbers and booleans or refuse them.
 */

/** Rows per page of `GET /api/recordings` when the query does not say. */
export const RECORDINGS_PAGE_DEFAULT = 50;
/** Largest `limit` of `GET /api/recordings`. */
export const RECORDINGS_PAGE_MAX = 200;
/** Largest `offset` of `GET /api/recordings`. */
export const RECORDINGS_OFFSET_MAX = 1_000_000;
/** Entries per facet (hosts, technicians, organisations) in a recording list. */
export const RECORDING_FACETS_MAX = 500;

/** Milliseconds since the epoch (digits) or an ISO 8601 date (`2025-04-01`, UTC midnight) or date-time. */
const Instant = v.pipe(
  v.string(),
  v.maxLength(40),
  v.regex(/^(\d{1,15}|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?)$/),
  v.check((text) => /^\d+$/.test(text) || isCalendarDate(text.slice(0, 10)), 'Not a calendar date.'),
  v.transform((text) => (/^\d+$/.test(text) ? Number(text) : Date.parse(text))),
  v.check((ms) => Number.isSafeInteger(ms) && ms >= 0, 'Not a valid time.'),
);

/** Whether `YYYY-MM-DD` names a day that exists (Date.parse would roll 2025-02-30 over to March). */
function isCalendarDate(text: string): boolean {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A decimal integer in a query string, without sign or leading zeros. */
function QueryInteger(min: number, max: number) {
  return v.pipe(v.string(), v.regex(/^(0|[1-9]\d{0,9})$/), v.transform(Number), v.minValue(min), v.maxValue(max));
}

/**
 * Query of `GET /api/recordings` (REP1). Every field is optional; unknown fields, repeated fields
 * and empty values are refused. `from` is inclusive and `to` exclusive, both on the start time.
 */
export const RecordingListQuery = v.pipe(
  v.strictObject({
    from: v.optional(Instant),
    to: v.optional(Instant),
    hostId: v.optional(Id),
    /** A technician's user id. */
    technician: v.optional(Id),
    organisation: v.optional(v.pipe(DisplayText, v.minLength(1))),
    complete: v.optional(v.pipe(v.picklist(['true', 'false']), v.transform((text) => text === 'true'))),
    limit: v.optional(QueryInteger(1, RECORDINGS_PAGE_MAX), String(RECORDINGS_PAGE_DEFAULT)),
    offset: v.optional(QueryInteger(0, RECORDINGS_OFFSET_MAX), '0'),
  }),
  v.forward(
    v.partialCheck([['from'], ['to']], (q) => q.from === undefined || q.to === undefined || q.from < q.to, '`from` must be before `to`.'),
    ['to'],
  ),
);
export type RecordingListQuery = v.InferOutput<typeof RecordingListQuery>;

/** One recording as the console lists it: the index row (UPL4) and the names the broker knows. */
export const RecordingSummary = v.strictObject({
  id: Id,
  sessionId: Id,
  hostId: Id,
  /** Host-supplied text: hostile, render as text only. Null when the host is no longer enrolled. */
  hostName: v.nullable(DisplayText),
  technicianId: Id,
  /** Null when the account no longer exists. */
  technicianName: v.nullable(DisplayText),
  organisation: DisplayText,
  /** Milliseconds since the epoch (broker clock) when the host announced the recording. */
  startedAt: v.number(),
  /** Milliseconds since the epoch when the manifest arrived; null while incomplete. */
  endedAt: v.nullable(v.number()),
  /** Milliseconds since the epoch of the newest stored part. */
  lastPartAt: v.number(),
  /** Bytes stored (ciphertext). */
  sizeBytes: v.number(),
  /** Segments stored. */
  segments: v.number(),
  /** Whether the signed manifest arrived (UPL4). */
  complete: v.boolean(),
});
export type RecordingSummary = v.InferOutput<typeof RecordingSummary>;

/** A choice for a filter: an id and its display name (null when unknown). */
export const FacetEntry = v.strictObject({ id: Id, name: v.nullable(DisplayText) });
export type FacetEntry = v.InferOutput<typeof FacetEntry>;

/** Answer of `GET /api/recordings` (REP1, REP2). */
export const RecordingList = v.strictObject({
  recordings: v.pipe(v.array(RecordingSummary), v.maxLength(RECORDINGS_PAGE_MAX)),
  /** Rows matching the filters, over all pages. */
  total: v.number(),
  limit: v.number(),
  offset: v.number(),
  /** The values the filters can take, over the whole index (not only this page). */
  facets: v.strictObject({
    hosts: v.pipe(v.array(FacetEntry), v.maxLength(RECORDING_FACETS_MAX)),
    technicians: v.pipe(v.array(FacetEntry), v.maxLength(RECORDING_FACETS_MAX)),
    organisations: v.pipe(v.array(DisplayText), v.maxLength(RECORDING_FACETS_MAX)),
  }),
});
export type RecordingList = v.InferOutput<typeof RecordingList>;

/** Answer of `GET /api/recordings/<recordingId>` (REP3). */
export const RecordingDetail = v.strictObject({
  recording: RecordingSummary,
  /** The host's enrolled raw Ed25519 public key (base64url), to verify signatures against; null if no longer enrolled. */
  hostPublicKey: v.nullable(Base64Url(32)),
  /** What the broker has stored. */
  parts: v.strictObject({
    header: v.boolean(),
    manifest: v.boolean(),
    /** One more than the highest stored segment index (0 without segments): the indexes to fetch. */
    segmentCount: v.number(),
    /** Segment files stored; less than `segmentCount` when some are missing. */
    storedSegments: v.number(),
  }),
});
export type RecordingDetail = v.InferOutput<typeof RecordingDetail>;

/**
 * A stored part's name in `GET /api/recordings/<recordingId>/<part>` (REP4): the recording
 * format's file names (`recordingFileName`): `header`, `manifest`, `segment-` and 6 digits.
 */
export const RecordingFileName = v.pipe(v.string(), v.regex(/^(header|manifest|segment-\d{6})$/));

/** The file name of segment `index` (as `recordingFileName` of @wardlink/recordings names it). */
export function segmentFileName(index: number): string {
  return `segment-${String(index).padStart(6, '0')}`;
}

/** Status of a registered auditor key (POL1, POL2). */
export const AuditorKeyStatus = v.picklist(['pending', 'approved', 'revoked']);
export type AuditorKeyStatus = v.InferOutput<typeof AuditorKeyStatus>;

/** One of the signed-in auditor's keys, as `GET /api/auditor/keys` lists it (REP6). */
export const AuditorKeyInfo = v.strictObject({
  keyId: Base64Url(16),
  publicKey: Base64Url(32),
  label: DisplayText,
  status: AuditorKeyStatus,
  /** Milliseconds since the epoch of the registration. */
  createdAt: v.number(),
});
export type AuditorKeyInfo = v.InferOutput<typeof AuditorKeyInfo>;

/** Answer of `GET /api/auditor/keys`: the caller's own keys, oldest first. */
export const AuditorKeyList = v.strictObject({ keys: v.pipe(v.array(AuditorKeyInfo), v.maxLength(256)) });
export type AuditorKeyList = v.InferOutput<typeof AuditorKeyList>;

/** Answer of `POST /api/auditor/keys` (POL1). */
export const AuditorKeyRegistered = v.strictObject({ keyId: Base64Url(16), status: AuditorKeyStatus });
export type AuditorKeyRegistered = v.InferOutput<typeof AuditorKeyRegistered>;
