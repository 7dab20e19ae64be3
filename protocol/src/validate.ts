import * as v from 'valibot';
import { ErrorCode, type WireError } from './errors.ts';

/** Result of validating untrusted input against a schema. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: WireError };

/**
 * Validates untrusted input. `maxBytes` bounds the JSON size before any
 * schema work, so an oversized message is refused cheaply with `too_large`.
 */
export function parse<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  maxBytes: number = DEFAULT_MAX_BYTES,
): Parsed<v.InferOutput<S>> {
  let size: number;
  try {
    size = input === undefined ? 0 : byteLength(JSON.stringify(input) ?? '');
  } catch {
    return { ok: false, error: { code: ErrorCode.BAD_MESSAGE, message: 'The message is not JSON.' } };
  }
  if (size > maxBytes) {
    return { ok: false, error: { code: ErrorCode.TOO_LARGE, message: `The message exceeds ${maxBytes} bytes.` } };
  }
  const result = v.safeParse(schema, input);
  if (!result.success) {
    const path = result.issues[0]?.path?.map((p) => String(p.key)).join('.') ?? '';
    return {
      ok: false,
      error: { code: ErrorCode.BAD_MESSAGE, message: path ? `Invalid field: ${path}.` : 'The message is malformed.' },
    };
  }
  return { ok: true, value: result.output };
}

/**
 * Parses a JSON text (a data-channel frame) and validates it. Text longer
 * than `maxBytes` is refused before `JSON.parse` runs.
 */
export function parseJson<S extends v.GenericSchema>(
  schema: S,
  text: unknown,
  maxBytes: number = DEFAULT_MAX_BYTES,
): Parsed<v.InferOutput<S>> {
  if (typeof text !== 'string') {
    return { ok: false, error: { code: ErrorCode.BAD_MESSAGE, message: 'Expected a text frame.' } };
  }
  if (byteLength(text) > maxBytes) {
    return { ok: false, error: { code: ErrorCode.TOO_LARGE, message: `The message exceeds ${maxBytes} bytes.` } };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: { code: ErrorCode.BAD_MESSAGE, message: 'The message is not JSON.' } };
  }
  return parse(schema, value, maxBytes);
}

/** Bytes. Default bound on one message. */
export const DEFAULT_MAX_BYTES = 16 * 1024;

function byteLength(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}
