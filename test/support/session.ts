import type { TestAgent } from './agent.ts';
import type { TechClient } from './techClient.ts';
import { answerConsent, requestHelp, waitForWard } from './ward.ts';

/** Milliseconds: the recorder's own start timeout (ScreenRecorderEncoder startTimeoutMs) plus a margin. */
const RECORDER_START_MS = 20_000;

/**
 * The whole happy path with a Node technician: the ward user asks for help, the technician enters
 * code + PIN, the ward user allows `permissions` (default: everything asked for), and the screen
 * arrives. Resolves once the host has sent `screen:info` (or `consent:granted` without `view`).
 */
export async function liveSession(
  client: TechClient,
  agent: TestAgent,
  permissions?: string[],
): Promise<{ sessionId: string; code: string; pin: string }> {
  const { code, pin } = await requestHelp(agent);
  const started = await client.startSession(code, pin);
  if (!started.verified) throw new Error(`PIN handshake failed (${client.ended ?? 'no end reason'})`);
  const prompt = await waitForWard(agent, (s) => s.state === 'consent');
  const granted = permissions ?? prompt.permissions ?? [];
  const reply = (await answerConsent(agent, true, granted)) as { ok: boolean };
  if (!reply.ok) throw new Error(`consent refused: ${JSON.stringify(reply)}`);
  // As long as the agent itself gives its recorder (15 s) and capture (10 s) to start on a busy machine.
  await client.waitForHostMessage((m) => m.type === 'consent:granted', RECORDER_START_MS);
  if (granted.includes('view')) await client.waitForHostMessage((m) => m.type === 'screen:info', RECORDER_START_MS);
  return { sessionId: started.sessionId, code, pin };
}
