/**
 * The public shapes of the recording API: what the host agent writes, what a player reads and what
 * the verifier reports. The byte layout behind them is in FORMAT.md.
 */

/** An auditor who may open recordings: a key id and a raw X25519 public key (REC5). */
export interface AuditorRecipient {
  /** Identifier stored in the header; by convention {@link auditorKeyId} of the public key. 1..64 of `A-Z a-z 0-9 _ -`. */
  keyId: string;
  /** Raw X25519 public key, 32 bytes. */
  publicKey: Uint8Array;
}

/** The host's Ed25519 device key, as a signing function (the private key stays with its owner). */
export interface HostSigner {
  /** Raw Ed25519 public key, 32 bytes. */
  publicKey: Uint8Array;
  /** Ed25519 signature (64 bytes) over `message`. */
  sign(message: Uint8Array): Promise<Uint8Array> | Uint8Array;
}

/** One entry of a segment's event timeline (input, permission changes, file transfers, chat...). */
export interface TimelineEvent {
  /** Integer milliseconds since the recording start, within the segment's [startMs, endMs]. */
  t: number;
  /** Event type, e.g. `input:pointer`: 1..255 UTF-8 bytes without control characters. */
  type: string;
  /** JSON-serialisable details; a plain object. */
  data?: Record<string, unknown>;
}

/** One encoded video frame. */
export interface RecordedFrame {
  /** Integer milliseconds since the recording start, within the segment's [startMs, endMs]. */
  t: number;
  /** True if the frame decodes on its own (a WebCodecs `key` chunk). */
  key: boolean;
  /** The encoded chunk, at least one byte. */
  data: Uint8Array;
}

/** A still image a player can paint at once after a seek (e.g. a lossless WebP of the screen). */
export interface RecordedStill {
  /** Integer milliseconds since the recording start, within the segment's [startMs, endMs]. */
  t: number;
  /** MIME type, e.g. `image/webp`. */
  mime: string;
  /** The image bytes, at least one byte. */
  data: Uint8Array;
}

/** The plaintext of one segment (REC9). */
export interface SegmentContent {
  /** Filled by the writer; if a caller sets it, it must equal the next index. */
  index?: number;
  /** Integer milliseconds since the recording start; startMs <= endMs, startMs >= the previous segment's endMs. */
  startMs: number;
  /** Integer milliseconds since the recording start, at most 2^32 - 1. */
  endMs: number;
  /** Encoded video frames of this segment, in order; `key` marks a frame decodable on its own. */
  frames: RecordedFrame[];
  /** Optional still image(s) that let a player paint a frame immediately on seek, with their time. */
  stills?: RecordedStill[];
  /** Timeline events of this segment. */
  events: TimelineEvent[];
}

/** Who, where and when: the public part of the header (REC4). */
export interface RecordingInfo {
  /** 1..64 of `A-Z a-z 0-9 _ -` (safe as a folder name). */
  recordingId: string;
  /** Same alphabet as recordingId. */
  sessionId: string;
  /** Same alphabet as recordingId. */
  hostId: string;
  /** `id` as recordingId; `name` and `organisation` at most 128 UTF-16 units without control characters. */
  technician: { id: string; name: string; organisation: string };
  /** Milliseconds since the epoch. */
  startedAt: number;
  /** WebCodecs codec string (`vp09.00.10.08`, `av01.0.04M.08`...) and the frame size in pixels. */
  video: { codec: string; width: number; height: number };
}

/** What the header says in the clear, without checking anything (see `inspectHeader`). */
export interface HeaderSummary {
  /** The public metadata (REC4). */
  info: RecordingInfo;
  /** Key ids of the auditors the file key is wrapped for, in header order. */
  recipients: string[];
  /** Raw Ed25519 public key of the host that claims to have signed the header. Check it against a pinned key. */
  hostPublicKey: Uint8Array;
  /** Lowercase hex SHA-256 of the whole header record: the recording's fingerprint in the audit log (REC8). */
  headerHash: string;
}

/** What the writer hands out for each sealed segment. */
export interface SealedSegment {
  /** Segment index, from 0. */
  index: number;
  /** The segment record to store as is. */
  bytes: Uint8Array;
}

/** Host side: seals one recording. Calls are serialised internally in call order. */
export interface RecordingWriter {
  /** Serialized header record: store or upload it first. */
  readonly header: Uint8Array;
  /** Lowercase hex SHA-256 of {@link header} (REC8). */
  readonly headerHash: string;
  /** Segments sealed so far. */
  readonly segmentCount: number;
  /** True once {@link finish} was called. */
  readonly finished: boolean;
  /** Encrypts and signs one segment; the record verifies on its own (REC10-REC13). */
  sealSegment(content: SegmentContent): Promise<SealedSegment>;
  /** Ends the recording: returns the signed manifest record (REC16). `endedAt` is epoch milliseconds. */
  finish(endedAt: number, reason: string): Promise<Uint8Array>;
}

/** Clear per-segment metadata: enough to seek without decrypting (REC9, REC19). */
export interface SegmentSummary {
  /** Segment index, from 0. */
  index: number;
  /** Milliseconds since the recording start. */
  startMs: number;
  /** Milliseconds since the recording start. */
  endMs: number;
  /** The segment holds at least one key frame: video decoding can start in it. */
  hasKeyFrame: boolean;
  /** The segment holds at least one still image. */
  hasStill: boolean;
}

/** The signed end of a recording (REC16). */
export interface ManifestInfo {
  /** Number of segments, indices 0..segmentCount-1. */
  segmentCount: number;
  /** Milliseconds since the epoch. */
  endedAt: number;
  /** Why the recording ended (e.g. `ended`, `revoked`, `disconnected`). */
  endReason: string;
  /** Clear metadata of every segment, in index order: the seek index. */
  segments: Array<SegmentSummary & { hash: string }>;
  /** Lowercase hex of the last chain value (the header hash for a recording without segments). */
  finalChain: string;
}

/** Kinds of problem the verifier reports. */
export type ProblemKind = 'header' | 'signature' | 'tampered' | 'missing' | 'reordered' | 'duplicate' | 'truncated' | 'manifest';

/** One finding of the verifier. */
export interface VerifyProblem {
  kind: ProblemKind;
  /** Segment index concerned, when the problem is about one segment. */
  segment?: number;
  /** A sentence a person can act on. */
  message: string;
}

/** Result of `verifyRecording` (REC20). */
export interface VerifyReport {
  /** No problems at all (a recording without manifest can be ok and incomplete). */
  ok: boolean;
  /** A valid manifest is present and every segment it lists verified. */
  complete: boolean;
  /** Segments the manifest lists; without a valid manifest, the number of stored segment records. */
  segmentCount: number;
  /** Length of the verified prefix: segments 0..verifiedSegments-1 all verified and chained. */
  verifiedSegments: number;
  /** Every finding, header first, then segments in index order, then the manifest. */
  problems: VerifyProblem[];
  /** The header's public metadata when the header could be parsed. */
  info?: RecordingInfo;
  /** The manifest's content when it verified. */
  manifest?: ManifestInfo;
  /** Lowercase hex SHA-256 of the header record, when present. */
  headerHash?: string;
}
