/**
 * Error codes that may cross the wire. Internal exception text never does:
 * a peer only ever sees one of these codes and a short, fixed message.
 */
export const ErrorCode = {
  BAD_MESSAGE: 'bad_message',
  TOO_LARGE: 'too_large',
  VERSION_MISMATCH: 'version_mismatch',
  UNAUTHENTICATED: 'unauthenticated',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not_found',
  EXPIRED: 'expired',
  HOST_OFFLINE: 'host_offline',
  SESSION_BUSY: 'session_busy',
  RATE_LIMITED: 'rate_limited',
  UNAVAILABLE: 'unavailable',
  INTERNAL: 'internal',
  /** The PIN handshake did not confirm: wrong PIN or an intercepted connection (never which). */
  AUTH_FAILED: 'auth_failed',
  /** Too many wrong PINs: ask the ward user for a new one. */
  PIN_LOCKED: 'pin_locked',
  /** The broker's storage is full: the host keeps its data and retries later. */
  STORAGE_FULL: 'storage_full',
  /** Something different is already stored under this name (stored parts never change). */
  CONFLICT: 'conflict',
  // Technician sign-in (SPEC AUTH5-AUTH11).
  TOTP_REQUIRED: 'totp_required',
  CLIENT_CERT_REQUIRED: 'client_cert_required',
  /** The client's address is outside the allow-lists that apply to it (SPEC ACL7-ACL10). */
  ADDRESS_DENIED: 'address_denied',
} as const;

/** One of the values of {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The error part of a failed acknowledgement or an `error` message. */
export interface WireError {
  code: ErrorCode;
  message: string;
  /** Seconds until a `rate_limited` request may be tried again, when the refusing side knows it. */
  retryAfter?: number;
}

/** Acknowledgement of a socket.io request: success with data, or an error code. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: WireError };

/** Builds a successful acknowledgement. */
export function ok<T>(data: T): Ack<T> {
  return { ok: true, data };
}

/** Builds a failed acknowledgement with a fixed, user-safe message. */
export function fail(code: ErrorCode, message?: string): { ok: false; error: WireError } {
  return { ok: false, error: { code, message: message ?? defaultMessage(code) } };
}

function defaultMessage(code: ErrorCode): string {
  switch (code) {
    case ErrorCode.BAD_MESSAGE:
      return 'The message is malformed.';
    case ErrorCode.TOO_LARGE:
      return 'The message is too large.';
    case ErrorCode.VERSION_MISMATCH:
      return 'Protocol version mismatch: update the client.';
    case ErrorCode.UNAUTHENTICATED:
      return 'Not signed in.';
    case ErrorCode.FORBIDDEN:
      return 'Not allowed.';
    case ErrorCode.NOT_FOUND:
      return 'Not found.';
    case ErrorCode.EXPIRED:
      return 'The session code has expired.';
    case ErrorCode.HOST_OFFLINE:
      return 'The PC is offline.';
    case ErrorCode.SESSION_BUSY:
      return 'The PC is already in a session.';
    case ErrorCode.RATE_LIMITED:
      return 'Too many attempts: wait and try again.';
    case ErrorCode.UNAVAILABLE:
      return 'The service is unavailable.';
    case ErrorCode.INTERNAL:
      return 'Internal error.';
    case ErrorCode.AUTH_FAILED:
      return 'The PIN was not accepted or the connection could not be verified.';
    case ErrorCode.STORAGE_FULL:
      return 'The server is out of storage space; the data is kept and sent again later.';
    case ErrorCode.CONFLICT:
      return 'Something different is already stored under this name.';
    case ErrorCode.PIN_LOCKED:
      return 'Too many wrong PINs: ask the ward user for a new PIN.';
    case ErrorCode.TOTP_REQUIRED:
      return 'Set up two-step sign-in first.';
    case ErrorCode.CLIENT_CERT_REQUIRED:
      return 'This account must present its client certificate.';
    case ErrorCode.ADDRESS_DENIED:
      return 'Access from this network address is not allowed.';
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}
