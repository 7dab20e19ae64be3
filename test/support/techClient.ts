import { createRequire } from 'node:module';
import type * as Wrtc from '@roamhq/wrtc';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { io, type Socket } from 'socket.io-client';
import {
  CONTROL_CHANNEL,
  ICE_GATHERING_TIMEOUT_MS,
  PROTOCOL_VERSION,
  waitForIceGathering,
  type Ack,
  type HostMessage,
  type IceConfig,
} from '@wardlink/protocol';
import type { TestBroker } from './broker.ts';

const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as typeof Wrtc;

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
  static async connect(broker: TestBroker, user: { username: string; password: string }): Promise<TechClient> {
    const cookie = await signIn(broker, user);
    const socket = io(`${broker.url}/tech`, {
      transports: ['websocket'],
      ca: readFileSync(broker.caFile, 'utf8'),
      auth: { protocolVersion: PROTOCOL_VERSION },
      extraHeaders: { cookie, origin: broker.url },
      reconnection: false,
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

  /** Joins with a code and runs the offer/answer exchange; resolves when the control channel is open. */
  async startSession(code: string): Promise<{ sessionId: string; ice: IceConfig }> {
    const joined = await this.request<{ sessionId: string; ice: IceConfig }>('session:join', { code });
    if (!joined.ok) throw new Error(`join refused: ${joined.error.code}`);
    const { sessionId, ice } = joined.data;
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
    const answered = new Promise<string>((resolve) =>
      this.socket.on('signal:answer', (msg: { sessionId: string; sdp: string }) => {
        if (msg.sessionId === sessionId) resolve(msg.sdp);
      }),
    );
    const offered = await this.request('signal:offer', { sessionId, sdp: pc.localDescription!.sdp });
    if (!offered.ok) throw new Error(`offer refused: ${offered.error.code}`);
    await pc.setRemoteDescription({ type: 'answer', sdp: await answered });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('control channel did not open')), 20_000);
      channel.addEventListener('open', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return { sessionId, ice };
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

/** POST /api/login; returns the `name=value` of the session cookie. */
export function signIn(broker: TestBroker, user: { username: string; password: string }): Promise<string> {
  const body = JSON.stringify(user);
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
