import {
  CONTROL_CHANNEL,
  ErrorCode,
  HostMessage,
  ICE_GATHERING_TIMEOUT_MS,
  MAX_CONTROL_MESSAGE_BYTES,
  SessionJoined,
  TechInbound,
  ViewerMessage,
  parse,
  parseJson,
  type Ack,
  type EndReason,
  type IceConfig,
  type WireError,
} from '@wardlink/protocol';
import { request, wireError, type SignalingSocket } from '../api/request.ts';
import { defaultVideoCapabilities, preferVp9 } from './codecs.ts';
import { TypedEmitter } from './TypedEmitter.ts';

/** What a {@link ViewerSession} needs; nothing here is browser-only, so Node can pass `@roamhq/wrtc`. */
export interface ViewerSessionOptions {
  /** The `/tech` socket.io socket (signed in). */
  socket: SignalingSocket;
  /** The RTCPeerConnection constructor: the browser's, or `wrtc.RTCPeerConnection` in Node. */
  RTCPeerConnection: new (config: RTCConfiguration) => RTCPeerConnection;
  /** Receiver video codecs, for putting VP9 first. Defaults to `RTCRtpReceiver.getCapabilities` when present. */
  videoCapabilities?: () => RTCRtpCapabilities | null;
  /** Milliseconds to wait for ICE gathering before sending what we have. Default 5000. */
  iceGatheringTimeoutMs?: number;
  /** Milliseconds to wait for a socket acknowledgement. Default 10000. */
  requestTimeoutMs?: number;
  /** Milliseconds from sending the offer to an open control channel. Default 60000. */
  connectTimeoutMs?: number;
}

/** The PC at the other end, as named by the broker (hostile text: render as text only). */
export interface SessionHost {
  id: string;
  name: string;
}

/** Where the session is in its life; `ended` and `failed` are final. */
export type ViewerSessionState =
  | { phase: 'idle' }
  | { phase: 'joining' }
  | { phase: 'connecting'; host: SessionHost }
  | { phase: 'connected'; host: SessionHost }
  | { phase: 'ended'; host: SessionHost | undefined; reason: EndReason }
  | { phase: 'failed'; host: SessionHost | undefined; error: WireError };

/** Events of a {@link ViewerSession}. */
export interface ViewerSessionEvents {
  /** Every change of {@link ViewerSession.state}. */
  state: ViewerSessionState;
  /** The host's screen arrived. `stream` is absent when the host sent a bare track. */
  track: { track: MediaStreamTrack; stream: MediaStream | undefined };
  /** The host's screen size in pixels (the coordinate space of input messages). */
  screen: { width: number; height: number };
  /** The host refused something (for instance input it does not permit). */
  hostError: WireError;
}

/** The public face of a {@link ViewerSession} that UI components use; test fakes implement it. */
export type ViewerSessionLike = Pick<ViewerSession, 'state' | 'on' | 'send' | 'start' | 'end' | 'close'>;

const DEFAULTS = { iceGatheringTimeoutMs: ICE_GATHERING_TIMEOUT_MS, requestTimeoutMs: 10_000, connectTimeoutMs: 60_000 };

/**
 * The technician's side of one remote session: joins by session code, makes
 * the WebRTC offer (receive-only video, VP9 first, one ordered control
 * channel, no trickle ICE), applies the host's answer and carries input.
 * It renders nothing; components listen to its events.
 */
export class ViewerSession extends TypedEmitter<ViewerSessionEvents> {
  private readonly options: ViewerSessionOptions & typeof DEFAULTS;
  private readonly abort = new AbortController();
  private readonly disposers: Array<() => void> = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private current: ViewerSessionState = { phase: 'idle' };
  private closed = false;
  private pc: RTCPeerConnection | undefined;
  private channel: RTCDataChannel | undefined;
  private sessionId: string | undefined;
  private host: SessionHost | undefined;

  constructor(options: ViewerSessionOptions) {
    super();
    this.options = { ...DEFAULTS, ...options };
  }

  /** The current state. */
  get state(): ViewerSessionState {
    return this.current;
  }

  /** The broker's id of the session, once joined. */
  get id(): string | undefined {
    return this.sessionId;
  }

