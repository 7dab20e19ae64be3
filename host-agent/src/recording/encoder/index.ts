// The screen recorder's encoder: what the host agent uses to record the screen it streams.
export { ScreenRecorderEncoder } from './ScreenRecorderEncoder.ts';
export type { ScreenRecorderEncoderEvents, ScreenRecorderEncoderOptions } from './ScreenRecorderEncoder.ts';
export type { RecorderLogger, RecorderStats, RecordingSegment, RecordingStream } from './types.ts';
export type { EncodedFrame } from './FrameEncoder.ts';
export { DEFAULT_PROFILE, type EncoderProfile, type RecordingCodec } from './EncoderProfile.ts';
export { RecorderError, RecorderErrorCode } from './errors.ts';
