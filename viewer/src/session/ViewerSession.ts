import {
  CONTROL_CHANNEL,
  ErrorCode,
  HostMessage,
  ICE_GATHERING_TIMEOUT_MS,
  MAX_CONTROL_MESSAGE_BYTES,
  SessionJoined,
  PROTOCOL_VERSION,
  TechInbound,
  ViewerMessage,
  connectedPeer,
  dtlsFingerprint,
  fingerprintBytes,
  fromBase64Url,
  parse,
  parseJson,
  toBase64Url,
  viewerFinish,
  viewerStart,
  type Ack,
  type EndReason,
  type Permission,
  type ViewerPending,
  type WireError,
} from '@wardlink/protocol';
import { request, wireError, type SignalingSocket } from '../api/request.ts';
import { defaultVideoCapabilities, preferVp9 } from './codecs.ts';
import { PinAttempts, normalisePin } from './PinAttempts.ts';
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
  /** Milliseconds from sending the offer to the end of the PIN handshake. Default 60000. */
  connectTimeoutMs?: number;
  /** Failed PIN attempts per session code, shared by the sessions of one console (PIN5). */
  pinAttempts?: PinAttempts;
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
  /** The PIN handshake succeeded; the ward user is being asked to accept (CON1). */
  | { phase: 'consent'; host: SessionHost }
  /** `frozen`: the host's recorder stopped, so no video and no input until it records again. */
  | { phase: 'connected'; host: SessionHost; permissions: Permission[]; recorded?: boolean; frozen?: boolean }
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

/** The console's own cap on PIN attempts, shared by every session made without an explicit one. */
const CONSOLE_PIN_ATTEMPTS = new PinAttempts();