  /** True after {@link close}. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Joins the session waiting under `code` and sends the offer. Resolves
   * with the join acknowledgement; on failure the state is also `failed`.
   * The session is live when the state becomes `connected`.
   */
  async start(code: string): Promise<Ack<SessionJoined>> {
    if (this.current.phase !== 'idle' || this.closed) {
      return { ok: false, error: wireError(ErrorCode.BAD_MESSAGE, 'The session was already started.') };
    }
    this.setState({ phase: 'joining' });
    const joined = await this.request('session:join', { code }, SessionJoined);
    if (this.closed) {
      if (joined.ok) {
        // Closed while joining: tell the broker so the host is not left waiting.
        this.options.socket.emit('session:end', { sessionId: joined.data.sessionId }, () => undefined);
      }
      return { ok: false, error: wireError(ErrorCode.UNAVAILABLE, 'The session was closed.') };
    }
    if (!joined.ok) {
      this.fail(joined.error);
      return joined;
    }
    this.sessionId = joined.data.sessionId;
    this.host = { ...joined.data.host };
    this.listenSocket();
    this.setState({ phase: 'connecting', host: this.host });
    try {
      await this.offer(joined.data.sessionId, joined.data.ice);
    } catch {
      this.fail(wireError(ErrorCode.UNAVAILABLE, 'WebRTC setup failed.'));
    }
    return joined;
  }

  /**
   * Sends one input or control message to the host. Returns false when the
   * channel is not open or the message is invalid (it is then dropped).
   */
  send(message: ViewerMessage): boolean {
    const channel = this.channel;
    if (this.closed || !channel || channel.readyState !== 'open') {
      return false;
    }
    const checked = parse(ViewerMessage, message, MAX_CONTROL_MESSAGE_BYTES);
    if (!checked.ok) {
      return false;
    }
    channel.send(JSON.stringify(checked.value));
    return true;
  }

  /**
   * Ends the session on purpose: tells the host over the channel and the
   * broker over the socket, then closes the peer connection.
   */
  async end(): Promise<void> {
    if (this.closed || this.isFinal()) {
      this.close();
      return;
    }
    this.send({ type: 'session:end' });
    const sessionId = this.sessionId;
    this.setState({ phase: 'ended', host: this.host, reason: 'ended_by_technician' });
    if (sessionId !== undefined) {
      await this.request('session:end', { sessionId }, null, Math.min(this.options.requestTimeoutMs, 2000));
    }
    this.close();
  }

