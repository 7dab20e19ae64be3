import { ErrorCode, fromBase64Url, segmentFileName, type RecordingDetail } from '@wardlink/protocol';
import { inspectHeader } from '@wardlink/recordings';
import { fetchRecordingPart, recordingDetail } from '../api/auditor.ts';
import type { ApiResult } from '../api/http.ts';
import type { RecordingSource } from '../replay/types.ts';

export type { RecordingSource } from '../replay/types.ts';
import type { StoredAuditorKey } from './AuditorKeyStore.ts';

/** Why a recording cannot be opened, before the player gets it (the player reports decryption problems). */
export type OpenProblem =
  | { kind: 'api'; code: ErrorCode }
  /** The header has not arrived at the broker (yet). */
  | { kind: 'no_header' }
  /** The host that made it is no longer enrolled: its signatures cannot be checked. */
  | { kind: 'no_host_key' };

/** A recording ready for the player. */
export interface OpenedRecording {
  detail: RecordingDetail;
  source: RecordingSource;
}

/** The broker calls the source uses; tests pass their own. */
export interface RecordingApi {
  detail: (recordingId: string) => Promise<ApiResult<RecordingDetail>>;
  part: (recordingId: string, name: string) => Promise<ApiResult<Uint8Array>>;
}

const brokerApi: RecordingApi = { detail: recordingDetail, part: fetchRecordingPart };

/** Thrown by `fetchSegment` when the broker does not deliver a segment. */
export class SegmentFetchError extends Error {
  constructor(
    readonly index: number,
    readonly code: ErrorCode,
  ) {
    super(`Segment ${index} could not be fetched (${code}).`);
    this.name = 'SegmentFetchError';
  }
}

/**
 * Fetches what the player needs up front (REP3, REP4): the recording's detail, its header (which
 * the broker audits as opening it, REP5) and its manifest if stored; segments are fetched on demand.
 */
export async function openRecordingSource(recordingId: string, api: RecordingApi = brokerApi): Promise<OpenedRecording | OpenProblem> {
  const detail = await api.detail(recordingId);
  if (!detail.ok) return { kind: 'api', code: detail.error.code };
  const { parts, hostPublicKey } = detail.data;
  if (!parts.header) return { kind: 'no_header' };
  if (!hostPublicKey) return { kind: 'no_host_key' };
  const header = await api.part(recordingId, 'header');
  if (!header.ok) return { kind: 'api', code: header.error.code };
  let manifest: Uint8Array | undefined;
  if (parts.manifest) {
    const fetched = await api.part(recordingId, 'manifest');
    if (!fetched.ok) return { kind: 'api', code: fetched.error.code };
    manifest = fetched.data;
  }
  const segmentCount = parts.segmentCount;
  const source: RecordingSource = {
    header: header.data,
    ...(manifest ? { manifest } : {}),
    segmentCount,
    hostPublicKey: fromBase64Url(hostPublicKey),
    async fetchSegment(index: number): Promise<Uint8Array> {
      if (!Number.isInteger(index) || index < 0 || index >= segmentCount) throw new SegmentFetchError(index, ErrorCode.NOT_FOUND);
      const result = await api.part(recordingId, segmentFileName(index));
      if (!result.ok) throw new SegmentFetchError(index, result.error.code);
      return result.data;
    },
  };
  return { detail: detail.data, source };
}

/**
 * The stored key that opens a recording: the one whose id the header lists as a recipient, else the
 * current (newest) key, so the player can say that this auditor's key is not a recipient.
 */
export function keyFor(header: Uint8Array, keys: readonly StoredAuditorKey[]): StoredAuditorKey | undefined {
  let recipients: string[] = [];
  try {
    recipients = inspectHeader(header).recipients;
  } catch {
    // A header that does not decode: the player reports it.
  }
  return keys.find((k) => recipients.includes(k.keyId)) ?? keys[0];
}
