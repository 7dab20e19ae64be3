import {
  AuditorKeyList,
  AuditorKeyRegistered,
  ErrorCode,
  MAX_RECORDING_PART_BYTES,
  RecordingDetail,
  RecordingList,
  parse,
  toBase64Url,
  type AuditorKeyInfo,
} from '@wardlink/protocol';
import { call, statusError, type ApiResult } from './http.ts';
import { readWireError, wireError } from './request.ts';

/**
 * The auditor console's calls to the broker (docs/SPEC.md REP1-REP6, POL1): the recording index,
 * one recording and its stored parts, and the auditor's own keys. Every answer is validated
 * against its protocol schema; parts come back as raw ciphertext bytes.
 */

/** What the auditor filters the recording list by, as the form holds it. Empty fields are left out. */
export interface RecordingFilter {
  /** A local calendar day `YYYY-MM-DD`: recordings that started on or after its beginning. */
  fromDate?: string;
  /** A local calendar day `YYYY-MM-DD`: recordings that started before the end of it. */
  toDate?: string;
  hostId?: string;
  /** A technician's user id. */
  technician?: string;
  organisation?: string;
  complete?: boolean;
  /** Rows to skip (paging). */
  offset?: number;
  /** Rows per page. */
  limit?: number;
}

/**
 * The query string of `GET /api/recordings` for a filter (`''` for none). Calendar days become
 * epoch milliseconds of local midnight: `to` is the midnight after `toDate`, as the broker's `to`
 * is exclusive.
 */
export function recordingQuery(filter: RecordingFilter): string {
  const params = new URLSearchParams();
  const from = localMidnight(filter.fromDate, 0);
  const to = localMidnight(filter.toDate, 1);
  if (from !== undefined) params.set('from', String(from));
  if (to !== undefined) params.set('to', String(to));
  if (filter.hostId) params.set('hostId', filter.hostId);
  if (filter.technician) params.set('technician', filter.technician);
  if (filter.organisation) params.set('organisation', filter.organisation);
  if (filter.complete !== undefined) params.set('complete', String(filter.complete));
  if (filter.limit !== undefined) params.set('limit', String(filter.limit));
  if (filter.offset) params.set('offset', String(filter.offset));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Epoch milliseconds of the local midnight `days` after the day `YYYY-MM-DD`, or undefined. */
function localMidnight(day: string | undefined, days: number): number | undefined {
  const match = day ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days).getTime();
}

/** REP1, REP2: one page of the recording index. */
export function listRecordings(filter: RecordingFilter): Promise<ApiResult<RecordingList>> {
  return call(`/api/recordings${recordingQuery(filter)}`, { method: 'GET' }, (data) => parse(RecordingList, data, 1024 * 1024));
}

/** REP3: one recording, its host's enrolled key and what is stored. */
export function recordingDetail(recordingId: string): Promise<ApiResult<RecordingDetail>> {
  return call(`/api/recordings/${encodeURIComponent(recordingId)}`, { method: 'GET' }, (data) => parse(RecordingDetail, data));
}

/** REP4: the ciphertext of one stored part by its file name (`header`, `manifest`, `segment-000000`). */
export async function fetchRecordingPart(recordingId: string, name: string): Promise<ApiResult<Uint8Array>> {
  let response: Response;
  try {
    response = await fetch(`/api/recordings/${encodeURIComponent(recordingId)}/${encodeURIComponent(name)}`, {
      method: 'GET',
      credentials: 'same-origin',
      headers: { accept: 'application/octet-stream' },
    });
  } catch {
    return { ok: false, status: 0, error: wireError(ErrorCode.UNAVAILABLE, 'Network error.') };
  }
  if (!response.ok) {
    let error = statusError(response.status);
    try {
      const body = (await response.json()) as { error?: unknown };
      if (body.error !== undefined) error = readWireError(body.error);
    } catch {
      // Not a JSON error envelope: the status says enough.
    }
    return { ok: false, status: response.status, error };
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_RECORDING_PART_BYTES) {
    return { ok: false, status: response.status, error: wireError(ErrorCode.TOO_LARGE, 'Part too large.') };
  }
  return { ok: true, data: bytes };
}

/** REP6: the signed-in auditor's registered keys and their status. */
export async function auditorKeys(): Promise<ApiResult<AuditorKeyInfo[]>> {
  const result = await call('/api/auditor/keys', { method: 'GET' }, (data) => parse(AuditorKeyList, data, 256 * 1024));
  return result.ok ? { ok: true, data: result.data.keys } : result;
}

/** POL1: registers the raw X25519 public key of a key pair made in this browser; it waits for the admin. */
export function registerAuditorKey(publicKey: Uint8Array, label: string): Promise<ApiResult<AuditorKeyRegistered>> {
  return call(
    '/api/auditor/keys',
    { method: 'POST', body: JSON.stringify({ publicKey: toBase64Url(publicKey), label }) },
    (data) => parse(AuditorKeyRegistered, data),
  );
}
