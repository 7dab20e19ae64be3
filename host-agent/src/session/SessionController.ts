import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { EndReason, IceConfig, TechnicianInfo, WardState } from '@wardlink/protocol';
import type { BrokerClient } from '../broker/BrokerClient.ts';
import type { InputInjector, ScreenCapture } from '../platform/types.ts';
import { HostPeer } from './HostPeer.ts';

/** What the ward user's page shows: declared in the protocol (`WardState` in protocol/src/ward.ts). */
export type { WardState } from '@wardlink/protocol';

/** Options for {@link SessionController}. */
export interface SessionControllerOptions {
  hostName: string;
  broker: BrokerClient;
  /** Makes a fresh screen capture for each session. */
  newCapture: () => ScreenCapture;
  input: InputInjector;
  log: Logger;
}

interface Current {
  sid: string;
  sessionId?: string;
  ice?: IceConfig;
  technician?: TechnicianInfo;
  peer?: HostPeer;
  expiryTimer?: NodeJS.Timeout;
}

/**
 * The host's session state machine (docs/SPEC.md SES1-SES6): idle -> waiting
 * (code shown) -> connecting (technician joined) -> live -> ended. Exactly one
 * session at a time; anything out of order is refused and ends the attempt.
 */
export class SessionController {
  private readonly options: SessionControllerOptions;
  private state: WardState;
  private current: Current | undefined;
  private readonly listeners = new Set<(state: WardState) => void>();
  private readonly unsubscribe: Array<() => void>;

  constructor(options: SessionControllerOptions) {
    this.options = options;
    const { broker } = options;
    this.state = { hostName: options.hostName, broker: broker.online ? 'online' : 'offline', state: 'idle' };
    this.unsubscribe = [
      broker.on('online', () => this.update({ broker: 'online' })),
      broker.on('offline', () => this.onBrokerLost()),
      broker.on('session:request', (req) => this.onRequest(req)),
      broker.on('signal:offer', (offer) => void this.onOffer(offer.sessionId, offer.sdp)),
      broker.on('session:ended', (ended) => {
        if (ended.sessionId === this.current?.sessionId) this.finish(ended.reason, false);
      }),
    ];
  }

  get snapshot(): WardState {
    return this.state;
  }

  /** Subscribes to state changes; returns the unsubscribe function. */
  subscribe(listener: (state: WardState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** SES1: the ward user clicked "Get help". */
  async requestHelp(): Promise<WardState> {
    if (this.current) return this.state;
    const sid = randomBytes(16).toString('base64url');
    const current: Current = { sid };
    this.current = current;
    try {
      const { code, expiresAt } = await this.options.broker.openSession(sid);
      if (this.current !== current) return this.state;
      current.expiryTimer = setTimeout(() => {
        if (this.state.state === 'waiting') this.finish('expired', true);
      }, Math.max(0, expiresAt - Date.now()));
      this.replace({ hostName: this.state.hostName, broker: this.state.broker, state: 'waiting', code, expiresAt });
    } catch (err) {
      this.current = undefined;
      throw err;
    }
    return this.state;
  }

  /** The ward user clicked "End session" (or withdrew the code). */
  endByUser(): WardState {
    if (this.current) this.finish('ended_by_host', true);
    return this.state;
  }

  private onRequest(req: { sessionId: string; sid: string; technician: TechnicianInfo; from: string; ice: IceConfig }): void {
    const current = this.current;
    if (!current || current.sid !== req.sid || current.sessionId || this.state.state !== 'waiting') {
      this.options.log.warn('unexpected session request refused');
      void this.options.broker.endSession(req.sessionId, 'failed').catch(() => undefined);
      return;
    }
    current.sessionId = req.sessionId;
    current.ice = req.ice;
    current.technician = req.technician;
    clearTimeout(current.expiryTimer);
    const { name, organisation } = req.technician;
    this.replace({
      hostName: this.state.hostName,
      broker: this.state.broker,
      state: 'connecting',
      technician: { name, organisation, from: req.from },
    });
  }

  private async onOffer(sessionId: string, sdp: string): Promise<void> {
    const current = this.current;
    if (!current || current.sessionId !== sessionId || current.peer || !current.ice) {
      this.options.log.warn('unexpected offer refused');
      return;
    }
    const log = this.options.log.child({ sessionId });
    const peer = new HostPeer({
      ice: current.ice,
      capture: this.options.newCapture(),
      input: this.options.input,
      log,
      onLive: () => {
        log.info('session live');
        if (this.current === current) this.update({ state: 'live' });
      },
      onEndRequested: () => {
        if (this.current === current) this.finish('ended_by_technician', true);
      },
      onFailed: (reason) => {
        log.warn({ reason }, 'session failed');
        if (this.current === current) this.finish('failed', true);
      },
    });
    current.peer = peer;
    try {
      const answer = await peer.answer(sdp);
      if (this.current !== current) return;
      await this.options.broker.sendAnswer(sessionId, answer);
    } catch (err) {
      log.warn({ err: String(err) }, 'answer failed');
      if (this.current === current) this.finish('failed', true);
    }
  }

  private onBrokerLost(): void {
    // A code cannot be redeemed without the broker; a live peer-to-peer session carries on.
    if (this.state.state === 'waiting' || this.state.state === 'connecting') this.finish('failed', false);
    this.update({ broker: 'offline' });
  }

  /** SES5/SES6: closes the peer, tells the broker (unless it told us), shows the end. */
  private finish(reason: EndReason, notifyBroker: boolean): void {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    clearTimeout(current.expiryTimer);
    current.peer?.close();
    if (notifyBroker) void this.options.broker.endSession(current.sessionId, reason).catch(() => undefined);
    this.options.log.info({ reason }, 'session ended');
    this.replace({ hostName: this.state.hostName, broker: this.state.broker, state: 'ended', endReason: reason });
  }

  private update(patch: Partial<WardState>): void {
    this.replace({ ...this.state, ...patch });
  }

  private replace(state: WardState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }

  /** Ends any session and stops listening. Safe to call twice. */
  close(): void {
    if (this.current) this.finish('ended_by_host', true);
    this.unsubscribe.splice(0).forEach((off) => off());
    this.listeners.clear();
  }
}
