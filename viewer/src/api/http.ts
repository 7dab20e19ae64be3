import {
  ErrorCode,
  LoginResult,
  Me,
  TotpEnrolment,
  parse,
  type WireError,
} from '@wardlink/protocol';
import { readWireError, wireError } from './request.ts';

/** Result of an HTTP API call. */
export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: WireError; status: number };

/** The second sign-in step: a code from the authenticator app or a recovery code (none before enrolment). */
export type SecondFactor = { code: string } | { recoveryCode: string } | Record<string, never>;

/**
 * Signs in with a username, password and, once enrolled, a TOTP code or a
 * recovery code. The broker answers with the technician and what comes next
 * (`enrol_totp` for a first sign-in) and sets an HttpOnly session cookie.
 */
export async function login(username: string, password: string, second: SecondFactor = {}): Promise<ApiResult<LoginResult>> {
  return call('/api/login', { method: 'POST', body: JSON.stringify({ username, password, ...second }) }, (data) =>
    parse(LoginResult, data),
  );
}

/** Starts TOTP enrolment: a new secret, its QR code and recovery codes (shown once). */
export async function enrolTotp(): Promise<ApiResult<TotpEnrolment>> {
  return call('/api/totp/enrol', { method: 'POST', body: '{}' }, (data) => parse(TotpEnrolment, data, 128 * 1024));
}

/** Activates TOTP with the first code from the app; the sign-in then becomes a full one. */
export async function confirmTotp(code: string): Promise<ApiResult<Me>> {
  return call('/api/totp/confirm', { method: 'POST', body: JSON.stringify({ code }) }, (data) => parse(Me, data));
}

/** Ends the broker session (clears the cookie). Failures are ignored: the UI signs out anyway. */
export async function logout(): Promise<void> {
  await call('/api/logout', { method: 'POST', body: '{}' }, () => ({ ok: true, value: undefined }));
}

/** The signed-in technician, or an error (`unauthenticated` when there is no valid cookie). */
export async function me(): Promise<ApiResult<Me>> {
  return call('/api/me', { method: 'GET' }, (data) => parse(Me, data));
}

/** Checks the `data` of a successful answer (a protocol schema through `parse`). */
export type Validate<T> = (data: unknown) => { ok: true; value: T } | { ok: false; error: WireError };

/**
 * One JSON API request with the sign-in cookie: the envelope's data, validated, or the wire error
 * (`unavailable` when the network fails). Never rejects.
 */
export async function call<T>(path: string, init: RequestInit, validate: Validate<T>): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) },
    });
  } catch {
    return { ok: false, status: 0, error: wireError(ErrorCode.UNAVAILABLE, 'Network error.') };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const envelope = (typeof body === 'object' && body !== null ? body : {}) as {
    ok?: unknown;
    data?: unknown;
    error?: unknown;
  };
  if (response.ok && envelope.ok === true) {
    const parsed = validate(envelope.data);
    return parsed.ok
      ? { ok: true, data: parsed.value }
      : { ok: false, status: response.status, error: parsed.error };
  }
  const error = envelope.error !== undefined ? readWireError(envelope.error) : statusError(response.status);
  const retryAfter = Number(response.headers.get('retry-after') ?? NaN);
  if (error.retryAfter === undefined && Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 86_400) {
    error.retryAfter = retryAfter;
  }
  return { ok: false, status: response.status, error };
}

/** The wire error an HTTP status stands for, when the answer carries none. */
export function statusError(status: number): WireError {
  switch (status) {
    case 400:
      return wireError(ErrorCode.BAD_MESSAGE, 'Bad request.');
    case 401:
      return wireError(ErrorCode.UNAUTHENTICATED, 'Not signed in.');
    case 403:
      return wireError(ErrorCode.FORBIDDEN, 'Not allowed.');
    case 404:
      return wireError(ErrorCode.NOT_FOUND, 'Not found.');
    case 429:
      return wireError(ErrorCode.RATE_LIMITED, 'Too many attempts.');
    default:
      return wireError(ErrorCode.UNAVAILABLE, 'Unexpected response.');
  }
}
