import { ErrorCode, type EndReason } from '@wardlink/protocol';
import { BrokerError } from '../errors.ts';
import { newId, newSessionCode } from '../ids.ts';

/** Options for {@link SessionRegistry}. */
export interface SessionRegistryOptions {
  /** Milliseconds a code stays valid. */
  codeTtlMs: number;
  /** Failed joins per technician allowed in {@link JOIN_WINDOW_MS} before `rate_limited`. */
  maxFailedJoins?: number;
  now?: () => number;
}

/** A code the ward user has been shown and not yet given out. SES1. */
export interface PendingCode {
  code: string;
  hostId: string;
  sid: string;
  expiresAt: number;
}

/** Broker's view of a session: SES2 requested -> SES3 offered (M1) -> SES4 answered (M2) -> confirmed (M3). */
export interface BrokerSession {
  id: string;
  hostId: string;
  sid: string;
  technicianId: string;
  state: 'requested' | 'offered' | 'answered' | 'confirmed';
  startedAt: number;
  /** The code the session was joined with; a host may keep it for a retry after a failed PIN (PIN5). */
  code: string;
  codeExpiresAt: number;
}

/** Milliseconds over which failed joins are counted. */
export const JOIN_WINDOW_MS = 10 * 60_000;

/**
 * The session state machine at the broker (docs/SPEC.md, SES1-SES6). The
 * broker only routes: it maps a code to a host's sid, then relays opaque
 * signaling between exactly the two parties of a session, in order.
 */
export class SessionRegistry {
  private readonly codeTtlMs: number;
  private readonly maxFailedJoins: number;
  private readonly now: () => number;
  private readonly codes = new Map<string, PendingCode>();
  private readonly sessions = new Map<string, BrokerSession>();
  private readonly failedJoins = new Map<string, number[]>();
  /** Per host: the code of its last joined attempt, which `open(..., keepCode)` may reuse until it expires. */
  private readonly lastCodes = new Map<string, { code: string; expiresAt: number }>();

  constructor(options: SessionRegistryOptions) {
    this.codeTtlMs = options.codeTtlMs;
    this.maxFailedJoins = options.maxFailedJoins ?? 10;
    this.now = options.now ?? Date.now;
  }

  /**
   * SES1: a host asks for a code; an earlier code of the same host is withdrawn. With `keepCode`
   * (a retry after a failed PIN, PIN5) the code of the host's last attempt is mapped to the new
   * sid if it has not expired, so the ward user does not have to read out a new one.
   */
  open(hostId: string, sid: string, keepCode = false): PendingCode {
    if (this.sessionOfHost(hostId)) throw new BrokerError(ErrorCode.SESSION_BUSY, 'host already in a session');
    this.cancel(hostId);
    this.sweep();
    const last = this.lastCodes.get(hostId);
    this.lastCodes.delete(hostId);
    if (keepCode && last && last.expiresAt > this.now() && !this.codes.has(last.code)) {
      const kept = { code: last.code, hostId, sid, expiresAt: last.expiresAt };
      this.codes.set(kept.code, kept);
      return kept;
    }
    let code: string;
    do code = newSessionCode();
    while (this.codes.has(code));
    const pending = { code, hostId, sid, expiresAt: this.now() + this.codeTtlMs };
    this.codes.set(code, pending);
    return pending;
  }

  /** Withdraws the host's pending code, if any. */
  cancel(hostId: string): void {
    for (const [code, pending] of this.codes) if (pending.hostId === hostId) this.codes.delete(code);
  }

  /** SES2: a technician redeems a code (single use). Failed attempts are rate-limited per technician. */
  join(code: string, technicianId: string, hostOnline: (hostId: string) => boolean): BrokerSession {
    const recent = (this.failedJoins.get(technicianId) ?? []).filter((t) => t > this.now() - JOIN_WINDOW_MS);
    if (recent.length >= this.maxFailedJoins) throw new BrokerError(ErrorCode.RATE_LIMITED, 'too many failed joins');
    const pending = this.codes.get(code);
    const failure = !pending
      ? new BrokerError(ErrorCode.NOT_FOUND, 'unknown code')
      : pending.expiresAt <= this.now()
        ? new BrokerError(ErrorCode.EXPIRED, 'code expired')
        : !hostOnline(pending.hostId)
          ? new BrokerError(ErrorCode.HOST_OFFLINE, 'host offline')
          : undefined;
    if (failure || !pending) {
      this.failedJoins.set(technicianId, [...recent, this.now()]);
      throw failure;
    }
    this.codes.delete(code);
    const session: BrokerSession = {
      id: newId(),
      hostId: pending.hostId,
      sid: pending.sid,
      technicianId,
      state: 'requested',
      startedAt: this.now(),
      code: pending.code,
      codeExpiresAt: pending.expiresAt,
    };
    this.sessions.set(session.id, session);
    this.lastCodes.set(session.hostId, { code: pending.code, expiresAt: pending.expiresAt });
    return session;
  }

  /** SES3: only the session's technician, only once, only after SES2. */
  offer(sessionId: string, technicianId: string): BrokerSession {
    const session = this.sessions.get(sessionId);
    if (!session || session.technicianId !== technicianId) throw BrokerError.notFound('session');
    if (session.state !== 'requested') throw BrokerError.forbidden('offer out of order');
    session.state = 'offered';
    return session;
  }

  /** SES4: only the session's host, only once, only after SES3. */
  answer(sessionId: string, hostId: string): BrokerSession {
    const session = this.sessions.get(sessionId);
    if (!session || session.hostId !== hostId) throw BrokerError.notFound('session');
    if (session.state !== 'offered') throw BrokerError.forbidden('answer out of order');
    session.state = 'answered';
    return session;
  }

  /** SES4: M3, only the session's technician, only once, only after SES4's answer. */
  confirm(sessionId: string, technicianId: string): BrokerSession {
    const session = this.sessions.get(sessionId);
    if (!session || session.technicianId !== technicianId) throw BrokerError.notFound('session');
    if (session.state !== 'answered') throw BrokerError.forbidden('confirmation out of order');
    session.state = 'confirmed';
    return session;
  }

  /** SES5: ends a session; returns it if it existed (ending twice is harmless). */
  end(sessionId: string, _reason: EndReason): BrokerSession | undefined {
    const session = this.sessions.get(sessionId);
    this.sessions.delete(sessionId);
    return session;
  }

  get(sessionId: string): BrokerSession | undefined {
    return this.sessions.get(sessionId);
  }

  sessionOfHost(hostId: string): BrokerSession | undefined {
    for (const s of this.sessions.values()) if (s.hostId === hostId) return s;
    return undefined;
  }

  sessionsOfTechnician(technicianId: string): BrokerSession[] {
    return [...this.sessions.values()].filter((s) => s.technicianId === technicianId);
  }

  private sweep(): void {
    const now = this.now();
    for (const [code, pending] of this.codes) if (pending.expiresAt <= now) this.codes.delete(code);
    for (const [hostId, last] of this.lastCodes) if (last.expiresAt <= now) this.lastCodes.delete(hostId);
  }
}
