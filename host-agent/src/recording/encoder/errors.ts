/** Machine-readable reasons a recording encoder failed. */
export const RecorderErrorCode = {
  /** The screen grabber could not start, stopped delivering frames, or exited. */
  CAPTURE_FAILED: 'capture_failed',
  /** The encoder process could not start, exited, or wrote a malformed stream. */
  ENCODER_FAILED: 'encoder_failed',
  /** The encoder does not keep up: frames wait longer than allowed. */
  BEHIND: 'behind',
  /** The recorder was already closed (or already started). */
  CLOSED: 'closed',
} as const;

/** One of the values of {@link RecorderErrorCode}. */
export type RecorderErrorCode = (typeof RecorderErrorCode)[keyof typeof RecorderErrorCode];

/**
 * Error of the screen recorder. `code` is stable and safe to branch on; `message` is for logs (it
 * may quote ffmpeg) and must not go over the wire. Any of these means the recording has a gap from
 * now on: the caller freezes the session.
 */
export class RecorderError extends Error {
  override readonly name = 'RecorderError';

  constructor(
    readonly code: RecorderErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The grabber failed or stalled. */
  static captureFailed(reason: string, cause?: unknown): RecorderError {
    return new RecorderError(RecorderErrorCode.CAPTURE_FAILED, `Screen grab for recording failed: ${reason}`, { cause });
  }

  /** The encoder failed. */
  static encoderFailed(reason: string, cause?: unknown): RecorderError {
    return new RecorderError(RecorderErrorCode.ENCODER_FAILED, `Recording encoder failed: ${reason}`, { cause });
  }

  /** The encoder fell behind the screen. */
  static behind(reason: string): RecorderError {
    return new RecorderError(RecorderErrorCode.BEHIND, `Recording encoder is behind: ${reason}`);
  }

  /** Used after `close()` or on a second `start()`. */
  static closed(what: string): RecorderError {
    return new RecorderError(RecorderErrorCode.CLOSED, what);
  }
}
