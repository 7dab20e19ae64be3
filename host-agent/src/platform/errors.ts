/** Machine-readable reasons a platform operation failed. */
export const PlatformErrorCode = {
  /** This operating system (or display server) has no backend yet. */
  UNSUPPORTED: 'unsupported',
  /** An `input:key` message named a DOM `code` this backend cannot press. */
  UNSUPPORTED_KEY: 'unsupported_key',
  /** The display cannot be reached (not running, wrong name, not authorised). */
  DISPLAY_UNAVAILABLE: 'display_unavailable',
  /** Screen capture could not start or stopped unexpectedly. */
  CAPTURE_FAILED: 'capture_failed',
  /** Injecting input failed (the display refused a request or went away). */
  INPUT_FAILED: 'input_failed',
  /** The object was already closed. */
  CLOSED: 'closed',
} as const;

/** One of the values of {@link PlatformErrorCode}. */
export type PlatformErrorCode = (typeof PlatformErrorCode)[keyof typeof PlatformErrorCode];

/**
 * Error raised by screen capture and input injection. `code` is stable and safe to branch on;
 * `message` is for logs (it may name the display or quote ffmpeg) and must not go over the wire.
 */
export class PlatformError extends Error {
  override readonly name = 'PlatformError';

  constructor(
    readonly code: PlatformErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** No backend for this platform. */
  static unsupported(what: string): PlatformError {
    return new PlatformError(PlatformErrorCode.UNSUPPORTED, what);
  }

  /** The DOM `KeyboardEvent.code` has no mapping on this host. */
  static unsupportedKey(code: string): PlatformError {
    return new PlatformError(PlatformErrorCode.UNSUPPORTED_KEY, `Unsupported key code: ${JSON.stringify(code)}`);
  }

  /** The X display (or its equivalent) cannot be used. */
  static displayUnavailable(display: string, reason: string, cause?: unknown): PlatformError {
    return new PlatformError(PlatformErrorCode.DISPLAY_UNAVAILABLE, `Display ${display} is unavailable: ${reason}`, {
      cause,
    });
  }

  /** Screen capture failed to start or died. */
  static captureFailed(reason: string, cause?: unknown): PlatformError {
    return new PlatformError(PlatformErrorCode.CAPTURE_FAILED, `Screen capture failed: ${reason}`, { cause });
  }

  /** An input event could not be injected. */
  static inputFailed(reason: string, cause?: unknown): PlatformError {
    return new PlatformError(PlatformErrorCode.INPUT_FAILED, `Input injection failed: ${reason}`, { cause });
  }

  /** Used after `close()`. */
  static closed(what: string): PlatformError {
    return new PlatformError(PlatformErrorCode.CLOSED, `${what} is closed`);
  }
}
