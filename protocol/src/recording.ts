import * as v from 'valibot';
import { Id } from './common.ts';

/**
 * Recording upload between host agent and broker (docs/SPEC.md UPL1-UPL6). The broker stores
 * ciphertext parts it cannot read: the header, numbered segments and the signed manifest of a
 * recording (format: recordings/FORMAT.md). Parts are immutable once stored.
 */

/** Bytes: the largest recording part the broker accepts in one upload. */
export const MAX_RECORDING_PART_BYTES = 8 * 1024 * 1024;

/** A part of a recording: `header`, `manifest`, or `segment-<n>` (n = 0..999999, no leading zeros). */
export const RecordingPart = v.pipe(v.string(), v.regex(/^(header|manifest|segment-(0|[1-9]\d{0,5}))$/));
export type RecordingPart = v.InferOutput<typeof RecordingPart>;

/** Host -> broker `recording:start`: this session is being recorded as `recordingId`. */
export const RecordingStart = v.strictObject({ recordingId: Id, sessionId: Id });

/** Ack data of `recording:start`: a bearer token for `PUT /api/recordings/<id>/<part>`, for this recording only. */
export const RecordingUploadGrant = v.strictObject({
  uploadToken: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/)),
  /** Milliseconds since the epoch; ask again with `recording:start` after it. */
  expiresAt: v.number(),
  maxPartBytes: v.number(),
});
export type RecordingUploadGrant = v.InferOutput<typeof RecordingUploadGrant>;

/** Header carrying the upload token. */
export const UPLOAD_TOKEN_HEADER = 'x-wardlink-upload';

/** Answer of an upload: stored now, or already stored with the same bytes (a retry). */
export const UploadResult = v.strictObject({ stored: v.picklist(['new', 'duplicate']) });
export type UploadResult = v.InferOutput<typeof UploadResult>;