/** What the viewer holds between M1 and M2 of the PIN handshake. */
interface Handshake {
  pending: ViewerPending;
  code: string;
  /** Canonical fingerprint of the host's certificate, bound once M2 verifies (PIN6). */
  hostFingerprint?: string;
}

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
  private handshake: Handshake | undefined;
  private readonly pinAttempts: PinAttempts;

  constructor(options: ViewerSessionOptions) {
    super();
    this.options = { ...DEFAULTS, ...options };
    this.pinAttempts = options.pinAttempts ?? CONSOLE_PIN_ATTEMPTS;
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
   * Joins the session waiting under `code` and runs the PIN handshake (M1 with the offer).
   * Resolves with the join acknowledgement; on failure the state is also `failed`.
   * The session is live when the state becomes `connected`.
   */
  async start(code: string, pin: string): Promise<Ack<SessionJoined>> {
    if (this.current.phase !== 'idle' || this.closed) {
      return { ok: false, error: wireError(ErrorCode.BAD_MESSAGE, 'The session was already started.') };
    }
    const digits = normalisePin(pin);
    if (digits === undefined) {
      const error = wireError(ErrorCode.BAD_MESSAGE, 'The PIN must be 8 digits.');
      this.fail(error);
      return { ok: false, error };
    }
    const codeKey = code.replace(/[\s-]/g, '');
    if (this.pinAttempts.blocked(codeKey)) {
      const error = wireError(ErrorCode.PIN_LOCKED, 'Too many wrong PINs.');
      this.fail(error);
      return { ok: false, error };
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
      await this.offer(joined.data, codeKey, digits);
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

  private async offer(joined: SessionJoined, code: string, pin: string): Promise<void> {
    const { sessionId, ice } = joined;
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
    // M1 (PIN1, PIN2): the offer's own certificate fingerprint is CPace's ADa.
    const { pending, ya } = viewerStart(
      {
        pin,
        sid: fromBase64Url(joined.sid),
        protocolVersion: PROTOCOL_VERSION,
        hostId: joined.host.id,
        technicianId: joined.technicianId,
      },
      fingerprintBytes(dtlsFingerprint(sdp)),
    );
    this.handshake = { pending, code };
    const ack = await this.request('signal:offer', { sessionId, sid: joined.sid, sdp, ya: toBase64Url(ya) }, null);
    if (this.closed) {
      return;
    }
    if (!ack.ok) {
      this.fail(ack.error);
      return;
    }
    this.setTimer(() => {
      if (this.current.phase === 'connecting') {
        this.abandon(wireError(ErrorCode.UNAVAILABLE, 'The PC did not connect in time.'));
      }
    }, this.options.connectTimeoutMs);
  }

  private listenPeer(pc: RTCPeerConnection, channel: RTCDataChannel): void {
    const onTrack = (ev: RTCTrackEvent): void => this.emit('track', { track: ev.track, stream: ev.streams[0] });
    const onConnectionState = (): void => {
      if (pc.connectionState === 'failed') {
        this.fail(wireError(ErrorCode.UNAVAILABLE, 'The connection to the PC failed.'));
      }
      if (pc.connectionState === 'connected') {
        void this.verifyPeer(pc);
      }
    };
    const onMessage = (ev: MessageEvent): void => this.onChannelMessage(ev.data);
    const onClose = (): void => this.finish('host_disconnected');
    pc.addEventListener('track', onTrack);
    pc.addEventListener('connectionstatechange', onConnectionState);
    channel.addEventListener('message', onMessage);
    channel.addEventListener('close', onClose);
    this.disposers.push(() => {
      pc.removeEventListener('track', onTrack);
      pc.removeEventListener('connectionstatechange', onConnectionState);
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

  /**
   * M2 (PIN3): verifies the host's tag over a transcript bound to both certificates before the
   * answer is applied; only then sends M3. A second answer is refused (PIN6).
   */
  private async onAnswer(payload: unknown): Promise<void> {
    const parsed = parse(TechInbound['signal:answer'], payload, 128 * 1024);
    const pc = this.pc;
    const handshake = this.handshake;
    if (!parsed.ok || parsed.value.sessionId !== this.sessionId || !pc || !handshake) {
      return;
    }
    if (pc.signalingState !== 'have-local-offer' || handshake.hostFingerprint !== undefined) {
      this.abandon(wireError(ErrorCode.AUTH_FAILED, 'Unexpected second answer.'));
      return;
    }
    const answer = parsed.value;
    let ta: Uint8Array;
    try {
      const hostFingerprint = dtlsFingerprint(answer.sdp);
      ({ ta } = viewerFinish(handshake.pending, fromBase64Url(answer.yb), fingerprintBytes(hostFingerprint), fromBase64Url(answer.tb)));
      handshake.hostFingerprint = hostFingerprint;
    } catch {
      this.pinAttempts.fail(handshake.code);
      this.abandon(wireError(ErrorCode.AUTH_FAILED, 'Wrong PIN or connection intercepted.'));
      return;
    }
    this.pinAttempts.succeed(handshake.code);
    const confirmed = await this.request('signal:confirm', { sessionId: answer.sessionId, ta: toBase64Url(ta) }, null);
    if (this.closed) {
      return;
    }
    if (!confirmed.ok) {
      this.fail(confirmed.error);
      return;
    }
    try {
      await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
    } catch {
      this.fail(wireError(ErrorCode.BAD_MESSAGE, 'The PC sent an unusable answer.'));
    }
  }

  /** PIN6: the certificate the connected host presented must be the one bound in M2. */
  private async verifyPeer(pc: RTCPeerConnection): Promise<void> {
    const bound = this.handshake?.hostFingerprint;
    const connected = await pc.getStats().then(connectedPeer, () => undefined);
    if (this.closed || this.isFinal()) {
      return;
    }
    if (!bound || connected?.certificate !== bound) {
      this.abandon(wireError(ErrorCode.AUTH_FAILED, 'The connection could not be verified.'));
    }
  }

  /** Fails the session and tells the broker, so the host stops waiting for this attempt. */
  private abandon(error: WireError): void {
    const sessionId = this.sessionId;
    if (sessionId !== undefined) {
      this.options.socket.emit('session:end', { sessionId }, () => undefined);
    }
    this.fail(error);
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
      case 'consent:pending':
        if (this.host && this.current.phase === 'connecting') {
          this.setState({ phase: 'consent', host: this.host });
        }
        break;
      case 'consent:granted':
        if (this.host && (this.current.phase === 'connecting' || this.current.phase === 'consent')) {
          this.setState({
            phase: 'connected',
            host: this.host,
            permissions: message.permissions,
            ...(message.recorded !== undefined ? { recorded: message.recorded } : {}),
          });
        }
        break;
      case 'recording:frozen':
      case 'recording:resumed':
        if (this.current.phase === 'connected') {
          this.setState({ ...this.current, frozen: message.type === 'recording:frozen' });
        }
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
