import type * as protocol from '@wardlink/protocol';
import { ErrorCode, parse, type Ack, type WireError } from '@wardlink/protocol';

type AnySchema = Parameters<typeof protocol.parse>[0];
type Output<S extends AnySchema> = Extract<ReturnType<typeof protocol.parse<S>>, { ok: true }>['value'];

/**
 * The part of a socket.io client socket that the viewer uses. The real
 * `Socket` from socket.io-client fits; tests pass a fake.
 */
export interface SignalingSocket {
  emit(event: string, ...args: unknown[]): unknown;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** Options of {@link request}. */
export interface RequestOptions {
  /** Milliseconds to wait for the acknowledgement. */
  timeoutMs: number;
  /** Bytes. Largest acknowledgement accepted. */
  maxBytes?: number;
  /** Gives up early (resolving with `unavailable`) when aborted. */
  signal?: AbortSignal;
}

const errorCodes: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** A wire error with the given code and a fixed message (never shown to users as such). */
export function wireError(code: ErrorCode, message: string): WireError {
  return { code, message };
}

/**
 * Emits a request and resolves with its validated acknowledgement. Never
 * rejects: a timeout becomes `unavailable`, a malformed answer `bad_message`.
 * `schema` validates the `data` of a successful answer; `null` accepts any.
 */
export function request<S extends AnySchema>(
  socket: SignalingSocket,
  event: string,
  payload: unknown,
  schema: S | null,
  options: RequestOptions,
): Promise<Ack<Output<S>>> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (ack: Ack<Output<S>>): void => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(ack);
    };
    const onAbort = (): void => settle({ ok: false, error: wireError(ErrorCode.UNAVAILABLE, 'Cancelled.') });
    const timer = setTimeout(
      () => settle({ ok: false, error: wireError(ErrorCode.UNAVAILABLE, 'No answer from the server.') }),
      options.timeoutMs,
    );
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort);
    socket.emit(event, payload, (response: unknown) => settle(readAck(response, schema, options.maxBytes)));
  });
}

/** Validates an acknowledgement envelope and, on success, its data. */
export function readAck<S extends AnySchema>(
  response: unknown,
  schema: S | null,
  maxBytes?: number,
): Ack<Output<S>> {
  if (typeof response !== 'object' || response === null) {
    return { ok: false, error: wireError(ErrorCode.BAD_MESSAGE, 'Malformed acknowledgement.') };
  }
  const r = response as { ok?: unknown; data?: unknown; error?: unknown };
  if (r.ok === true) {
    if (schema === null) {
      return { ok: true, data: r.data as Output<S> };
    }
    const parsed = parse(schema, r.data, maxBytes);
    return parsed.ok ? { ok: true, data: parsed.value as Output<S> } : { ok: false, error: parsed.error };
  }
  return { ok: false, error: readWireError(r.error) };
}

/** Reads an untrusted `{ code, message }`; unknown codes become `internal`. */
export function readWireError(value: unknown): WireError {
  if (typeof value === 'object' && value !== null) {
    const { code, message, retryAfter } = value as { code?: unknown; message?: unknown; retryAfter?: unknown };
    if (typeof code === 'string' && errorCodes.has(code)) {
      const error: WireError = { code: code as ErrorCode, message: typeof message === 'string' ? message.slice(0, 256) : '' };
      // Seconds, at most a day: a bogus value must not make the UI promise a time far away.
      if (typeof retryAfter === 'number' && Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 86_400) {
        error.retryAfter = retryAfter;
      }
      return error;
    }
  }
  return wireError(ErrorCode.INTERNAL, 'Malformed error.');
}
