import { request } from 'node:http';
import type { WardState } from '@wardlink/protocol';
import type { TestAgent } from './agent.ts';

/** The ward user's "Get help", through the ward page's own API; returns the session code and PIN. */
export async function requestHelp(agent: TestAgent): Promise<{ code: string; pin: string }> {
  const reply = (await wardPost(agent, '/api/help')) as { ok: boolean; data?: { code?: string; pin?: string } };
  if (!reply.ok || !reply.data?.code || !reply.data.pin) throw new Error(`Get help failed: ${JSON.stringify(reply)}`);
  return { code: reply.data.code, pin: reply.data.pin };
}

/** The ward user's answer to the consent prompt, through the ward page's API. */
export function answerConsent(agent: TestAgent, accept: boolean, permissions: string[] = []): Promise<unknown> {
  return wardPost(agent, '/api/consent', { accept, permissions });
}

/** Polls the ward page until `predicate` holds; returns that state. */
export async function waitForWard(agent: TestAgent, predicate: (s: WardState) => boolean, timeoutMs = 20_000): Promise<WardState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await wardState(agent);
    if (predicate(state)) return state;
    if (Date.now() > deadline) throw new Error(`ward page never reached the expected state; last: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Reads the ward page's state. */
export function wardState(agent: TestAgent): Promise<WardState> {
  return wardStateAt(agent.uiUrl);
}

/** Reads the state of the ward page at `uiUrl`. */
export async function wardStateAt(uiUrl: string): Promise<WardState> {
  const reply = (await wardCall(uiUrl, 'GET', '/api/state')) as { data: WardState };
  return reply.data;
}

/** POST to the ward page API with its CSRF header. */
export function wardPost(agent: TestAgent, path: string, body?: unknown): Promise<unknown> {
  return wardCall(agent.uiUrl, 'POST', path, body);
}

function wardCall(uiUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const headers = { 'X-Wardlink-Local': '1', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
    const req = request(new URL(path, uiUrl), { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
