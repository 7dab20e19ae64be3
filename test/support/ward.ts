import { request } from 'node:http';
import type { TestAgent } from './agent.ts';

/** The ward user's "Get help", through the ward page's own API; returns the session code. */
export async function requestHelp(agent: TestAgent): Promise<{ code: string }> {
  const reply = (await wardPost(agent, '/api/help')) as { ok: boolean; data?: { code?: string } };
  if (!reply.ok || !reply.data?.code) throw new Error(`Get help failed: ${JSON.stringify(reply)}`);
  return { code: reply.data.code };
}

/** Reads the ward page's state. */
export async function wardState(agent: TestAgent): Promise<{ state: string; [k: string]: unknown }> {
  const reply = (await wardCall(agent, 'GET', '/api/state')) as { data: { state: string } };
  return reply.data;
}

/** POST to the ward page API with its CSRF header. */
export function wardPost(agent: TestAgent, path: string): Promise<unknown> {
  return wardCall(agent, 'POST', path);
}

function wardCall(agent: TestAgent, method: string, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, agent.uiUrl), { method, headers: { 'X-Wardlink-Local': '1' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    req.end();
  });
}