  /** Releases the peer connection, socket listeners and timers. Safe to call more than once. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.abort.abort();
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
    for (const dispose of this.disposers.splice(0)) {
      dispose();
    }
    try {
      this.channel?.close();
      this.pc?.close();
    } catch {
      // Closing an already failed connection may throw in some implementations; nothing is left to release.
    }
    this.removeAllListeners();
  }

  private async offer(sessionId: string, ice: IceConfig): Promise<void> {
    const pc = new this.options.RTCPeerConnection({
      iceServers: ice.iceServers,
      iceTransportPolicy: ice.iceTransportPolicy,
    });
    this.pc = pc;
    const transceiver = pc.addTransceiver('video', { direction: 'recvonly' });
    preferVp9(transceiver, (this.options.videoCapabilities ?? defaultVideoCapabilities)());
    const channel = pc.createDataChannel(CONTROL_CHANNEL, { ordered: true });
    this.channel = channel;
    this.listenPeer(pc, channel);

    await pc.setLocalDescription(await pc.createOffer());
    await this.iceGathered(pc);
    const sdp = pc.localDescription?.sdp;
    if (this.closed || sdp === undefined) {
      return;
    }
    const ack = await this.request('signal:offer', { sessionId, sdp }, null);
    if (this.closed) {
      return;
    }
    if (!ack.ok) {
      this.fail(ack.error);
      return;
    }
    this.setTimer(() => {
      if (this.current.phase === 'connecting') {
        this.fail(wireError(ErrorCode.UNAVAILABLE, 'The PC did not connect in time.'));
      }
    }, this.options.connectTimeoutMs);
  }

  private listenPeer(pc: RTCPeerConnection, channel: RTCDataChannel): void {
    const onTrack = (ev: RTCTrackEvent): void => this.emit('track', { track: ev.track, stream: ev.streams[0] });
    const onConnectionState = (): void => {
      if (pc.connectionState === 'failed') {
        this.fail(wireError(ErrorCode.UNAVAILABLE, 'The connection to the PC failed.'));
      }
    };
    const onOpen = (): void => {
      if (this.host && this.current.phase === 'connecting') {
        this.setState({ phase: 'connected', host: this.host });
      }
    };
    const onMessage = (ev: MessageEvent): void => this.onChannelMessage(ev.data);
    const onClose = (): void => this.finish('host_disconnected');
    pc.addEventListener('track', onTrack);
    pc.addEventListener('connectionstatechange', onConnectionState);
    channel.addEventListener('open', onOpen);
    channel.addEventListener('message', onMessage);
    channel.addEventListener('close', onClose);
    this.disposers.push(() => {
      pc.removeEventListener('track', onTrack);
      pc.removeEventListener('connectionstatechange', onConnectionState);
      channel.removeEventListener('open', onOpen);
      channel.removeEventListener('message', onMessage);
      channel.removeEventListener('close', onClose);
    });
  }

  private listenSocket(): void {
    const { socket } = this.options;
    const onAnswer = (payload: unknown): void => void this.onAnswer(payload);
    const onEnded = (payload: unknown): void => {
      const parsed = parse(TechInbound['session:ended'], payload);
      if (parsed.ok && parsed.value.sessionId === this.sessionId) {
        this.finish(parsed.value.reason);
      }
    };
    socket.on('signal:answer', onAnswer);
    socket.on('session:ended', onEnded);
    this.disposers.push(() => {
      socket.off('signal:answer', onAnswer);
      socket.off('session:ended', onEnded);
    });
  }

  private async onAnswer(payload: unknown): Promise<void> {
    const parsed = parse(TechInbound['signal:answer'], payload, 128 * 1024);
    const pc = this.pc;
    if (!parsed.ok || parsed.value.sessionId !== this.sessionId || !pc || pc.signalingState !== 'have-local-offer') {
      return;
    }
    try {
      await pc.setRemoteDescription({ type: 'answer', sdp: parsed.value.sdp });
    } catch {
      this.fail(wireError(ErrorCode.BAD_MESSAGE, 'The PC sent an unusable answer.'));
    }
  }

  private onChannelMessage(data: unknown): void {
    const parsed = parseJson(HostMessage, data, MAX_CONTROL_MESSAGE_BYTES);
    if (!parsed.ok) {
      return;
    }
    const message = parsed.value;
    switch (message.type) {
      case 'screen:info':
        this.emit('screen', { width: message.width, height: message.height });
        break;
      case 'error':
        this.emit('hostError', { code: message.code, message: message.message });
        break;
      case 'session:ended':
        this.finish(message.reason);
        break;
      default: {
        const unreachable: never = message;
        return unreachable;
      }
    }
  }

  /**
   * Waits until ICE gathering completes, at most `iceGatheringTimeoutMs`. Unlike the protocol's
   * `waitForIceGathering`, this also stops waiting (and clears its timer) when the session closes.
   */
  private iceGathered(pc: RTCPeerConnection): Promise<void> {
    if (pc.iceGatheringState === 'complete') {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.timers.delete(timer);
        pc.removeEventListener('icegatheringstatechange', onChange);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const onChange = (): void => {
        if (pc.iceGatheringState === 'complete') {
          done();
        }
      };
      const timer = this.setTimer(done, this.options.iceGatheringTimeoutMs);
      pc.addEventListener('icegatheringstatechange', onChange);
      this.abort.signal.addEventListener('abort', done);
    });
  }

  private request<S extends Parameters<typeof parse>[0]>(
    event: string,
    payload: unknown,
    schema: S | null,
    timeoutMs = this.options.requestTimeoutMs,
  ) {
    return request(this.options.socket, event, payload, schema, { timeoutMs, signal: this.abort.signal });
  }

  private setTimer(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private isFinal(): boolean {
    return this.current.phase === 'ended' || this.current.phase === 'failed';
  }

  private finish(reason: EndReason): void {
    if (this.closed || this.isFinal()) {
      return;
    }
    this.setState({ phase: 'ended', host: this.host, reason });
    this.close();
  }

  private fail(error: WireError): void {
    if (this.closed || this.isFinal()) {
      return;
    }
    this.setState({ phase: 'failed', host: this.host, error });
    this.close();
  }

  private setState(state: ViewerSessionState): void {
    this.current = state;
    this.emit('state', state);
  }
}
