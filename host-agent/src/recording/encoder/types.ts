import type { EncodedFrame } from './FrameEncoder.ts';

/** Frames of one stretch of screen time. */
export interface RecordingSegment {
  /** Milliseconds since the recording started, inclusive. */
  startMs: number;
  /** Milliseconds since the recording started, exclusive; the next segment starts here. */
  endMs: number;
  /** Encoded frames with `startMs <= t < endMs`, in order. The recording's first frame is a key frame. */
  frames: EncodedFrame[];
}

/** What a player needs to configure its decoder. */
export interface RecordingStream {
  /** WebCodecs codec string, e.g. `av01.0.04M.08`. */
  codec: string;
  /** Pixels. */
  width: number;
  height: number;
}

/** Counters for logs and benchmarks. */
export interface RecorderStats {
  /** Grabs taken: one per recording interval (more are grabbed; see grabFps). */
  samples: number;
  /** Frames encoded (changed ones, plus key frames made at idle moments). */
  frames: number;
  keyFrames: number;
  /** Bytes of encoded frames. */
  bytes: number;
  /** Inter frames encoded again as key frames (see RekeyRule). */
  rekeyed: number;
  /** Changed grabs not encoded because the encoders were busy (a newer grab was encoded instead). */
  skipped: number;
  /** Longest milliseconds from grabbing a frame to its encoded form: key frames and the others. */
  maxKeyLagMs: number;
  maxFrameLagMs: number;
}

/** Optional pino-like logger. */
export interface RecorderLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}
