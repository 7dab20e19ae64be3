import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import {
  PROTOCOL_VERSION,
  dtlsFingerprint,
  fingerprintBytes,
  fromBase64Url,
  hostFinish,
  hostRespond,
  isAddressAllowed,
  toBase64Url,
  type ConsentDecision,
  type EndReason,
  type HostPending,
  type HostPolicy,
  type HostReport,
  type IceConfig,
  type Permission,
  type TechnicianInfo,
  type WardState,
} from '@wardlink/protocol';
import type { HostSigner } from '@wardlink/recordings';
import type { BrokerClient } from '../broker/BrokerClient.ts';
import { AgentError } from '../errors.ts';
import type { InputInjector, ScreenCapture } from '../platform/types.ts';
import type { ScreenRecorderEncoderEvents } from '../recording/encoder/index.ts';
import { SessionRecorder, type RecorderEncoder, type RecordingSink } from '../recording/SessionRecorder.ts';
import { HostPeer } from './HostPeer.ts';
import type { PinGate } from './PinGate.ts';
import type { VideoBitrate } from './videoBitrate.ts';

/** What the ward user's page shows: declared in the protocol (`WardState` in protocol/src/ward.ts). */
export type { WardState } from '@wardlink/protocol';

/** Milliseconds the host waits for M3 after sending M2; a missing M3 is a failed attempt. */
export const CONFIRM_TIMEOUT_MS = 30_000;

/** Milliseconds the consent prompt waits for the ward user before the request lapses (`expired`). */
export const CONSENT_TIMEOUT_MS = 120_000;

/** Options for {@link SessionController}. */
export interface SessionControllerOptions {
  hostName: string;
  broker: BrokerClient;
  /** Counts PIN attempts durably (PIN5). */
  gate: PinGate;
  /** Makes a fresh screen capture for each session. */
  newCapture: () => ScreenCapture;
  input: InputInjector;
  /** Accept sessions without asking the ward user (an administrator's setting, CON3). */
  unattended?: boolean;
  /** Networks a technician may connect from on a direct path; relayed paths are the broker's to check. */
  allowedPeers?: readonly string[];
  /** Bounds of the live video's bitrate; default libwebrtc's own (2.5 Mbit/s at most for 1280x800). */
  videoBitrate?: VideoBitrate;
  /**
   * Records every session (mandatory: no recording, no session); shown at consent and in the
   * live banner. Undefined: sessions are not recorded (an administrator's choice, `--recording off`).
   */
  recording?: SessionRecording;
  log: Logger;
  /** For tests: milliseconds to wait for M3. */
  confirmTimeoutMs?: number;
}

/** What recording a session takes: the policy in force, the device key, the spool, an encoder. */
export interface SessionRecording {
  /** The recording policy in force (RecordingPolicy.current); rejects when there is none. */
  policy: () => Promise<HostPolicy>;
  signer: HostSigner;
  sink: RecordingSink;
  newEncoder: (events: ScreenRecorderEncoderEvents) => RecorderEncoder;
  /** The active window's title, for the timeline. */
  windowTitle?: () => Promise<string | undefined>;
}

/** The handshake state between M2 and M3, and what it was bound to. */
interface Handshake {
  pending: HostPending;
  /** Canonical fingerprint of the viewer's DTLS certificate (ADa). */
  viewerFingerprint: string;
  confirmed: boolean;
}

interface Current {
  sid: string;
  pin: string;
  sessionId?: string;
  ice?: IceConfig;
  technician?: TechnicianInfo;
  from?: string;
  requested?: Permission[];
  peer?: HostPeer;
  handshake?: Handshake;
  /** The connected peer presented the bound certificate (PIN6). */
  peerVerified?: boolean;
  /** What the ward user granted (or, unattended, the request). */
  granted?: Permission[];
  /** This session's recording, from key confirmation on; `recorderReady` once it records. */
  recorder?: SessionRecorder;
  recorderReady?: boolean;
  /** Permissions were handed to the peer. */
  started?: boolean;
  expiryTimer?: NodeJS.Timeout;
  confirmTimer?: NodeJS.Timeout;
  consentTimer?: NodeJS.Timeout;
}

/**
 * The host's session state machine (docs/SPEC.md SES1-SES6, PIN1-PIN6, CON1-CON3):
 * idle -> waiting (code and PIN shown) -> connecting (PIN handshake) -> consent -> live -> ended,
 * and `locked` after too many failed attempts. Exactly one session at a time; anything out of
 * order is refused and ends the attempt; a protocol violation that only tampering explains ends
 * it as `tampered` and is reported for the audit log.
 */
