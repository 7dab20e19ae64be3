// ICE1: with the broker set to relay-only, both peers use coturn on loopback and the session works.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAgent, type TestAgent } from './support/agent.ts';
import { startBroker, type TestBroker } from './support/broker.ts';
import { startTurn, type TestTurn } from './support/coturn.ts';
import { TechClient } from './support/techClient.ts';
import { answerConsent, requestHelp } from './support/ward.ts';
import { startXDisplay, type XDisplay } from './support/xdisplay.ts';

let x: XDisplay;
let turn: TestTurn;
let broker: TestBroker;
let agent: TestAgent;
let client: TechClient | undefined;

before(async () => {
  x = await startXDisplay({ width: 1024, height: 768 });
  turn = await startTurn();
  broker = await startBroker({
    env: { WARDLINK_TURN_URLS: turn.url, WARDLINK_TURN_SECRET: turn.secret, WARDLINK_ICE_POLICY: 'relay' },
  });
  agent = await startAgent({ broker, display: x.display });
});

after(async () => {
  client?.close();
  await agent?.stop();
  await broker?.stop();
  await turn?.stop();
  await x?.stop();
});

test('ICE1: a relay-only session runs through coturn and video frames arrive', async () => {
  client = await TechClient.connect(broker, await broker.addUser());
  const { code, pin } = await requestHelp(agent);
  const { ice, verified } = await client.startSession(code, pin);
  assert.equal(verified, true);
  await answerConsent(agent, true, ['view', 'control']);

  assert.equal(ice.iceTransportPolicy, 'relay');
  assert.equal(ice.iceServers.length, 1);
  assert.match(ice.iceServers[0]!.username ?? '', /^\d+:tech-/);

  const info = await client.waitForHostMessage((m) => m.type === 'screen:info');
  assert.deepEqual(info, { type: 'screen:info', width: 1024, height: 768 });
  const deadline = Date.now() + 20_000;
  while (client.framesDecoded < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.ok(client.framesDecoded >= 5, `only ${client.framesDecoded} frames decoded over the relay`);

  const types = await client.selectedCandidateTypes();
  assert.deepEqual(types, { local: 'relay', remote: 'relay' });
});
