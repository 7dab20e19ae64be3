// The session gate end to end with real processes (docs/SPEC.md PIN1-PIN6, CON1-CON3): a broker, a
// host agent on Xvfb and a Node technician with real WebRTC. A relay on the signaling path plays a
// compromised broker; every tampering must fail closed and leave an audit event.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type * as Wrtc from '@roamhq/wrtc';
import { PROTOCOL_VERSION, dtlsFingerprint, fromBase64Url, toBase64Url, viewerStart, fingerprintBytes } from '@wardlink/protocol';
import { startAgent, type TestAgent } from './support/agent.ts';
import { auditEvents, waitForAudit } from './support/audit.ts';
import { startBroker, type TestBroker } from './support/broker.ts';
import { run, tempDir } from './support/processes.ts';
import { liveSession } from './support/session.ts';
import { TechClient, type SignalOffer } from './support/techClient.ts';
import { answerConsent, requestHelp, wardPost, wardState, waitForWard } from './support/ward.ts';
import { startXDisplay, type XDisplay } from './support/xdisplay.ts';

const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as typeof Wrtc;

let x: XDisplay;
let broker: TestBroker;
let agent: TestAgent;
let agentDir: { path: string; remove: () => void };
let user: { username: string; password: string };
const clients: TechClient[] = [];

before(async () => {
  x = await startXDisplay({ width: 1024, height: 768 });
  broker = await startBroker();
  agentDir = tempDir('gate-agent');
  agent = await startAgent({ broker, display: x.display, dataDir: agentDir.path });
  user = await broker.addUser({ role: 'helpdesk', name: 'Hanako Sato', org: 'Help Desk' });
});

after(async () => {
  clients.forEach((c) => c.close());
  await agent?.stop();
  agentDir?.remove();
  await broker?.stop();
  await x?.stop();
});

async function client(): Promise<TechClient> {
  const c = await TechClient.connect(broker, user);
  clients.push(c);
  return c;
}

/** The ward page back at the start: no session, no alarm, then a fresh PIN and code. */
async function freshHelp(): Promise<{ code: string; pin: string }> {
  await wardPost(agent, '/api/end');
  await wardPost(agent, '/api/alarm/ack');
  return requestHelp(agent);
}

async function pointer(): Promise<string> {
  const out = await run('xdotool', ['getmouselocation', '--shell'], { env: x.env });
  return `${/^X=(\d+)/m.exec(out)?.[1]},${/^Y=(\d+)/m.exec(out)?.[1]}`;
}

async function settle(ms = 700): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** A different, well-formed DTLS fingerprint: that of a certificate the relay owns. */
async function relayFingerprint(): Promise<string> {
  const pc = new wrtc.RTCPeerConnection() as unknown as RTCPeerConnection;
  pc.createDataChannel('x');
  const offer = await pc.createOffer();
  pc.close();
  return dtlsFingerprint(offer.sdp!);
}

/** Everything the broker stores and prints, to prove the PIN never reached it. */
function brokerBytes(): string {
  const files = readdirSync(broker.dataDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString('latin1'));
  return files.join('\n') + broker.proc.output();
}

let firstM1: SignalOffer | undefined;