export class SessionController {
  private readonly options: SessionControllerOptions;
  private state: WardState;
  private current: Current | undefined;
  private readonly listeners = new Set<(state: WardState) => void>();
  private readonly unsubscribe: Array<() => void>;
  private readonly endings = new Set<Promise<void>>();

  constructor(options: SessionControllerOptions) {
    this.options = options;
    const { broker, gate } = options;
    this.state = gate.locked
      ? { ...this.base(), state: 'locked', ...(gate.lockedAt ? { lockedAt: gate.lockedAt } : {}) }
      : { ...this.base(), state: 'idle' };
    this.unsubscribe = [
      broker.on('online', () => {
        this.update({ broker: 'online' });
        this.reportPendingLock();
      }),
      broker.on('offline', () => this.onBrokerLost()),
      broker.on('session:request', (req) => this.onRequest(req)),
      broker.on('signal:offer', (offer) => void this.onOffer(offer)),
      broker.on('signal:confirm', (confirm) => this.onConfirm(confirm.sessionId, confirm.ta)),
      broker.on('session:ended', (ended) => {
        if (ended.sessionId === this.current?.sessionId) this.onEndedByBroker(ended.reason);
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

  /** SES1: the ward user clicked "Get help": a new PIN and a code. Refused while locked (PIN5). */
  async requestHelp(): Promise<WardState> {
    if (this.current || this.options.gate.locked) return this.state;
    const { gate } = this.options;
    gate.resetForNewPin();
    const current: Current = { sid: newSid(), pin: gate.newPin() };
    this.current = current;
    try {
      await this.openCode(current, false);
    } catch (err) {
      if (this.current === current) this.current = undefined;
      throw err;
    }
    return this.state;
  }

  /** The ward user clicked "End session" (or withdrew the code). */
  endByUser(): WardState {
    if (this.current) this.finish('ended_by_host', true);
    return this.state;
  }

  /** The ward user answered the consent prompt (CON2). Permissions can only be narrowed. */
  async decideConsent(decision: ConsentDecision): Promise<WardState> {
    const current = this.current;
    if (!current || this.state.state !== 'consent' || !current.requested) {
      throw new AgentError('bad_state', 'There is no request to answer.');
    }
    if (!decision.accept) {
      current.recorder?.event('consent', { decision: 'declined' });
      this.report(current, 'consent_declined');
      current.peer?.send({ type: 'session:ended', reason: 'declined' });
      this.finish('declined', true);
      return this.state;
    }
    const granted = current.requested.filter((p) => decision.permissions.includes(p));
    if (granted.includes('control') && !granted.includes('view')) {
      throw new AgentError('bad_request', 'Control needs the screen to be shown.');
    }
    if (granted.length === 0) throw new AgentError('bad_request', 'Allow at least one thing, or decline.');
    clearTimeout(current.consentTimer);
    current.recorder?.event('consent', { decision: 'allowed', permissions: granted });
    this.report(current, 'consent_given', granted);
    this.startGranted(current, granted);
    return this.state;
  }

  /** The ward user acknowledged the wrong-PIN alarm; help can be requested again. */
  acknowledgeAlarm(): WardState {
    if (this.state.state !== 'locked') return this.state;
    this.options.gate.acknowledgeLock();
    this.replace({ ...this.base(), state: 'idle' });
    return this.state;
  }

  /** Asks the broker for a code for the current sid and shows it with the PIN. */
  private async openCode(current: Current, keepCode: boolean): Promise<void> {
    const { code, expiresAt } = await this.options.broker.openSession(current.sid, keepCode);
    if (this.current !== current) return;
    clearTimeout(current.expiryTimer);
    current.expiryTimer = setTimeout(() => {
      if (this.current === current && this.state.state === 'waiting') this.finish('expired', true);
    }, Math.max(0, expiresAt - Date.now()));
    this.replace({
      ...this.base(),
      state: 'waiting',
      code,
      expiresAt,
      pin: current.pin,
      attemptsLeft: this.options.gate.attemptsLeft,
    });
  }

  private onRequest(req: {
    sessionId: string;
    sid: string;
    technician: TechnicianInfo;
    from: string;
    ice: IceConfig;
    permissions: Permission[];
  }): void {
    const current = this.current;
    if (!current || current.sid !== req.sid || current.sessionId || this.state.state !== 'waiting') {
      this.options.log.warn('unexpected session request refused');
      void this.options.broker.endSession(req.sessionId, 'failed').catch(() => undefined);
      return;
    }
    current.sessionId = req.sessionId;
    current.ice = req.ice;
    current.technician = req.technician;
    current.from = req.from;
    current.requested = req.permissions;
    clearTimeout(current.expiryTimer);
    this.replace({ ...this.base(), state: 'connecting', technician: this.wardTechnician(current) });
  }

  /** M1 (PIN1, PIN2): counts the attempt, answers with a fresh certificate, Yb and Tb. */
  private async onOffer(offer: { sessionId: string; sid: string; sdp: string; ya: string }): Promise<void> {
    const current = this.current;
    if (!current || current.sessionId !== offer.sessionId) {
      this.options.log.warn('offer for no current session refused');
      return;
    }
    if (current.peer || offer.sid !== current.sid || !current.ice || !current.technician) {
      // A second M1 (replay or renegotiation) or one bound to another sid.
      this.tampered(current, 'unexpected offer');
      return;
    }
    const { gate, broker } = this.options;
    gate.beginAttempt();
    const log = this.options.log.child({ sessionId: offer.sessionId });
    const peer = new HostPeer({
      ice: current.ice,
      capture: this.options.newCapture(),
      input: this.options.input,
      ...(this.options.videoBitrate ? { videoBitrate: this.options.videoBitrate } : {}),
      log,
      onConnected: () => void this.verifyPeer(current),
      onInput: (message) => current.recorder?.input(message),
      onLive: () => {
        log.info('session live');
        if (this.current === current) this.update({ state: 'live' });
      },
      onEndRequested: () => {
        if (this.current === current) this.finish('ended_by_technician', true);
      },
      onFailed: (reason) => {
        log.warn({ reason }, 'session failed');
        if (this.current === current) this.attemptOver(current, 'failed');
      },
    });
    current.peer = peer;
    try {
      const viewerFingerprint = dtlsFingerprint(offer.sdp);
      const ya = fromBase64Url(offer.ya);
      const sdp = await peer.answer(offer.sdp);
      if (this.current !== current) return;
      const hostId = broker.id;
      if (!hostId) throw new Error('not enrolled');
      const { pending, yb, tb } = hostRespond(
        {
          pin: current.pin,
          sid: fromBase64Url(current.sid),
          protocolVersion: PROTOCOL_VERSION,
          hostId,
          technicianId: current.technician.id,
        },
        ya,
        fingerprintBytes(viewerFingerprint),
        fingerprintBytes(dtlsFingerprint(sdp)),
      );
      current.handshake = { pending, viewerFingerprint, confirmed: false };
      current.confirmTimer = setTimeout(() => {
        if (this.current === current) this.attemptOver(current, 'auth_failed');
      }, this.options.confirmTimeoutMs ?? CONFIRM_TIMEOUT_MS);
      await broker.sendAnswer({ sessionId: offer.sessionId, sdp, yb: toBase64Url(yb), tb: toBase64Url(tb) });
    } catch (err) {
      log.warn({ err: String(err) }, 'handshake failed');
      if (this.current === current) this.attemptOver(current, 'auth_failed');
    }
  }

  /** M3 (PIN3): verifies Ta in constant time; only then does the ward user see a request. */
  private onConfirm(sessionId: string, ta: string): void {
    const current = this.current;
    if (!current || current.sessionId !== sessionId) return;
    const handshake = current.handshake;
    if (!handshake || handshake.confirmed) {
      this.tampered(current, 'unexpected confirmation');
      return;
    }
    clearTimeout(current.confirmTimer);
    try {
      hostFinish(handshake.pending, fromBase64Url(ta));
    } catch {
      this.attemptOver(current, 'auth_failed');
      return;
    }
    handshake.confirmed = true;
    this.options.gate.confirmAttempt();
    const requested = current.requested ?? [];
    this.startRecorder(current);
    if (this.options.unattended) {
      current.recorder?.event('consent', { decision: 'unattended', permissions: requested });
      this.report(current, 'consent_skipped_unattended', requested);
      this.startGranted(current, requested);
      return;
    }
    current.peer?.send({ type: 'consent:pending' });
    current.consentTimer = setTimeout(() => {
      if (this.current !== current || this.state.state !== 'consent') return;
      current.peer?.send({ type: 'session:ended', reason: 'expired' });
      this.finish('expired', true);
    }, CONSENT_TIMEOUT_MS);
    this.replace({
      ...this.base(),
      state: 'consent',
      technician: this.wardTechnician(current),
      permissions: requested,
    });
  }

  /** PIN6: the certificate the connected peer presented must be the one bound in the handshake. */
  private async verifyPeer(current: Current): Promise<void> {
    const peer = current.peer;
    const bound = current.handshake?.viewerFingerprint;
    if (!peer || !bound || current.peerVerified) return;
    const connected = await peer.connectedPeer().catch(() => undefined);
    if (this.current !== current) return;
    if (connected?.certificate !== bound) {
      this.tampered(current, 'peer certificate differs from the bound fingerprint');
      return;
    }
    // On a direct path the host sees the technician's address itself: it must be an allowed one.
    const { allowedPeers } = this.options;
    const candidate = connected.candidate;
    if (allowedPeers && candidate?.type !== 'relay' && !isAddressAllowed(candidate?.address ?? '', allowedPeers)) {
      this.options.log.warn({ address: candidate?.address }, 'technician address outside the allowed networks');
      this.report(current, 'peer_address_denied');
      current.peer?.send({ type: 'session:ended', reason: 'failed' });
      this.finish('failed', true);
      return;
    }
    current.peerVerified = true;
    await this.grantWhenReady(current);
  }

  /** Consent given (or unattended): starts streaming once the peer is verified. */
  private startGranted(current: Current, granted: Permission[]): void {
    current.granted = granted;
    this.replace({
      ...this.base(),
      state: 'connecting',
      technician: this.wardTechnician(current),
      permissions: granted,
    });
    void this.grantWhenReady(current);
  }

  /**
   * Hands the permissions to the peer once everything holds: consent, the verified peer, and (when
   * sessions are recorded) a running recorder. Never unrecorded.
   */
  private async grantWhenReady(current: Current): Promise<void> {
    if (current.started || !current.granted || !current.peerVerified) return;
    if (this.options.recording && !current.recorderReady) return;
    current.started = true;
    await current.peer?.grant(current.granted, this.options.recording !== undefined);
  }

  /**
   * Starts this session's recording as soon as the PIN is confirmed, so that it also shows the
   * consent prompt being answered. If it cannot start, the session ends (`recording_failed`).
   */
  private startRecorder(current: Current): void {
    const recording = this.options.recording;
    const technician = current.technician;
    const sessionId = current.sessionId;
    const hostId = this.options.broker.id;
    if (!recording || !technician || !sessionId || !hostId) return;
    const log = this.options.log.child({ sessionId });
    const failed = (reason: string) => {
      if (this.current !== current) return;
      log.error({ reason }, 'session ended: it cannot be recorded');
      current.peer?.send({ type: 'session:ended', reason: 'recording_failed' });
      this.finish('recording_failed', true);
    };
    const freeze = (frozen: boolean) => (): void => {
      if (this.current !== current) return;
      current.peer?.setFrozen(frozen);
      this.update({ frozen });
    };
    const recorder = new SessionRecorder({
      ...recording,
      info: { sessionId, hostId, technician },
      log,
      events: {
        onFrozen: freeze(true),
        onResumed: freeze(false),
        onFailed: failed,
        onPressure: (on) => {
          if (this.current === current) current.peer?.setThrottled(on);
        },
      },
    });
    current.recorder = recorder;
    recorder.event('session:start', {
      technician: { id: technician.id, name: technician.name, organisation: technician.organisation },
      from: current.from ?? '',
      permissions: current.requested ?? [],
    });
    // Shown from the first recorded grab on (SREC2); a first key frame or header that then
    // fails still ends the session.
    recorder.running().then(
      () => {
        if (this.current !== current) return;
        current.recorderReady = true;
        void this.grantWhenReady(current);
      },
      () => undefined,
    );
    recorder.start().catch((err: unknown) => failed(err instanceof Error ? err.message : String(err)));
  }

  /** Keeps a recording's ending in view until it is spooled ({@link drain}). */
  private track(ending: Promise<void>): void {
    this.endings.add(ending);
    void ending.finally(() => this.endings.delete(ending));
  }

  /** Resolves once every ended session's recording is sealed and spooled (for an orderly shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.endings]);
  }

  /**
   * The handshake did not confirm (or the attempt was abandoned before it did): the attempt stays
   * counted. With attempts left, the same PIN and code wait for a retry under a new sid; otherwise
   * the PIN is void and the host shows the alarm (PIN5).
   */
  private attemptOver(current: Current, reason: EndReason): void {
    if (current.handshake?.confirmed) {
      this.finish(reason, true);
      return;
    }
    const counted = current.peer !== undefined;
    if (counted && this.options.gate.failAttempt()) {
      this.report(current, 'pin_locked');
      this.finish('pin_locked', true);
      return;
    }
    if (counted) this.report(current, 'pin_failed');
    this.retry(current, reason);
  }

  /** Ends this attempt at the broker and waits again with the same PIN (new sid, same code). */
  private retry(current: Current, reason: EndReason): void {
    clearTimeout(current.confirmTimer);
    current.peer?.close();
    if (current.sessionId) void this.options.broker.endSession(current.sessionId, reason).catch(() => undefined);
    const next: Current = { sid: newSid(), pin: current.pin };
    this.current = next;
    this.openCode(next, true).catch((err: unknown) => {
      this.options.log.warn({ err: String(err) }, 'could not wait for a retry');
      if (this.current === next) this.finish('failed', false);
    });
  }

  /** PIN6: a violation only tampering explains: fail closed and report it. */
  private tampered(current: Current, why: string): void {
    this.options.log.warn({ why }, 'session refused: tampering suspected');
    this.report(current, 'tamper_detected');
    if (current.peer && !current.handshake?.confirmed) this.options.gate.failAttempt();
    if (this.options.gate.locked) {
      this.report(current, 'pin_locked');
      this.finish('pin_locked', true);
      return;
    }
    this.finish('tampered', true);
  }

  private onEndedByBroker(reason: EndReason): void {
    const current = this.current;
    if (!current) return;
    // Before key confirmation the technician's side gave up: the attempt counts (PIN5).
    if (!current.handshake?.confirmed && current.peer) {
      if (this.options.gate.failAttempt()) {
        this.report(current, 'pin_locked');
        this.finish('pin_locked', false);
        return;
      }
      this.report(current, 'pin_failed');
      this.retryAfterBrokerEnd(current);
      return;
    }
    if (!current.peer && current.sessionId && this.state.state === 'connecting') {
      this.retryAfterBrokerEnd(current);
      return;
    }
    this.finish(reason, false);
  }

  private retryAfterBrokerEnd(current: Current): void {
    current.sessionId = undefined;
    this.retry(current, 'failed');
  }

  private onBrokerLost(): void {
    // A code cannot be redeemed without the broker; a live peer-to-peer session carries on.
    const phase = this.state.state;
    if (phase === 'waiting' || phase === 'connecting' || phase === 'consent') {
      if (this.current?.peer && !this.current.handshake?.confirmed) this.options.gate.failAttempt();
      this.finish('failed', false);
    }
    this.update({ broker: 'offline' });
  }

  /** Sends a report for the audit log; a lost report is logged (the lock's is retried, PIN5). */
  private report(current: Current | undefined, event: HostReport, permissions?: Permission[]): void {
    const sessionId = current?.sessionId;
    const sent = this.options.broker.report({
      ...(sessionId ? { sessionId } : {}),
      event,
      ...(permissions ? { permissions } : {}),
    });
    sent.then(
      () => {
        if (event === 'pin_locked') this.options.gate.markLockReported();
      },
      (err: unknown) => this.options.log.warn({ event, err: String(err) }, 'report not delivered'),
    );
  }

  private reportPendingLock(): void {
    const { gate } = this.options;
    if (gate.locked && !gate.lockReported) this.report(undefined, 'pin_locked');
  }

  /** SES5/SES6: closes the peer, tells the broker (unless it told us), shows the end or the alarm. */
  private finish(reason: EndReason, notifyBroker: boolean): void {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    clearTimeout(current.expiryTimer);
    clearTimeout(current.confirmTimer);
    clearTimeout(current.consentTimer);
    current.peer?.close();
    if (current.recorder) this.track(current.recorder.finish(reason));
    if (notifyBroker) void this.options.broker.endSession(current.sessionId, reason).catch(() => undefined);
    this.options.log.info({ reason }, 'session ended');
    const { gate } = this.options;
    if (gate.locked) {
      this.replace({ ...this.base(), state: 'locked', ...(gate.lockedAt ? { lockedAt: gate.lockedAt } : {}) });
      return;
    }
    this.replace({ ...this.base(), state: 'ended', endReason: reason });
  }

  private base(): Pick<WardState, 'hostName' | 'broker' | 'recording' | 'unattended'> {
    return {
      hostName: this.options.hostName,
      broker: (this.state as WardState | undefined)?.broker ?? (this.options.broker.online ? 'online' : 'offline'),
      recording: this.options.recording !== undefined,
      unattended: this.options.unattended ?? false,
    };
  }

  private wardTechnician(current: Current): WardState['technician'] {
    return { name: current.technician?.name ?? '', organisation: current.technician?.organisation ?? '', from: current.from ?? '' };
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

function newSid(): string {
  return randomBytes(16).toString('base64url');
}
