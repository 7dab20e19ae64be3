/**
 * Reasons a CPace handshake step can fail. Callers map them onto wire error codes; the text of a
 * {@link CPaceError} stays local (it never crosses the wire and never contains secret material).
 */
export const CPaceErrorCode = {
  /** A received share is not a canonical ristretto255 encoding, or the identity (draft: K = G.I). */
  INVALID_POINT: 'invalid_point',
  /** The PIN is not exactly 8 ASCII digits. */
  INVALID_PIN: 'invalid_pin',
  /** A scalar, session id or other local input has the wrong size or range. */
  INVALID_INPUT: 'invalid_input',
  /** A key-confirmation tag did not verify: wrong PIN, or the connection was intercepted. */
  CONFIRMATION_FAILED: 'confirmation_failed',
} as const;

/** One of the values of {@link CPaceErrorCode}. */
export type CPaceErrorCode = (typeof CPaceErrorCode)[keyof typeof CPaceErrorCode];

/**
 * Error thrown by the PAKE module. `code` is what callers branch on; `message` is a fixed,
 * secret-free sentence; `cause` keeps the underlying library error when there is one.
 */
export class CPaceError extends Error {
  /** Machine-readable reason. */
  readonly code: CPaceErrorCode;

  /** Builds an error with a code, a fixed message and an optional underlying cause. */
  constructor(code: CPaceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CPaceError';
    this.code = code;
  }

  /** A received point failed decoding or was the neutral element. */
  static invalidPoint(cause?: unknown): CPaceError {
    return new CPaceError(CPaceErrorCode.INVALID_POINT, 'Received an invalid or neutral group element.', { cause });
  }

  /** The PIN string is not exactly 8 ASCII digits. */
  static invalidPin(): CPaceError {
    return new CPaceError(CPaceErrorCode.INVALID_PIN, 'The PIN must be exactly 8 digits.');
  }

  /** A local input is malformed; `what` names the input (never its value). */
  static invalidInput(what: string): CPaceError {
    return new CPaceError(CPaceErrorCode.INVALID_INPUT, `Invalid ${what}.`);
  }

  /** A key-confirmation tag did not verify. */
  static confirmationFailed(): CPaceError {
    return new CPaceError(CPaceErrorCode.CONFIRMATION_FAILED, 'Wrong PIN or connection intercepted.');
  }
}