describe('PIN handshake and consent (PIN1-PIN4, CON1-CON2)', () => {
  test('right PIN: consent shows who, from where and what; nothing flows before it; the broker never sees the PIN', async () => {
    const c = await client();
    const { code, pin } = await freshHelp();
    const pointerAtStart = await pointer();
    const started = await c.startSession(code, pin);
    firstM1 = started.m1;
    assert.equal(started.verified, true);

    const prompt = await waitForWard(agent, (s) => s.state === 'consent');
    assert.deepEqual(prompt.technician, { name: 'Hanako Sato', organisation: 'Help Desk', from: '127.0.0.1' });
    assert.ok(prompt.permissions?.includes('view') && prompt.permissions.includes('control'), JSON.stringify(prompt.permissions));
    assert.equal(prompt.recording, false);
    assert.equal(prompt.pin, undefined, 'the PIN is no longer shown once the handshake succeeded');
    await c.waitForHostMessage((m) => m.type === 'consent:pending');

    // A modified viewer sends input before consent: refused, nothing moves, no pixel has flowed.
    c.sendRaw({ type: 'input:pointer', action: 'move', x: 611, y: 377, button: 0 });
    await c.waitForHostMessage((m) => m.type === 'error' && m.code === 'forbidden');
    await settle();
    assert.equal(await pointer(), pointerAtStart);
    assert.equal(c.framesDecoded, 0);
    assert.equal(c.hostMessages.some((m) => m.type === 'screen:info'), false);

    assert.equal(((await answerConsent(agent, true, ['view', 'control'])) as { ok: boolean }).ok, true);
    await c.waitForHostMessage((m) => m.type === 'consent:granted');
    await c.waitForHostMessage((m) => m.type === 'screen:info');
    const live = await waitForWard(agent, (s) => s.state === 'live');
    assert.deepEqual(live.permissions, ['view', 'control']);
    c.sendRaw({ type: 'input:pointer', action: 'move', x: 611, y: 377, button: 0 });
    const deadline = Date.now() + 5000;
    while ((await pointer()) !== '611,377' && Date.now() < deadline) await settle(50);
    assert.equal(await pointer(), '611,377');
    while (c.framesDecoded === 0 && Date.now() < deadline + 10_000) await settle(100);
    assert.ok(c.framesDecoded > 0);

    const given = await waitForAudit(broker, 'consent.given');
    assert.deepEqual(given.at(-1)!.detail, { permissions: ['view', 'control'] });
    assert.equal(given.at(-1)!.sessionId, started.sessionId);
    const begun = await waitForAudit(broker, 'session.started');
    assert.equal(begun.at(-1)!.sessionId, started.sessionId);
    assert.ok(begun.at(-1)!.actor, 'the technician is named');
    assert.equal(brokerBytes().includes(pin), false, 'the PIN appears in the broker data or logs');
    await c.request('session:end', { sessionId: started.sessionId });
  });

  test('declined consent: no video, input refused even when sent anyway, the session ends as declined', async () => {
    const c = await client();
    const { code, pin } = await freshHelp();
    const pointerAtStart = await pointer();
    const started = await c.startSession(code, pin);
    assert.equal(started.verified, true);
    await waitForWard(agent, (s) => s.state === 'consent');
    c.sendRaw({ type: 'input:pointer', action: 'move', x: 99, y: 88, button: 0 });
    c.sendRaw({ type: 'input:text', text: 'should not be typed' });
    await answerConsent(agent, false);
    assert.equal(await c.waitForEnd(), 'declined');
    const ward = await waitForWard(agent, (s) => s.state === 'ended');
    assert.equal(ward.endReason, 'declined');
    await settle();
    assert.equal(await pointer(), pointerAtStart);
    assert.equal(c.framesDecoded, 0);
    assert.equal(c.hostMessages.some((m) => m.type === 'screen:info' || m.type === 'consent:granted'), false);
    const stats = await c.pc!.getStats();
    let bytes = 0;
    stats.forEach((r: { type: string; kind?: string; bytesReceived?: number }) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') bytes += r.bytesReceived ?? 0;
    });
    assert.equal(bytes, 0, 'video bytes arrived although consent was declined');
    await waitForAudit(broker, 'consent.declined');
  });

  test('narrowed consent: the ward user unticks control; the screen flows, input is refused', async () => {
    const c = await client();
    const pointerAtStart = await pointer();
    await liveSession(c, agent, ['view']);
    c.sendRaw({ type: 'input:pointer', action: 'move', x: 42, y: 24, button: 0 });
    await c.waitForHostMessage((m) => m.type === 'error' && m.code === 'forbidden');
    await settle();
    assert.equal(await pointer(), pointerAtStart);
    assert.deepEqual((await wardState(agent)).permissions, ['view']);
    assert.equal(((await answerConsent(agent, true, ['view'])) as { ok: boolean }).ok, false, 'a second answer is refused');
  });

  test('consent cannot widen what was asked, and control without view is refused', async () => {
    const vendor = await broker.addUser({ role: 'vendor', name: 'Vendor Engineer', org: 'Lab Systems KK' });
    const c = await TechClient.connect(broker, vendor);
    clients.push(c);
    const { code, pin } = await freshHelp();
    assert.equal((await c.startSession(code, pin)).verified, true);
    const prompt = await waitForWard(agent, (s) => s.state === 'consent');
    const asked = prompt.permissions ?? [];
    const refused = (await answerConsent(agent, true, ['control'])) as { ok: boolean };
    assert.equal(refused.ok, false);
    await answerConsent(agent, true, ['view', 'control', 'file_to_host', 'chat', 'print']);
    const granted = await c.waitForHostMessage((m) => m.type === 'consent:granted');
    assert.ok(granted.type === 'consent:granted');
    assert.ok(granted.permissions.every((p) => asked.includes(p)), `${JSON.stringify(granted.permissions)} not within ${JSON.stringify(asked)}`);
  });
});

