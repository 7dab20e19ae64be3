import type { Server as HttpsServer } from 'node:https';
import { Server, type Namespace, type Socket } from 'socket.io';
import type * as v from 'valibot';
import {
  ErrorCode,
  fail,
  formatIp,
  HostAuth,
  HostEvents,
  ok,
  parse,
  parseIp,
  PROTOCOL_VERSION,
  TechAuth,
  TechEvents,
  type Ack,
  type EndReason,
  type HostReport,
  type HostSummary,
} from '@wardlink/protocol';
import { mayEmit, sessionPermissionsFor } from '../access/policy.ts';
import { checkedAddress } from '../access/socketGuard.ts';
import type { Accounts } from '../auth/Accounts.ts';
import { presentedCert } from '../auth/ClientCerts.ts';
import type { HostRegistry } from '../auth/HostRegistry.ts';
import type { BrokerConfig } from '../config.ts';
import { BrokerError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Policies } from '../recordings/Policies.ts';
import type { Recordings } from '../recordings/Recordings.ts';
import type { SessionRegistry } from '../sessions/SessionRegistry.ts';
import type { SqliteStore, UserRecord } from '../store/SqliteStore.ts';
import { iceConfigFor } from '../turn.ts';
import { SESSION_COOKIE } from './http.ts';

/** Bytes. socket.io drops a connection that sends a larger packet. */
export const MAX_SOCKET_PACKET_BYTES = 128 * 1024;
/** Bytes. Per-event bound checked before validation (SDP events may be up to 64 KiB). */
const EVENT_LIMITS: Record<string, number> = { 'signal:offer': 80 * 1024, 'signal:answer': 80 * 1024 };
/** Host reports and the audit event type each one is stored as (PIN5, PIN6, CON1-CON3). */
const REPORT_AUDIT: Record<HostReport, string> = {
  pin_failed: 'pin.failed',
  pin_locked: 'pin.locked',
  tamper_detected: 'session.tamper_detected',
  consent_given: 'consent.given',
  consent_declined: 'consent.declined',
  consent_skipped_unattended: 'consent.unattended',
  peer_address_denied: 'access.peer_denied',
};
const DEFAULT_EVENT_LIMIT = 4 * 1024;

/** What signaling needs from the rest of the broker. */
export interface SignalingOptions {
  server: HttpsServer;
  config: BrokerConfig;
  accounts: Accounts;
  hosts: HostRegistry;
  sessions: SessionRegistry;
  recordings: Recordings;
  policies: Policies;
  store: SqliteStore;
  log: Logger;
}

/**
 * socket.io signaling: `/host` for host agents (device-key auth), `/tech` for
 * viewers (cookie auth, same-origin only). Every inbound event is validated
 * against its schema in `@wardlink/protocol`; the broker relays SDP without
 * reading it.
 */
export class Signaling {
  readonly io: Server;
  private readonly hostNs: Namespace;
  private readonly techNs: Namespace;
  private readonly hostSockets = new Map<string, Socket>();
  private readonly options: SignalingOptions;
  private closed = false;

  constructor(options: SignalingOptions) {
    this.options = options;
    this.io = new Server(options.server, {
      maxHttpBufferSize: MAX_SOCKET_PACKET_BYTES,
      serveClient: false,
      cors: { origin: false },
      pingInterval: 10_000,
      pingTimeout: 10_000,
    });
    this.hostNs = this.io.of('/host');
    this.techNs = this.io.of('/tech');
    this.hostNs.use((socket, next) => this.authenticateHost(socket, next));
    this.techNs.use((socket, next) => this.authenticateTech(socket, next));
    this.hostNs.on('connection', (socket) => this.onHost(socket));
    this.techNs.on('connection', (socket) => this.onTech(socket));
  }

  /** Whether a host agent is connected right now. */
  isOnline = (hostId: string): boolean => this.hostSockets.has(hostId);

  /** Every enrolled host with its online state, for the viewer's list. */
  hostList(): HostSummary[] {
    return this.options.hosts.listHosts().map((h) => ({ id: h.id, name: h.name, online: this.isOnline(h.id) }));
  }

  private authenticateHost(socket: Socket, next: (err?: Error) => void): void {
    const auth = parse(HostAuth, socket.handshake.auth);
    if (!auth.ok) return next(new Error(auth.error.code));
    if (auth.value.protocolVersion !== PROTOCOL_VERSION) return next(new Error(ErrorCode.VERSION_MISMATCH));
    const host = this.options.hosts.authenticate(auth.value);
    if (!host) {
      this.options.store.audit({ type: 'host.auth_failed', hostId: auth.value.hostId, address: socket.handshake.address });
      return next(new Error(ErrorCode.UNAUTHENTICATED));
    }
    socket.data.hostId = host.id;
    return next();
  }

