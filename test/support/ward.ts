import { request } from 'node:http';
import type { WardState } from '@wardlink/protocol';
import type { TestAgent } from './agent.ts';

/** The ward user's "Get help", through the ward page's own API; returns the session code. */
export async function requestHelp(agent: TestAgent): Promise<{ code: string }> {
  const reply = (await wardPost(agent, '/api/help')) as { ok: boolean; data?: { code?: string } };
  if (!reply.ok || !reply.data?.code) throw new Error(`Get help failed: ${JSON.stringify(reply)}`);
  return { code: reply.data.code };
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
export function wardPost(agent: TestAgent, path: string): Promise<unknown> {
  return wardCall(agent.uiUrl, 'POST', path);
}

function wardCall(uiUrl: string, method: string, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, uiUrl), { method, headers: { 'X-Wardlink-Local': '1' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    req.end();
  });
}
