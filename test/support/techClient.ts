import { createRequire } from 'node:module';
import type * as Wrtc from '@roamhq/wrtc';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { io, type Socket } from 'socket.io-client';
import {
  CONTROL_CHANNEL,
  ICE_GATHERING_TIMEOUT_MS,
  PROTOCOL_VERSION,
  dtlsFingerprint,
  fingerprintBytes,
  fromBase64Url,
  toBase64Url,
  viewerFinish,
  viewerStart,
  waitForIceGathering,
  type Ack,
  type EndReason,
  type HostMessage,
  type IceConfig,
  type SessionJoined,
} from '@wardlink/protocol';
import type { TestBroker, TestUser } from './broker.ts';

const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as typeof Wrtc;

/** M1, M2 and M3 of the PIN handshake as they travel over the broker. */
export interface SignalOffer {
  sessionId: string;
  sid: string;
  sdp: string;
  ya: string;
}
export interface SignalAnswer {
  sessionId: string;
  sdp: string;
  yb: string;
  tb: string;
}
export interface SignalConfirm {
  sessionId: string;
  ta: string;
}

/** A man in the middle on the signaling path (a compromised broker): each hook may rewrite a message. */
export interface SignalingRelay {
  offer?(m1: SignalOffer): SignalOffer;
  answer?(m2: SignalAnswer): SignalAnswer;
  confirm?(m3: SignalConfirm, m2: SignalAnswer): SignalConfirm;
}

/**
 * A technician client in Node (real socket.io, real WebRTC via @roamhq/wrtc),
 * for tests that need what a browser hides: raw messages, ICE statistics, or
 * a deliberately misbehaving viewer.
 */
export class TechClient {
  readonly socket: Socket;
  pc: RTCPeerConnection | undefined;
  channel: RTCDataChannel | undefined;
  readonly hostMessages: HostMessage[] = [];
  framesDecoded = 0;
  private sink: { stop(): void } | undefined;

  private constructor(socket: Socket) {
    this.socket = socket;
  }

