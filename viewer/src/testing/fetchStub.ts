/** A recorded call to the stubbed `fetch`. */
export interface FetchCall {
  url: string;
  method: string;
  body: unknown;
  headers: Record<string, string>;
}

/**
 * Replaces `window.fetch` with `handler` (url, method) -> [status, json body];
 * returns the recorded calls and a restore function.
 */
export function stubFetch(handler: (url: string, method: string) => [number, unknown]): {
  calls: FetchCall[];
  restore: () => void;
} {
  const original = window.fetch;
  const calls: FetchCall[] = [];
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? 'GET';
    const text = typeof init?.body === 'string' ? init.body : undefined;
    calls.push({
      url,
      method,
      body: text === undefined ? undefined : JSON.parse(text),
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
    });
    const [status, body] = handler(url, method);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { calls, restore: () => (window.fetch = original) };
}
