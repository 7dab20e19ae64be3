import { expect, waitUntil } from '@open-wc/testing';
import {
  PROTOCOL_VERSION,
  fingerprintBytes,
  fromBase64Url,
  hostFinish,
  hostRespond,
  toBase64Url,
  type HostPending,
} from '@wardlink/protocol';
import { FakePeerConnection, FakeSocket, VIEWER_FINGERPRINT } from '../testing/fakes.ts';
import { vp9First } from './codecs.ts';
import { PinAttempts } from './PinAttempts.ts';
import { ViewerSession, type ViewerSessionState } from './ViewerSession.ts';

const SESSION_ID = 'sess-0001';
const SID = 'AAECAwQFBgcICQoLDA0ODw';
const TECH_ID = 'tech-0001';
const PIN = '12345678';
const HOST = { id: 'host-0001', name: 'Ward 3 PC' };
const ICE = { iceServers: [{ urls: ['turn:127.0.0.1:3478'], username: 'u', credential: 'c' }], iceTransportPolicy: 'relay' };
const HOST_FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i + 100).toString(16).toUpperCase()).join(':');
const OTHER_FINGERPRINT = Array.from({ length: 32 }, () => 'EE').join(':');
const answerSdp = (fp = HOST_FINGERPRINT) => `v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\na=fingerprint:sha-256 ${fp}\r\n`;
const ANSWER_SDP = answerSdp();

/**
 * Plays the host's side of the PIN handshake on the M1 the viewer sent: the real protocol code,
 * with the PIN the host shows. `sdp` is what the "broker" relays as the answer; `boundFingerprint`
 * is the certificate the host bound (they differ when the relay swaps a fingerprint).
 */
function hostAnswer(
  socket: FakeSocket,
  options: { pin?: string; sdp?: string; boundFingerprint?: string } = {},
): { payload: Record<string, string>; pending: HostPending } {
  const m1 = socket.emitted.find((e) => e.event === 'signal:offer')!.payload as { sdp: string; ya: string };
  const { pending, yb, tb } = hostRespond(
    { pin: options.pin ?? PIN, sid: fromBase64Url(SID), protocolVersion: PROTOCOL_VERSION, hostId: HOST.id, technicianId: TECH_ID },
    fromBase64Url(m1.ya),
    fingerprintBytes(`sha-256 ${VIEWER_FINGERPRINT}`),
    fingerprintBytes(`sha-256 ${options.boundFingerprint ?? HOST_FINGERPRINT}`),
  );
  return { payload: { sessionId: SESSION_ID, sdp: options.sdp ?? ANSWER_SDP, yb: toBase64Url(yb), tb: toBase64Url(tb) }, pending };
}

const capabilities = {
  codecs: [
    { mimeType: 'video/VP8', clockRate: 90000 },
    { mimeType: 'video/rtx', clockRate: 90000 },
    { mimeType: 'video/VP9', clockRate: 90000, sdpFmtpLine: 'profile-id=0' },
    { mimeType: 'video/AV1', clockRate: 90000 },
    { mimeType: 'video/VP9', clockRate: 90000, sdpFmtpLine: 'profile-id=2' },
  ],
  headerExtensions: [],
};

/** A broker that accepts the join and the offer. */
function broker(): FakeSocket {
  return new FakeSocket((event) => {
    switch (event) {
      case 'session:join':
        return {
          ok: true,
          data: { sessionId: SESSION_ID, sid: SID, host: HOST, technicianId: TECH_ID, ice: ICE, permissions: ['view', 'control'] },
        };
      default:
        return { ok: true, data: {} };
    }
  });
}

function makeSession(
  socket: FakeSocket,
  pinAttempts = new PinAttempts(),
): { session: ViewerSession; states: ViewerSessionState[] } {
  const session = new ViewerSession({
    socket,
    RTCPeerConnection: FakePeerConnection.asConstructor(),
    videoCapabilities: () => capabilities,
    requestTimeoutMs: 500,
    pinAttempts,
  });
  const states: ViewerSessionState[] = [];
  session.on('state', (state) => states.push(state));
  return { session, states };
}

function lastPeer(): FakePeerConnection {
  const pc = FakePeerConnection.instances.at(-1);
  if (!pc) {
    throw new Error('no peer connection was made');
  }
  return pc;
}

