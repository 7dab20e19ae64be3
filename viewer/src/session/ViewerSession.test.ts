import { expect, waitUntil } from '@open-wc/testing';
import { FakePeerConnection, FakeSocket } from '../testing/fakes.ts';
import { vp9First } from './codecs.ts';
import { ViewerSession, type ViewerSessionState } from './ViewerSession.ts';

const SESSION_ID = 'sess-0001';
const HOST = { id: 'host-0001', name: 'Ward 3 PC' };
const ICE = { iceServers: [{ urls: ['turn:127.0.0.1:3478'], username: 'u', credential: 'c' }], iceTransportPolicy: 'relay' };
const ANSWER_SDP = 'v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\n';

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
        return { ok: true, data: { sessionId: SESSION_ID, host: HOST, ice: ICE } };
      default:
        return { ok: true, data: {} };
    }
  });
}

function makeSession(socket: FakeSocket): { session: ViewerSession; states: ViewerSessionState[] } {
  const session = new ViewerSession({
    socket,
    RTCPeerConnection: FakePeerConnection.asConstructor(),
    videoCapabilities: () => capabilities,
    requestTimeoutMs: 500,
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

async function connected(socket: FakeSocket, session: ViewerSession): Promise<FakePeerConnection> {
  await session.start('123 456 789');
  const pc = lastPeer();
  socket.serverEmit('signal:answer', { sessionId: SESSION_ID, sdp: ANSWER_SDP });
  await waitUntil(() => pc.remoteDescription !== null);
  pc.channels[0]!.open();
  return pc;
}

describe('ViewerSession', () => {
  it('joins by code and offers receive-only video, VP9 first, and an ordered control channel', async () => {
    const socket = broker();
    const { session } = makeSession(socket);
    const joined = await session.start('123 456 789');
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
    expect(socket.emitted[1]!.payload).to.deep.equal({ sessionId: SESSION_ID, sdp: pc.localDescription!.sdp });
    expect(pc.localDescription!.sdp).to.contain('a=candidate-gathered');
    session.close();
  });

  it('applies the answer and is connected when the control channel opens', async () => {
    const socket = broker();
    const { session, states } = makeSession(socket);
    const pc = await connected(socket, session);
    expect(pc.remoteDescription).to.deep.equal({ type: 'answer', sdp: ANSWER_SDP });
    expect(states.map((s) => s.phase)).to.deep.equal(['joining', 'connecting', 'connected']);
    session.close();
  });

  it('ignores answers for other sessions and malformed server events', async () => {
    const socket = broker();
    const { session } = makeSession(socket);
    await session.start('123456789');
    const pc = lastPeer();
    socket.serverEmit('signal:answer', { sessionId: 'other-session', sdp: ANSWER_SDP });
    socket.serverEmit('signal:answer', { sessionId: SESSION_ID, sdp: 'not sdp' });
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
    const joined = await session.start('123456789');
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
    const joined = await session.start('123456789');
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