  private authenticateTech(socket: Socket, next: (err?: Error) => void): void {
    const auth = parse(TechAuth, socket.handshake.auth);
    if (!auth.ok) return next(new Error(auth.error.code));
    if (auth.value.protocolVersion !== PROTOCOL_VERSION) return next(new Error(ErrorCode.VERSION_MISMATCH));
    // Cross-site WebSocket hijacking: the cookie rides along from any page, so the Origin must be ours.
    const origin = socket.handshake.headers.origin;
    if (origin !== `https://${socket.handshake.headers.host}`) return next(new Error(ErrorCode.FORBIDDEN));
    // AUTH5-AUTH11 (technician sign-in): a full sign-in (TOTP done), unexpired, with its client certificate if the role needs one.
    const signedIn = this.options.accounts.signedInUser(readCookie(socket.handshake.headers.cookie, SESSION_COOKIE), presentedCert(socket.request.socket));
    if (!signedIn.ok) return next(new Error(signedIn.code));
    const user = signedIn.user;
    socket.data.user = user;
    return next();
  }

  private onHost(socket: Socket): void {
    const hostId = socket.data.hostId as string;
    const log = this.options.log.child({ hostId });
    this.hostSockets.get(hostId)?.disconnect(true);
    this.hostSockets.set(hostId, socket);
    log.info('host online');
    this.broadcastHosts();
    const { sessions, store } = this.options;

    this.handle(socket, HostEvents, 'session:open', ({ sid, keepCode }) => {
      const pending = sessions.open(hostId, sid, keepCode);
      return { code: pending.code, expiresAt: pending.expiresAt };
    });
    // M2 is relayed as it came: the broker cannot check or forge it (PIN3).
    this.handle(socket, HostEvents, 'signal:answer', (answer) => {
      const session = sessions.answer(answer.sessionId, hostId);
      this.techSocketsOf(session.technicianId).forEach((s) => s.emit('signal:answer', answer));
      return {};
    });
    this.handle(socket, HostEvents, 'session:report', ({ sessionId, event, permissions }) => {
      // Only this host's own session is named; anything else is stored without a session.
      const found = sessionId ? sessions.get(sessionId) : undefined;
      const session = found?.hostId === hostId ? found : undefined;
      const about = session ? { sessionId: session.id, actor: session.technicianId } : {};
      store.audit({ type: REPORT_AUDIT[event], hostId, ...about, ...(permissions ? { detail: { permissions } } : {}) });
      if (session && (event === 'consent_given' || event === 'consent_skipped_unattended')) {
        store.audit({ type: 'session.started', hostId, ...about, detail: { permissions: permissions ?? [] } });
      }
      return {};
    });
    this.handle(socket, HostEvents, 'policy:get', () => ({ policy: this.options.policies.latest() }));
    // UPL1: only for this host's own live session (or a recording it already started).
    this.handle(socket, HostEvents, 'recording:start', ({ recordingId, sessionId }) => {
      const session = sessions.get(sessionId);
      const live =
        session && session.hostId === hostId
          ? { hostId, technicianId: session.technicianId, organisation: store.userById(session.technicianId)?.organisation ?? '' }
          : undefined;
      return this.options.recordings.start(hostId, recordingId, sessionId, live);
    });
    this.handle(socket, HostEvents, 'session:end', ({ sessionId, reason }) => {
      sessions.cancel(hostId);
      const session = sessionId ? sessions.get(sessionId) : undefined;
      if (session && session.hostId === hostId) this.endSession(session.id, reason);
      return {};
    });
    socket.on('disconnect', () => {
      if (this.hostSockets.get(hostId) === socket) this.hostSockets.delete(hostId);
      else return;
      sessions.cancel(hostId);
      const session = sessions.sessionOfHost(hostId);
      if (session) this.endSession(session.id, 'host_disconnected');
      log.info('host offline');
      this.broadcastHosts();
    });
  }

