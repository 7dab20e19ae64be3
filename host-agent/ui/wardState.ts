import { parse, parseJson, WardState } from '@wardlink/protocol';

/**
 * Validates an untrusted value (the `data` of an answer from the agent's
 * local API) against the protocol's `WardState` schema: returns a clean
 * copy, unknown fields dropped, or null.
 */
export function readWardState(value: unknown): WardState | null {
  const parsed = parse(WardState, value);
  return parsed.ok ? parsed.value : null;
}

/**
 * Validates the data of a `state` Server-Sent Event (JSON text) like
 * {@link readWardState}; oversized text is refused before it is parsed.
 */
export function readWardStateEvent(data: unknown): WardState | null {
  const parsed = parseJson(WardState, data);
  return parsed.ok ? parsed.value : null;
}
