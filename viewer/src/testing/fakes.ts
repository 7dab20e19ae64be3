/**
 * Test doubles shared by the viewer's browser tests: a socket.io socket, an
 * RTCPeerConnection with its data channel, and a session for components.
 * Not part of the bundle (nothing outside tests imports this module).
 */
import type { ViewerMessage } from '@wardlink/protocol';
import type { TechSocket } from '../api/TechClient.ts';
import { TypedEmitter } from '../session/TypedEmitter.ts';
import type {
  ViewerSessionEvents,
  ViewerSessionLike,
  ViewerSessionOptions,
  ViewerSessionState,
} from '../session/ViewerSession.ts';

type Handler = (...args: unknown[]) => void;

/** A socket whose acknowledgements come from `respond` and whose server events the test fires. */
export class FakeSocket implements TechSocket {
  connected = true;
  readonly emitted: Array<{ event: string; payload: unknown }> = [];
  private readonly handlers = new Map<string, Set<Handler>>();

  /** Returns the acknowledgement for a request, or undefined to never answer. */
  constructor(public respond: (event: string, payload: unknown) => unknown = () => ({ ok: true, data: {} })) {}

  emit(event: string, payload: unknown, ack?: (response: unknown) => void): this {
    this.emitted.push({ event, payload });
    const response = this.respond(event, payload);
    if (response !== undefined && ack) {
      queueMicrotask(() => ack(response));
    }
    return this;
  }

  on(event: string, handler: Handler): this {
    let set = this.handlers.get(event);
    if (!set) {
      set = new Set();
      this.handlers.set(event, set);
    }
    set.add(handler);
    return this;
  }

  off(event: string, handler: Handler): this {
    this.handlers.get(event)?.delete(handler);
    return this;
  }

  disconnect(): this {
    this.connected = false;
    return this;
  }

  /** Delivers a server event to the listeners. */
  serverEmit(event: string, ...args: unknown[]): void {
    for (const handler of [...(this.handlers.get(event) ?? [])]) {
      handler(...args);
    }
  }

  /** How many listeners are registered, over all events. */
  listenerCount(): number {
    let count = 0;
    for (const set of this.handlers.values()) {
      count += set.size;
    }
    return count;
  }
}

/** A data channel the test opens and feeds. */
export class FakeChannel extends EventTarget {
  readyState: RTCDataChannelState = 'connecting';
  readonly sent: string[] = [];

  constructor(
    readonly label: string,
    readonly init: RTCDataChannelInit | undefined,
  ) {
    super();
  }

  send(text: string): void {
    this.sent.push(text);
  }

  close(): void {
    this.readyState = 'closed';
  }

  /** Simulates the channel opening. */
  open(): void {
    this.readyState = 'open';
    this.dispatchEvent(new Event('open'));
  }

  /** Simulates a message from the host. */
  receive(data: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }

  /** The messages sent so far, parsed. */
  messages(): ViewerMessage[] {
    return this.sent.map((text) => JSON.parse(text) as ViewerMessage);
  }
}

/** The fake viewer certificate's SHA-256 fingerprint, as the fake offer carries it. */
export const VIEWER_FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(':');

/** A transceiver that records codec preferences. */
export interface FakeTransceiver {
  kind: string;
  init: RTCRtpTransceiverInit | undefined;
  preferences: RTCRtpCodec[] | undefined;
  setCodecPreferences(codecs: RTCRtpCodec[]): void;
}

/** An RTCPeerConnection that completes ICE gathering right after the local description is set. */
export class FakePeerConnection extends EventTarget {
  /** Every instance made, newest last. */
  static readonly instances: FakePeerConnection[] = [];
  readonly transceivers: FakeTransceiver[] = [];
  readonly channels: FakeChannel[] = [];
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  signalingState: RTCSignalingState = 'stable';
  iceGatheringState: RTCIceGatheringState = 'new';
  connectionState: RTCPeerConnectionState = 'new';
  closed = false;