  private onTech(socket: Socket): void {
    const user = socket.data.user as UserRecord;
    const address = checkedAddress(socket) ?? displayAddress(socket.handshake.address);
    const { sessions, store, config } = this.options;
    void socket.join(`tech:${user.id}`);

    this.handle(socket, TechEvents, 'hosts:list', () => ({ hosts: this.hostList() }));
    this.handle(socket, TechEvents, 'session:join', ({ code }) => {
      const session = sessions.join(code, user.id, this.isOnline);
      const permissions = sessionPermissionsFor(user.role);
      const hostName = this.options.hosts.hostName(session.hostId) ?? '';
      this.hostSockets.get(session.hostId)?.emit('session:request', {
        sessionId: session.id,
        sid: session.sid,
        technician: { id: user.id, name: user.name, organisation: user.organisation },
        from: address,
        ice: iceConfigFor(`host-${session.hostId}`, config.turn, config.iceTransportPolicy),
        permissions,
      });
      store.audit({ type: 'session.requested', actor: user.id, hostId: session.hostId, sessionId: session.id, address });
      return {
        sessionId: session.id,
        sid: session.sid,
        host: { id: session.hostId, name: hostName },
        technicianId: user.id,
        ice: iceConfigFor(`tech-${user.id}`, config.turn, config.iceTransportPolicy),
        permissions,
      };
    });
    // M1 and M3 are relayed as they came (PIN1, PIN3).
    this.handle(socket, TechEvents, 'signal:offer', (offer) => {
      const session = sessions.offer(offer.sessionId, user.id);
      this.hostSockets.get(session.hostId)?.emit('signal:offer', offer);
      return {};
    });
    this.handle(socket, TechEvents, 'signal:confirm', (confirm) => {
      const session = sessions.confirm(confirm.sessionId, user.id);
      this.hostSockets.get(session.hostId)?.emit('signal:confirm', confirm);
      return {};
    });
    this.handle(socket, TechEvents, 'session:end', ({ sessionId }) => {
      const session = sessions.get(sessionId);
      if (!session || session.technicianId !== user.id) throw BrokerError.notFound('session');
      this.endSession(sessionId, 'ended_by_technician');
      return {};
    });
    socket.on('disconnect', () => {
      if (this.techSocketsOf(user.id).length > 0) return;
      for (const session of sessions.sessionsOfTechnician(user.id)) this.endSession(session.id, 'technician_disconnected');
    });
  }

  /**
   * Registers a validated request handler: the payload is size-bounded and
   * checked against its schema, the ack must be a function, and any failure
   * is answered with an error code; nothing a client sends can crash the broker.
   */
  private handle<M extends Record<string, v.GenericSchema>, K extends keyof M & string>(
    socket: Socket,
    schemas: M,
    event: K,
    handler: (payload: v.InferOutput<M[K]>) => unknown,
  ): void {
    const name: string = event;
    socket.on(name, (payload: unknown, ack: unknown) => {
      const respond = typeof ack === 'function' ? (ack as (a: Ack<unknown>) => void) : undefined;
      // Least privilege (SPEC ROLE1, ROLE5): the event's action must be in the principal's row.
      if (!mayEmit(socket.nsp.name, name, socket.data as { user?: { role?: string }; hostId?: unknown })) {
        this.options.log.debug({ event }, 'refused: role lacks the action');
        respond?.(fail(ErrorCode.FORBIDDEN));
        return;
      }
      const parsed = parse(schemas[event]!, payload, EVENT_LIMITS[event] ?? DEFAULT_EVENT_LIMIT);
      if (!parsed.ok) {
        this.options.log.debug({ event, code: parsed.error.code }, 'rejected message');
        respond?.({ ok: false, error: parsed.error });
        return;
      }
      try {
        respond?.(ok(handler(parsed.value)));
      } catch (err) {
        if (err instanceof BrokerError) respond?.(fail(err.code));
        else {
          this.options.log.error({ err, event }, 'handler failed');
          respond?.(fail(ErrorCode.INTERNAL));
        }
      }
    });
    this.rejectUnknownEvents(socket, Object.keys(schemas));
  }

  private readonly guarded = new WeakSet<Socket>();

  private rejectUnknownEvents(socket: Socket, known: string[]): void {
    if (this.guarded.has(socket)) return;
    this.guarded.add(socket);
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (typeof event === 'string' && known.includes(event)) return;
      const ack = args[args.length - 1];
      if (typeof ack === 'function') (ack as (a: Ack<never>) => void)(fail(ErrorCode.BAD_MESSAGE, 'Unknown event.'));
    });
  }

  private endSession(sessionId: string, reason: EndReason): void {
    const session = this.options.sessions.end(sessionId, reason);
    if (!session) return;
    this.hostSockets.get(session.hostId)?.emit('session:ended', { sessionId, reason });
    this.techNs.to(`tech:${session.technicianId}`).emit('session:ended', { sessionId, reason });
    this.options.store.audit({
      type: 'session.ended',
      hostId: session.hostId,
      sessionId,
      actor: session.technicianId,
      detail: { reason, durationMs: Date.now() - session.startedAt },
    });
  }

  private techSocketsOf(userId: string): Socket[] {
    return [...this.techNs.sockets.values()].filter((s) => (s.data.user as UserRecord | undefined)?.id === userId);
  }

  private broadcastHosts(): void {
    if (!this.closed) this.techNs.emit('hosts:changed', { hosts: this.hostList() });
  }

  /** Disconnects every client. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.io.disconnectSockets(true);
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
  }
}

/** Reads one cookie from a Cookie header. */
function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The peer address as people write it (`::ffff:10.1.2.3` shows as `10.1.2.3`), at most 64 characters. */
function displayAddress(raw: string): string {
  try {
    return formatIp(parseIp(raw));
  } catch {
    return raw.slice(0, 64);
  }
}