/** Runs the handshake, connects and delivers the host's consent; returns the peer connection. */
async function connected(socket: FakeSocket, session: ViewerSession): Promise<FakePeerConnection> {
  await session.start('123 456 789', '1234 5678');
  const pc = lastPeer();
  socket.serverEmit('signal:answer', hostAnswer(socket).payload);
  await waitUntil(() => pc.remoteDescription !== null);
  pc.remoteCertificate = { fingerprint: HOST_FINGERPRINT, fingerprintAlgorithm: 'sha-256' };
  pc.connect();
  pc.channels[0]!.open();
  pc.channels[0]!.receive(JSON.stringify({ type: 'consent:granted', permissions: ['view', 'control'] }));
  return pc;
}

describe('ViewerSession', () => {
  it('joins by code and offers receive-only video, VP9 first, and an ordered control channel', async () => {
    const socket = broker();
    const { session } = makeSession(socket);
    const joined = await session.start('123 456 789', '12345678');
    expect(joined.ok).to.equal(true);
    const pc = lastPeer();
    expect(pc.config).to.deep.equal({ iceServers: ICE.iceServers, iceTransportPolicy: 'relay' });
    expect(pc.transceivers[0]!.kind).to.equal('video');
    expect(pc.transceivers[0]!.init).to.deep.equal({ direction: 'recvonly' });
    expect(pc.transceivers[0]!.preferences!.map((c) => c.sdpFmtpLine ?? c.mimeType)).to.deep.equal([
      'profile-id=0',
      'profile-id=2',
      'video/VP8',
      'video/rtx',
      'video/AV1',
    ]);
    expect(pc.channels.map((c) => [c.label, c.init])).to.deep.equal([['control', { ordered: true }]]);
    expect(socket.emitted.map((e) => e.event)).to.deep.equal(['session:join', 'signal:offer']);
    const m1 = socket.emitted[1]!.payload as Record<string, string>;
    expect(Object.keys(m1).sort()).to.deep.equal(['sdp', 'sessionId', 'sid', 'ya']);
    expect(m1).to.include({ sessionId: SESSION_ID, sid: SID, sdp: pc.localDescription!.sdp });
    expect(fromBase64Url(m1.ya!).length).to.equal(32);
    expect(JSON.stringify(socket.emitted)).not.to.contain(PIN);
    expect(pc.localDescription!.sdp).to.contain('a=candidate-gathered');
    session.close();
  });

  it('verifies the host tag, sends a tag the host accepts, then applies the answer (PIN3)', async () => {
    const socket = broker();
    const { session, states } = makeSession(socket);
    await session.start('123456789', PIN);
    const pc = lastPeer();
    const { payload, pending } = hostAnswer(socket);
    socket.serverEmit('signal:answer', payload);
    await waitUntil(() => pc.remoteDescription !== null);
    expect(pc.remoteDescription).to.deep.equal({ type: 'answer', sdp: ANSWER_SDP });
    const m3 = socket.emitted.find((e) => e.event === 'signal:confirm')!.payload as { sessionId: string; ta: string };
    expect(m3.sessionId).to.equal(SESSION_ID);
    expect(() => hostFinish(pending, fromBase64Url(m3.ta))).not.to.throw();
    pc.channels[0]!.open();
    pc.channels[0]!.receive(JSON.stringify({ type: 'consent:pending' }));
    pc.channels[0]!.receive(JSON.stringify({ type: 'consent:granted', permissions: ['view'] }));
    expect(states.map((s) => s.phase)).to.deep.equal(['joining', 'connecting', 'consent', 'connected']);
    expect(states.at(-1)).to.deep.equal({ phase: 'connected', host: HOST, permissions: ['view'] });
    session.close();
  });

  it('shows the session frozen while the host recorder is stopped, and live again when it resumes', async () => {
    const socket = broker();
    const { session, states } = makeSession(socket);
    const pc = await connected(socket, session);
    pc.channels[0]!.receive(JSON.stringify({ type: 'recording:frozen' }));
    expect(states.at(-1)).to.deep.equal({ phase: 'connected', host: HOST, permissions: ['view', 'control'], frozen: true });
    pc.channels[0]!.receive(JSON.stringify({ type: 'recording:resumed' }));
    expect(states.at(-1)).to.deep.equal({ phase: 'connected', host: HOST, permissions: ['view', 'control'], frozen: false });
    session.close();
  });

  it('fails closed on a wrong PIN: no answer applied, no M3, the broker told (PIN3, PIN4)', async () => {
    const socket = broker();
    const { session, states } = makeSession(socket);
    await session.start('123456789', '87654321');
    const pc = lastPeer();
    socket.serverEmit('signal:answer', hostAnswer(socket).payload);
    await waitUntil(() => session.isClosed);
    expect(pc.remoteDescription).to.equal(null);
    expect(socket.emitted.map((e) => e.event)).to.deep.equal(['session:join', 'signal:offer', 'session:end']);
    expect(states.at(-1)).to.deep.include({ phase: 'failed' });
    expect((states.at(-1) as { error: { code: string } }).error.code).to.equal('auth_failed');
  });

  it('fails closed when the relayed answer carries another certificate than the host bound (PIN2)', async () => {
    const socket = broker();
    const { session } = makeSession(socket);
    await session.start('123456789', PIN);
    socket.serverEmit('signal:answer', hostAnswer(socket, { sdp: answerSdp(OTHER_FINGERPRINT) }).payload);
    await waitUntil(() => session.isClosed);
    expect(lastPeer().remoteDescription).to.equal(null);
    expect(socket.emitted.some((e) => e.event === 'signal:confirm')).to.equal(false);
  });

  it('fails closed when the connected peer presents another certificate than the bound one (PIN6)', async () => {
    const socket = broker();
    const { session, states } = makeSession(socket);
    await session.start('123456789', PIN);
    const pc = lastPeer();
    socket.serverEmit('signal:answer', hostAnswer(socket).payload);
    await waitUntil(() => pc.remoteDescription !== null);
    pc.remoteCertificate = { fingerprint: OTHER_FINGERPRINT, fingerprintAlgorithm: 'sha-256' };
    pc.connect();
    await waitUntil(() => session.isClosed);
    expect((states.at(-1) as { error: { code: string } }).error.code).to.equal('auth_failed');
    expect(socket.emitted.at(-1)!.event).to.equal('session:end');
  });

  it('refuses a second answer (renegotiation) after the handshake (PIN6)', async () => {
    const socket = broker();
    const { session } = makeSession(socket);
    const pc = await connected(socket, session);
    socket.serverEmit('signal:answer', hostAnswer(socket).payload);
    await waitUntil(() => session.isClosed);
    expect(pc.closed).to.equal(true);
  });

  it('stops trying a code after 3 wrong PINs, without contacting the broker (PIN5)', async () => {
    const attempts = new PinAttempts();
    for (let i = 0; i < 3; i++) {
      const socket = broker();
      const { session } = makeSession(socket, attempts);
      await session.start('123456789', '00000000');
      socket.serverEmit('signal:answer', hostAnswer(socket).payload);
      await waitUntil(() => session.isClosed);
    }
    const socket = broker();
    const { session, states } = makeSession(socket, attempts);
    const result = await session.start('123 456 789', PIN);
    expect(result.ok ? 'ok' : result.error.code).to.equal('pin_locked');
    expect(socket.emitted).to.deep.equal([]);
    expect(states.at(-1)!.phase).to.equal('failed');
    const other = makeSession(broker(), attempts);
    expect((await other.session.start('987654321', PIN)).ok).to.equal(true);
    other.session.close();
  });

  it('refuses a malformed PIN before joining', async () => {
    const socket = broker();
    const { session } = makeSession(socket);
    const result = await session.start('123456789', '1234567');
    expect(result.ok ? 'ok' : result.error.code).to.equal('bad_message');
    expect(socket.emitted).to.deep.equal([]);
  });

  it('ignores answers for other sessions and malformed server events', async () => {
    const socket = broker();
    const { session } = makeSession(socket);
    await session.start('123456789', PIN);
    const pc = lastPeer();
    socket.serverEmit('signal:answer', { ...hostAnswer(socket).payload, sessionId: 'other-session' });
    socket.serverEmit('signal:answer', { ...hostAnswer(socket).payload, sdp: 'not sdp' });
    socket.serverEmit('signal:answer', 'garbage');
    socket.serverEmit('session:ended', { sessionId: SESSION_ID, reason: 'made_up' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pc.remoteDescription).to.equal(null);
    expect(session.state.phase).to.equal('connecting');
    session.close();
  });

  it('fails with the broker error code when the join is refused', async () => {
    const socket = new FakeSocket(() => ({ ok: false, error: { code: 'expired', message: 'The session code has expired.' } }));
    const { session, states } = makeSession(socket);
    const joined = await session.start('123456789', PIN);
    expect(joined.ok).to.equal(false);
    expect(states.at(-1)).to.deep.equal({
      phase: 'failed',
      host: undefined,
      error: { code: 'expired', message: 'The session code has expired.' },
    });
    expect(session.isClosed).to.equal(true);
  });

  it('fails with unavailable when the broker does not answer in time', async () => {
    const socket = new FakeSocket(() => undefined);
    const { session } = makeSession(socket);
    const joined = await session.start('123456789', PIN);
    expect(joined.ok ? 'ok' : joined.error.code).to.equal('unavailable');
  });

  it('sends valid input as JSON on the control channel and drops invalid input', async () => {
    const socket = broker();
    const { session } = makeSession(socket);
    const pc = await connected(socket, session);
    expect(session.send({ type: 'input:pointer', action: 'move', x: 10, y: 20, button: 0 })).to.equal(true);
    expect(session.send({ type: 'input:pointer', action: 'move', x: -1, y: 20, button: 0 })).to.equal(false);
    expect(session.send({ type: 'input:text', text: 'a\u0007' })).to.equal(false);
    expect(pc.channels[0]!.messages()).to.deep.equal([{ type: 'input:pointer', action: 'move', x: 10, y: 20, button: 0 }]);
    session.close();
  });

  it('reports the host screen size and ignores malformed host messages', async () => {
    const socket = broker();
    const { session } = makeSession(socket);
    const screens: unknown[] = [];
    session.on('screen', (size) => screens.push(size));
    const pc = await connected(socket, session);
    pc.channels[0]!.receive('{not json');
    pc.channels[0]!.receive(JSON.stringify({ type: 'screen:info', width: -5, height: 1 }));
    pc.channels[0]!.receive(JSON.stringify({ type: 'screen:info', width: 1920, height: 1080 }));
    expect(screens).to.deep.equal([{ width: 1920, height: 1080 }]);
    session.close();
  });

  it('ends when the host says so on the control channel', async () => {
    const socket = broker();
    const { session, states } = makeSession(socket);
    const pc = await connected(socket, session);
    pc.channels[0]!.receive(JSON.stringify({ type: 'session:ended', reason: 'ended_by_host' }));
    expect(states.at(-1)).to.deep.equal({ phase: 'ended', host: HOST, reason: 'ended_by_host' });
    expect(pc.closed).to.equal(true);
  });

  it('ends when the broker reports the end, and releases its socket listeners', async () => {
    const socket = broker();
    const { session, states } = makeSession(socket);
    await connected(socket, session);
    expect(socket.listenerCount()).to.equal(2);
    socket.serverEmit('session:ended', { sessionId: SESSION_ID, reason: 'expired' });
    expect(states.at(-1)!.phase).to.equal('ended');
    expect(socket.listenerCount()).to.equal(0);
  });

  it('end() tells the host and the broker, then closes the peer connection', async () => {
    const socket = broker();
    const { session, states } = makeSession(socket);
    const pc = await connected(socket, session);
    await session.end();
    expect(pc.channels[0]!.messages()).to.deep.equal([{ type: 'session:end' }]);
    expect(socket.emitted.at(-1)).to.deep.equal({ event: 'session:end', payload: { sessionId: SESSION_ID } });
    expect(states.at(-1)).to.deep.equal({ phase: 'ended', host: HOST, reason: 'ended_by_technician' });
    expect(pc.closed).to.equal(true);
  });

  it('close() is safe to call twice and stops all events', async () => {
    const socket = broker();
    const { session, states } = makeSession(socket);
    const pc = await connected(socket, session);
    session.close();
    session.close();
    pc.channels[0]!.receive(JSON.stringify({ type: 'session:ended', reason: 'ended_by_host' }));
    expect(states.at(-1)!.phase).to.equal('connected');
    expect(session.send({ type: 'session:end' })).to.equal(false);
    expect(socket.listenerCount()).to.equal(0);
  });

  it('puts VP9 first and keeps the order of the rest', () => {
    const order = vp9First(capabilities.codecs).map((c) => c.mimeType);
    expect(order).to.deep.equal(['video/VP9', 'video/VP9', 'video/VP8', 'video/rtx', 'video/AV1']);
  });
});
