/** A recorded call to the stubbed `fetch`. */
export interface FetchCall {
  url: string;
  method: string;
  body: unknown;
  headers: Record<string, string>;
}

/** What a stubbed route answers: a status and a JSON body, or raw bytes (served as application/octet-stream). */
export type StubAnswer = [number, unknown];

/**
 * Replaces `window.fetch` with `handler` (url, method, JSON body) -> [status, body]; a `Uint8Array`
 * body is answered as raw bytes, anything else as JSON. Returns the recorded calls and a restore
 * function.
 */
export function stubFetch(handler: (url: string, method: string, body: unknown) => StubAnswer): {
  calls: FetchCall[];
  restore: () => void;
} {
  const original = window.fetch;
  const calls: FetchCall[] = [];
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? 'GET';
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const body = text === undefined ? undefined : (JSON.parse(text) as unknown);
    calls.push({ url, method, body, headers: Object.fromEntries(new Headers(init?.headers).entries()) });
    const [status, answer] = handler(url, method, body);
    if (answer instanceof Uint8Array) {
      return new Response(answer as Uint8Array<ArrayBuffer>, { status, headers: { 'content-type': 'application/octet-stream' } });
    }
    return new Response(JSON.stringify(answer), { status, headers: { 'content-type': 'application/json' } });
  };
  return { calls, restore: () => (window.fetch = original) };
}