  /** Signs in over HTTPS and opens the `/tech` socket with the session cookie. */
  static async connect(broker: TestBroker, user: SignInUser): Promise<TechClient> {
    const cookie = await signIn(broker, user);
    const socket = io(`${broker.url}/tech`, {
      transports: ['websocket'],
      ca: readFileSync(broker.caFile, 'utf8'),
      auth: { protocolVersion: PROTOCOL_VERSION },
      extraHeaders: { cookie, origin: broker.url },
      reconnection: false,
      // Its own connection: socket.io would otherwise share one with another client of the same broker
      // in this process (a host's), which carries neither this cookie nor the Origin.
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(err));
    });
    return new TechClient(socket);
  }

  /** Emits an event and returns the broker's acknowledgement. */
  request<T = unknown>(event: string, payload: unknown): Promise<Ack<T>> {
    return this.socket.timeout(10_000).emitWithAck(event, payload) as Promise<Ack<T>>;
  }

  /**
   * Joins with a code and runs the PIN handshake with the real protocol code (M1 offer + Ya,
   * M2 verified, M3), then applies the answer and waits for the control channel. `relay` sits on
   * the signaling path and may rewrite each message, like a compromised broker.
   * Resolves `{ verified: false }` when the host's tag did not verify (the session is then ended).
   */
  async startSession(
    code: string,
    pin: string,
    options: { relay?: SignalingRelay } = {},
  ): Promise<{ sessionId: string; ice: IceConfig; verified: boolean; m1: SignalOffer }> {
    const relay = options.relay ?? {};
    const joined = await this.request<SessionJoined>('session:join', { code });
    if (!joined.ok) throw new Error(`join refused: ${joined.error.code}`);
    const { sessionId, ice } = joined.data;
    this.socket.on('session:ended', (msg: { sessionId: string; reason: EndReason }) => {
      if (msg.sessionId === sessionId) this.ended = msg.reason;
    });
    const pc = new wrtc.RTCPeerConnection(ice) as unknown as RTCPeerConnection;
    this.pc = pc;
    pc.addTransceiver('video', { direction: 'recvonly' });
    const channel = pc.createDataChannel(CONTROL_CHANNEL, { ordered: true });
    this.channel = channel;
    channel.addEventListener('message', (ev: MessageEvent) => this.hostMessages.push(JSON.parse(String(ev.data)) as HostMessage));
    pc.addEventListener('track', (ev: RTCTrackEvent) => {
      const sink = new wrtc.nonstandard.RTCVideoSink(ev.track as never);
      sink.addEventListener('frame', () => this.framesDecoded++);
      this.sink = sink;
    });
    await pc.setLocalDescription(await pc.createOffer());
    await waitForIceGathering(pc, ICE_GATHERING_TIMEOUT_MS);
    const sdp = pc.localDescription!.sdp;
    const context = {
      pin,
      sid: fromBase64Url(joined.data.sid),
      protocolVersion: PROTOCOL_VERSION,
      hostId: joined.data.host.id,
      technicianId: joined.data.technicianId,
    };
    const { pending, ya } = viewerStart(context, fingerprintBytes(dtlsFingerprint(sdp)));
    const answered = new Promise<SignalAnswer>((resolve) =>
      this.socket.on('signal:answer', (msg: SignalAnswer) => {
        if (msg.sessionId === sessionId) resolve(relay.answer ? relay.answer(msg) : msg);
      }),
    );
    const m1 = { sessionId, sid: joined.data.sid, sdp, ya: toBase64Url(ya) };
    const offered = await this.request('signal:offer', relay.offer ? relay.offer(m1) : m1);
    if (!offered.ok) throw new Error(`offer refused: ${offered.error.code}`);
    const m2 = await Promise.race([answered, this.endedOrTimeout(20_000)]);
    if (!m2) return { sessionId, ice, verified: false, m1 };
    let ta: Uint8Array;
    try {
      ({ ta } = viewerFinish(pending, fromBase64Url(m2.yb), fingerprintBytes(dtlsFingerprint(m2.sdp)), fromBase64Url(m2.tb)));
    } catch {
      await this.request('session:end', { sessionId });
      return { sessionId, ice, verified: false, m1 };
    }
    const m3 = { sessionId, ta: toBase64Url(ta) };
    const confirmed = await this.request('signal:confirm', relay.confirm ? relay.confirm(m3, m2) : m3);
    if (!confirmed.ok) throw new Error(`confirmation refused: ${confirmed.error.code}`);
    await pc.setRemoteDescription({ type: 'answer', sdp: m2.sdp });
    await Promise.race([
      new Promise<void>((resolve) => {
        if (channel.readyState === 'open') resolve();
        channel.addEventListener('open', () => resolve());
      }),
      this.endedOrTimeout(20_000),
    ]);
    return { sessionId, ice, verified: true, m1 };
  }

  /** Why the broker said the session ended, once it did. */
  ended: EndReason | undefined;

  /** Resolves undefined when the session ends or after `timeoutMs`. */
  private async endedOrTimeout(timeoutMs: number): Promise<undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.ended === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return undefined;
  }

  /** Resolves with the end reason once the broker reports the end (or rejects after `timeoutMs`). */
  async waitForEnd(timeoutMs = 20_000): Promise<EndReason> {
    await this.endedOrTimeout(timeoutMs);
    if (this.ended === undefined) throw new Error('the session did not end');
    return this.ended;
  }

  /** Sends a control-channel message as is (a modified viewer may send anything). */
  sendRaw(message: unknown): void {
    this.channel!.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Resolves once a host message matching `predicate` has arrived (or rejects after `timeoutMs`). */
  async waitForHostMessage(predicate: (m: HostMessage) => boolean, timeoutMs = 10_000): Promise<HostMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.hostMessages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching host message; got ${JSON.stringify(this.hostMessages)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The candidate types of the selected ICE pair, from getStats. */
  async selectedCandidateTypes(): Promise<{ local: string; remote: string } | undefined> {
    const stats = await this.pc!.getStats();
    let pair: { localCandidateId: string; remoteCandidateId: string } | undefined;
    stats.forEach((s: { type: string; state?: string; nominated?: boolean; localCandidateId?: string; remoteCandidateId?: string }) => {
      if (s.type === 'candidate-pair' && s.state === 'succeeded' && s.nominated) pair = s as typeof pair;
    });
    if (!pair) return undefined;
    const local = stats.get(pair.localCandidateId) as { candidateType: string };
    const remote = stats.get(pair.remoteCandidateId) as { candidateType: string };
    return { local: local.candidateType, remote: remote.candidateType };
  }

  close(): void {
    this.sink?.stop();
    this.channel?.close();
    this.pc?.close();
    this.socket.disconnect();
  }
}

/** Who signs in: a {@link TestUser}, or just a username and password (a user without TOTP). */
export type SignInUser = Pick<TestUser, 'username' | 'password'> & Partial<Pick<TestUser, 'totpSecret' | 'code'>>;

/** Session cookies by user object, so tests do not spend a TOTP time step on every connection. */
const cookies = new WeakMap<object, Promise<string>>();

/**
 * POST /api/login with the password and, for a user with TOTP, a fresh code; returns the
 * `name=value` of the session cookie. Like a browser, it reuses the cookie of an earlier
 * sign-in of the same user object unless `fresh` is set.
 */
export function signIn(broker: TestBroker, user: SignInUser, options: { fresh?: boolean } = {}): Promise<string> {
  const cached = options.fresh ? undefined : cookies.get(user);
  if (cached) return cached;
  const cookie = postLogin(broker, user);
  cookies.set(user, cookie);
  cookie.catch(() => cookies.delete(user));
  return cookie;
}

async function postLogin(broker: TestBroker, user: SignInUser): Promise<string> {
  const code = user.totpSecret && user.code ? await user.code() : undefined;
  const body = JSON.stringify({ username: user.username, password: user.password, ...(code ? { code } : {}) });
  return new Promise((resolve, reject) => {
    const req = request(
      `${broker.url}/api/login`,
      { method: 'POST', ca: readFileSync(broker.caFile, 'utf8'), headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        const cookie = (res.headers['set-cookie'] ?? [])[0]?.split(';')[0];
        if (res.statusCode === 200 && cookie) resolve(cookie);
        else reject(new Error(`login failed: ${res.statusCode}`));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

// @roamhq/wrtc crashes while the process tears itself down (FIELD-NOTES): a test process that used it
// leaves through process.exit, keeping the exit code the test runner set.
process.once('beforeExit', () => setImmediate(() => process.exit(process.exitCode ?? 0)));