  constructor(readonly config: RTCConfiguration) {
    super();
    FakePeerConnection.instances.push(this);
  }

  addTransceiver(kind: string, init?: RTCRtpTransceiverInit): FakeTransceiver {
    const transceiver: FakeTransceiver = {
      kind,
      init,
      preferences: undefined,
      setCodecPreferences(codecs) {
        this.preferences = codecs;
      },
    };
    this.transceivers.push(transceiver);
    return transceiver;
  }

  createDataChannel(label: string, init?: RTCDataChannelInit): FakeChannel {
    const channel = new FakeChannel(label, init);
    this.channels.push(channel);
    return channel;
  }

  /** The certificate the connected "host" presents in getStats(); tests set it. */
  remoteCertificate: { fingerprint: string; fingerprintAlgorithm: string } | undefined;

  async createOffer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'offer', sdp: `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\na=fingerprint:sha-256 ${VIEWER_FINGERPRINT}\r\n` };
  }

  async getStats(): Promise<Map<string, Record<string, unknown>>> {
    const reports: Array<Record<string, unknown>> = [
      { id: 'T1', type: 'transport', dtlsState: 'connected', remoteCertificateId: 'C1', selectedCandidatePairId: 'P1' },
      { id: 'P1', type: 'candidate-pair', remoteCandidateId: 'R1' },
      { id: 'R1', type: 'remote-candidate', address: '127.0.0.1', candidateType: 'host' },
    ];
    if (this.remoteCertificate) reports.push({ id: 'C1', type: 'certificate', ...this.remoteCertificate });
    return new Map(reports.map((r) => [String(r.id), r]));
  }

  /** Simulates ICE and DTLS reaching `connected`. */
  connect(): void {
    this.connectionState = 'connected';
    this.dispatchEvent(new Event('connectionstatechange'));
  }

  async setLocalDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.localDescription = { ...description, sdp: `${description.sdp ?? ''}a=candidate-gathered\r\n` };
    this.signalingState = 'have-local-offer';
    setTimeout(() => {
      this.iceGatheringState = 'complete';
      this.dispatchEvent(new Event('icegatheringstatechange'));
    }, 0);
  }

  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.remoteDescription = description;
    this.signalingState = 'stable';
  }

  close(): void {
    this.closed = true;
  }

  /** This fake as the constructor type a ViewerSession expects. */
  static asConstructor(): ViewerSessionOptions['RTCPeerConnection'] {
    return FakePeerConnection as unknown as ViewerSessionOptions['RTCPeerConnection'];
  }
}

/** A session a component can follow; the test drives its state and reads what was sent. */
export class FakeSession extends TypedEmitter<ViewerSessionEvents> implements ViewerSessionLike {
  state: ViewerSessionState = { phase: 'connecting', host: { id: 'host-0001', name: 'Ward 3 PC' } };
  readonly sent: ViewerMessage[] = [];
  ended = false;
  closed = false;
  startedWith: string | undefined;
  startedWithPin: string | undefined;

  async start(code: string, pin: string): Promise<never> {
    this.startedWith = code;
    this.startedWithPin = pin;
    return new Promise<never>(() => undefined);
  }

  send(message: ViewerMessage): boolean {
    this.sent.push(message);
    return true;
  }

  async end(): Promise<void> {
    this.ended = true;
    this.set({ phase: 'ended', host: this.hostOf(), reason: 'ended_by_technician' });
  }

  close(): void {
    this.closed = true;
  }

  /** Moves to `state` and tells the listeners. */
  set(state: ViewerSessionState): void {
    this.state = state;
    this.emit('state', state);
  }

  /** Fires any session event. */
  fire<K extends keyof ViewerSessionEvents>(event: K, payload: ViewerSessionEvents[K]): void {
    this.emit(event, payload);
  }

  private hostOf() {
    return 'host' in this.state ? this.state.host : undefined;
  }
}
