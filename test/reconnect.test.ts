// AUTH4 + agent resilience: the host agent reconnects with backoff after the broker restarts,
// re-authenticating with its device key, and a new session works afterwards.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAgent, type TestAgent } from './support/agent.ts';
import { startBroker, type TestBroker } from './support/broker.ts';
import { TechClient } from './support/techClient.ts';
import { liveSession } from './support/session.ts';
import { wardState } from './support/ward.ts';
import { startXDisplay, type XDisplay } from './support/xdisplay.ts';

let x: XDisplay;
let broker: TestBroker;
let agent: TestAgent;
let client: TechClient | undefined;

before(async () => {
  x = await startXDisplay({ width: 800, height: 600 });
  broker = await startBroker();
  agent = await startAgent({ broker, display: x.display });
});

after(async () => {
  client?.close();
  await agent?.stop();
  await broker?.stop();
  await x?.stop();
});

async function brokerState(expected: 'online' | 'offline', timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await wardState(agent)).broker !== expected) {
    assert.ok(Date.now() < deadline, `the ward page never showed the broker ${expected}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('the agent shows the broker offline while it is down and reconnects when it is back', async () => {
  const user = await broker.addUser();
  await broker.restart({ downMs: 3000 });
  await brokerState('online', 30_000);

  client = await TechClient.connect(broker, user);
  const listed = await client.request<{ hosts: Array<{ name: string; online: boolean }> }>('hosts:list', {});
  assert.ok(listed.ok && listed.data.hosts.some((h) => h.online), 'the host is listed online after the restart');
  await liveSession(client, agent);
});

test('the ward page reports the broker offline while it is down', async () => {
  await broker.proc.stop();
  await brokerState('offline', 15_000);
  const state = await wardState(agent);
  assert.equal(state.state === 'waiting' || state.state === 'connecting', false, 'no code is shown without a broker');
});
