/**
 * @wardlink/recordings: the recording format (FORMAT.md). Host side `createRecording`; auditor
 * side `openRecording`; anyone `verifyRecording` with the host's public key. Runs unchanged in
 * Node 20 and the browser (WebCrypto + @hpke/core + @noble); Node-only folder helpers live in
 * `@wardlink/recordings/node`.
 */
export { RecordingError, RecordingErrorCode } from './errors.ts';
export type {
  AuditorRecipient,
  HeaderSummary,
  HostSigner,
  ManifestInfo,
  ProblemKind,
  RecordedFrame,
  RecordedStill,
  RecordingInfo,
  RecordingWriter,
  SealedSegment,
  SegmentContent,
  SegmentSummary,
  TimelineEvent,
  VerifyProblem,
  VerifyReport,
} from './types.ts';
export { createRecording } from './RecordingWriter.ts';
export { openRecording, type AuditorKey, type OpenRecordingOptions, type RecordingReader } from './RecordingReader.ts';
export { verifyRecording, type RecordingParts } from './verify.ts';
export { inspectHeader, inspectManifest, inspectSegment } from './inspect.ts';
export { VerifyExit, formatVerdict, verdictExitCode, verdictLine } from './verdict.ts';
export {
  auditorKeyId,
  auditorRecipient,
  generateAuditorKeyPair,
  importAuditorPrivateKey,
  type AuditorKeyPair,
} from './keys.ts';
export { FORMAT_VERSION, LIMITS } from './format.ts';
export { fromBase64Url, toBase64Url, toHex } from './bytes.ts';