describe('wrong PINs and lockout (PIN5)', () => {
  test('each wrong PIN costs an attempt, the code stays; the third locks, survives kill -9, and is audited', async () => {
    const { code, pin } = await freshHelp();
    const wrong = pin === '00000000' ? '11111111' : '00000000';
    const failedBefore = auditEvents(broker, 'pin.failed').length;
    for (const left of [2, 1]) {
      const c = await client();
      assert.equal((await c.startSession(code, wrong)).verified, false);
      const ward = await waitForWard(agent, (s) => s.state === 'waiting' && s.attemptsLeft === left);
      assert.equal(ward.code, code, 'the same code keeps working for a retry');
      assert.equal(ward.pin, pin);
    }
    await waitForAudit(broker, 'pin.failed', failedBefore + 2);
    const c = await client();
    assert.equal((await c.startSession(code, wrong)).verified, false);
    const locked = await waitForWard(agent, (s) => s.state === 'locked');
    assert.equal(locked.pin, undefined);
    assert.equal(locked.code, undefined);
    assert.ok(locked.lockedAt !== undefined);
    const lockEvents = await waitForAudit(broker, 'pin.locked');

    // The right PIN no longer helps: the code is gone.
    const late = await client();
    await assert.rejects(late.startSession(code, pin), /join refused: not_found/);

    // kill -9 and restart: still locked, Get help refused until the ward user acknowledges.
    await agent.proc.stop('SIGKILL');
    agent = await startAgent({ broker, display: x.display, dataDir: agentDir.path });
    assert.equal((await wardState(agent)).state, 'locked');
    const help = (await wardPost(agent, '/api/help')) as { ok: boolean; data: { state: string } };
    assert.equal(help.data.state, 'locked');
    assert.equal(auditEvents(broker, 'pin.locked').length, lockEvents.length, 'a reported lock is not reported twice');
    assert.equal(((await wardPost(agent, '/api/alarm/ack')) as { data: { state: string } }).data.state, 'idle');
    const again = await requestHelp(agent);
    assert.notEqual(again.pin, pin);
  });

  test('a kill -9 between wrong attempts does not give the guesser a fresh PIN or counter', async () => {
    const { code, pin } = await freshHelp();
    const c = await client();
    assert.equal((await c.startSession(code, pin === '22222222' ? '33333333' : '22222222')).verified, false);
    await waitForWard(agent, (s) => s.attemptsLeft === 2);
    await agent.proc.stop('SIGKILL');
    agent = await startAgent({ broker, display: x.display, dataDir: agentDir.path });
    assert.equal((await wardState(agent)).state, 'idle', 'the PIN died with the process');
    const retry = await client();
    await assert.rejects(retry.startSession(code, pin), /join refused: not_found/);
  });
});

describe('a tampering relay fails closed (PIN2, PIN3, PIN6)', () => {
  /** Runs one session through `relay`; asserts it never reached consent and left `auditType`. */
  async function tamperedSession(
    relay: Parameters<TechClient['startSession']>[2],
    auditType: string,
  ): Promise<{ verified: boolean; ended: string | undefined }> {
    const c = await client();
    const { code, pin } = await freshHelp();
    const beforeCount = auditEvents(broker, auditType).length;
    const started = await c.startSession(code, pin, relay);
    const ended = started.verified ? await c.waitForEnd() : c.ended;
    await waitForAudit(broker, auditType, beforeCount + 1);
    const ward = await wardState(agent);
    assert.notEqual(ward.state, 'consent');
    assert.notEqual(ward.state, 'live');
    assert.equal(c.framesDecoded, 0);
    assert.equal(c.hostMessages.some((m) => m.type === 'consent:pending' || m.type === 'screen:info'), false);
    return { verified: started.verified, ended };
  }

  test('swapping the viewer fingerprint in M1 for the relay\'s own', async () => {
    const own = (await relayFingerprint()).split(' ')[1]!;
    const result = await tamperedSession(
      { relay: { offer: (m1) => ({ ...m1, sdp: m1.sdp.replace(/(a=fingerprint:sha-256 )\S+/g, `$1${own}`) }) } },
      'pin.failed',
    );
    assert.equal(result.verified, false, 'the viewer must refuse the host tag bound to another certificate');
  });

  test('swapping the host fingerprint in M2', async () => {
    const own = (await relayFingerprint()).split(' ')[1]!;
    const result = await tamperedSession(
      { relay: { answer: (m2) => ({ ...m2, sdp: m2.sdp.replace(/(a=fingerprint:sha-256 )\S+/g, `$1${own}`) }) } },
      'pin.failed',
    );
    assert.equal(result.verified, false);
  });

  test('substituting the relay\'s own CPace share for Ya', async () => {
    const result = await tamperedSession(
      {
        relay: {
          offer: (m1) => {
            const guess = viewerStart(
              { pin: '12345678', sid: fromBase64Url(m1.sid), protocolVersion: PROTOCOL_VERSION, hostId: 'relay-host', technicianId: 'relay-tech' },
              fingerprintBytes(dtlsFingerprint(m1.sdp)),
            );
            return { ...m1, ya: toBase64Url(guess.ya) };
          },
        },
      },
      'pin.failed',
    );
    assert.equal(result.verified, false);
  });

  test('replaying an earlier M1 into a new session', async () => {
    assert.ok(firstM1, 'the first test recorded an M1');
    const old = firstM1;
    const result = await tamperedSession({ relay: { offer: (m1) => ({ ...old, sessionId: m1.sessionId }) } }, 'session.tamper_detected');
    assert.equal(result.verified, false);
    assert.equal(result.ended, 'tampered');
  });

  test('reflecting the host\'s MAC back as the viewer\'s', async () => {
    const result = await tamperedSession({ relay: { confirm: (m3, m2) => ({ ...m3, ta: m2.tb }) } }, 'pin.failed');
    assert.equal(result.verified, true, 'the viewer saw a genuine host tag');
    assert.equal(result.ended, 'auth_failed');
  });
});

describe('unattended host (CON3)', () => {
  test('an unattended PC starts without a prompt, shows who is connected, and audits the skipped consent', async () => {
    const unattended = await startAgent({ broker, display: x.display, name: 'Lab Server', env: { WARDLINK_UNATTENDED: 'yes' } });
    try {
      const c = await client();
      const { code, pin } = await requestHelp(unattended);
      assert.equal((await c.startSession(code, pin)).verified, true);
      const granted = await c.waitForHostMessage((m) => m.type === 'consent:granted');
      assert.ok(granted.type === 'consent:granted' && granted.permissions.includes('view'));
      await c.waitForHostMessage((m) => m.type === 'screen:info');
      const live = await waitForWard(unattended, (s) => s.state === 'live');
      assert.equal(live.unattended, true);
      assert.equal(live.technician?.name, 'Hanako Sato');
      assert.equal(c.hostMessages.some((m) => m.type === 'consent:pending'), false);
      await waitForAudit(broker, 'consent.unattended');
    } finally {
      await unattended.stop();
    }
  });
});

describe('the host checks the technician address on a direct path (ACL on the host)', () => {
  test('a technician outside the host\'s allowed networks is cut off before anything flows, and it is audited', async () => {
    const guarded = await startAgent({
      broker,
      display: x.display,
      name: 'Guarded PC',
      env: { WARDLINK_UNATTENDED: 'yes', WARDLINK_ALLOW_PEERS: '10.99.0.0/16,fd00:99::/32' },
    });
    try {
      const c = await client();
      const { code, pin } = await requestHelp(guarded);
      const started = await c.startSession(code, pin);
      assert.equal(started.verified, true);
      assert.equal(await c.waitForEnd(), 'failed');
      await waitForAudit(broker, 'access.peer_denied');
      assert.equal(c.hostMessages.some((m) => m.type === 'screen:info'), false);
      assert.equal(c.framesDecoded, 0);
      assert.equal((await wardState(guarded)).state, 'ended');
    } finally {
      await guarded.stop();
    }
  });
});
