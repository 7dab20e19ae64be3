import { hash, verify } from '@node-rs/argon2';
import { ErrorCode, type Me } from '@wardlink/protocol';
import { hashToken, newId, newToken } from '../ids.ts';
import type { AuthStore, WebSessionStage } from '../store/AuthStore.ts';
import type { SqliteStore, UserRecord } from '../store/SqliteStore.ts';
import type { ClientCerts, PresentedCert } from './ClientCerts.ts';
import type { LoginThrottle, LoginAttempt } from './LoginThrottle.ts';
import type { TotpFactor, TotpSetup } from './TotpFactor.ts';

/** argon2id parameters (OWASP: m=19 MiB, t=2, p=1). `algorithm: 2` is Argon2id (a const enum upstream). */
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Options for {@link Accounts}. */
export interface AccountsOptions {
  store: SqliteStore;
  auth: AuthStore;
  totp: TotpFactor;
  throttle: LoginThrottle;
  certs: ClientCerts;
  /** Milliseconds without an authenticated request after which a sign-in ends (sliding). */
  sessionIdleMs: number;
  /** Milliseconds a sign-in lasts at most, however active. */
  sessionMaxMs: number;
  /** Clock (epoch milliseconds); tests pass a fake one. */
  now?: () => number;
}

/** New account fields, as given by the CLI. */
export interface NewUser {
  username: string;
  password: string;
  name: string;
  organisation: string;
  role: UserRecord['role'];
}

/** What the sign-in form sent, and where from. */
export interface SignInRequest {
  username: string;
  password: string;
  code?: string | undefined;
  recoveryCode?: string | undefined;
  /** Canonical source address. */
  address: string;
  cert?: PresentedCert | undefined;
}

/** Outcome of {@link Accounts.signIn}; refusals never say which credential was wrong. */
export type SignInResult =
  | { ok: true; token: string; user: UserRecord; stage: WebSessionStage }
  | { ok: false; code: ErrorCode; /** Epoch milliseconds, with `rate_limited`. */ retryAt?: number };

/** Outcome of {@link Accounts.authenticate}. */
export type Authentication =
  | { ok: true; user: UserRecord; stage: WebSessionStage; tokenHash: string }
  | { ok: false; code: ErrorCode };

/**
 * Technician accounts and their browser sign-ins (SPEC AUTH1, AUTH5-AUTH11):
 * argon2id passwords, a TOTP second factor, login throttling, sign-ins with
 * an idle and an absolute expiry, and client certificates for the roles that
 * need them. Sign-in tokens are random and stored only as SHA-256 hashes.
 * Every sign-in, failure and refusal is written to the audit store.
 */
export class Accounts {
  private readonly store: SqliteStore;
  private readonly auth: AuthStore;
  private readonly totp: TotpFactor;
  private readonly throttle: LoginThrottle;
  private readonly certs: ClientCerts;
  private readonly idleMs: number;
  private readonly maxMs: number;
  private readonly now: () => number;
  private dummyHash: Promise<string> | undefined;
  /** Throttle refusals already audited: key -> retryAt, so a flood writes one event per lock. */
  private readonly auditedLocks = new Map<string, number>();

  constructor(options: AccountsOptions) {
    this.store = options.store;
    this.auth = options.auth;
    this.totp = options.totp;
    this.throttle = options.throttle;
    this.certs = options.certs;
    this.idleMs = options.sessionIdleMs;
    this.maxMs = options.sessionMaxMs;
    this.now = options.now ?? Date.now;
  }

  /** Creates an account; throws when the username is taken. With `totp`, enrols it at once and returns the setup. */
  async create(user: NewUser, options: { totp?: boolean } = {}): Promise<{ user: UserRecord; totp?: TotpSetup }> {
    if (user.password.length < 10) throw new Error('The password must have at least 10 characters.');
    const record: UserRecord = {
      id: newId(),
      username: user.username,
      name: user.name,
      organisation: user.organisation,
      role: user.role,
      passwordHash: await hash(user.password, ARGON2),
    };
    this.store.addUser(record);
    return options.totp ? { user: record, totp: this.totp.enrolDirectly(record) } : { user: record };
  }

  /**
   * Checks the credentials and opens a sign-in. Throttled attempts are refused
   * before argon2 runs; unknown users cost the same argon2 work as known ones,
   * so timing does not reveal which usernames exist. A user without TOTP gets
   * a sign-in that may only enrol (AUTH8).
   */
  async signIn(request: SignInRequest): Promise<SignInResult> {
    const verdict = this.throttle.begin(request.username, request.address);
    if (!verdict.ok) {
      this.auditThrottled(request, verdict.scope, verdict.retryAt);
      return { ok: false, code: ErrorCode.RATE_LIMITED, retryAt: verdict.retryAt };
    }
    const { attempt } = verdict;
    const user = this.store.userByName(request.username);
    const stored = user?.passwordHash ?? (await this.fallbackHash());
    const valid = await verify(stored, request.password).catch(() => false);
    if (!user || !valid) return this.failed(request, 'wrong_password', user);

    let stage: WebSessionStage = 'enrol';
    let method = 'password';
    if (this.totp.isEnrolled(user.id)) {
      const second = this.totp.verify(user.id, request);
      if (!second.ok) return this.failed(request, second.reason, user);
      stage = 'full';
      method = second.method;
    }
    if (this.certs.requires(user.role)) {
      const refusal = this.certs.refusal(user.id, request.cert, this.now());
      if (refusal) return this.certRefused(attempt, user, request.address, refusal);
    }
    this.throttle.succeeded(attempt);
    const token = this.openSession(user, stage, request.address);
    const detail: Record<string, unknown> = { method, stage };
    if (method === 'recovery_code') detail['recoveryCodesLeft'] = this.totp.recoveryCodesLeft(user.id);
    this.store.audit({ type: 'login', actor: user.id, address: request.address, detail });
    return { ok: true, token, user, stage };
  }

  /**
   * The sign-in behind a token: unknown, idle-expired and over-age tokens are
   * `unauthenticated`; a role that needs a client certificate must present
   * its own on every connection. Success slides the idle expiry.
   */
  authenticate(token: string | undefined, cert?: PresentedCert): Authentication {
    if (!token) return { ok: false, code: ErrorCode.UNAUTHENTICATED };
    const tokenHash = hashToken(token);
    const now = this.now();
    const session = this.auth.webSession(tokenHash);
    if (!session) return { ok: false, code: ErrorCode.UNAUTHENTICATED };
    if (session.expiresAt <= now || session.lastSeenAt + this.idleMs <= now) {
      this.auth.deleteWebSession(tokenHash);
      return { ok: false, code: ErrorCode.UNAUTHENTICATED };
    }
    const user = this.store.userById(session.userId);
    if (!user) return { ok: false, code: ErrorCode.UNAUTHENTICATED };
    if (this.certs.requires(user.role) && this.certs.refusal(user.id, cert, now)) {
      return { ok: false, code: ErrorCode.CLIENT_CERT_REQUIRED };
    }
    this.auth.touchWebSession(tokenHash, now);
    return { ok: true, user, stage: session.stage, tokenHash };
  }

  /** Like {@link authenticate}, but a sign-in that may only enrol TOTP is refused with `totp_required`. */
  signedInUser(token: string | undefined, cert?: PresentedCert): { ok: true; user: UserRecord } | { ok: false; code: ErrorCode } {
    const auth = this.authenticate(token, cert);
    if (!auth.ok) return auth;
    return auth.stage === 'full' ? { ok: true, user: auth.user } : { ok: false, code: ErrorCode.TOTP_REQUIRED };
  }

  /** Ends a sign-in. */
  signOut(token: string, address: string): void {
    const tokenHash = hashToken(token);
    const session = this.auth.webSession(tokenHash);
    if (!session) return;
    this.auth.deleteWebSession(tokenHash);
    this.store.audit({ type: 'logout', actor: session.userId, address });
  }

  /** Starts TOTP enrolment for an enrol-only sign-in; undefined if the user is enrolled already. */
  beginTotp(auth: Extract<Authentication, { ok: true }>): TotpSetup | undefined {
    return auth.stage === 'enrol' ? this.totp.begin(auth.user) : undefined;
  }

  /** Confirms enrolment with a first code; the sign-in then becomes a full one. */
  confirmTotp(auth: Extract<Authentication, { ok: true }>, code: string, address: string): boolean {
    if (auth.stage !== 'enrol' || !this.totp.confirm(auth.user.id, code)) return false;
    this.auth.setWebSessionStage(auth.tokenHash, 'full');
    this.store.audit({ type: 'totp.enrolled', actor: auth.user.id, address });
    return true;
  }

  /** Admin: forgets a user's TOTP and ends their sign-ins; the next sign-in enrols again. */
  resetTotp(user: UserRecord): void {
    this.totp.reset(user.id);
    this.auth.deleteWebSessionsOf(user.id);
    this.store.audit({ type: 'totp.reset', actor: user.id });
  }

  /** Admin: forgets a username's failed sign-ins. */
  unlock(user: UserRecord): void {
    this.throttle.unlock(user.username);
    this.store.audit({ type: 'login.unlocked', actor: user.id });
  }

  private openSession(user: UserRecord, stage: WebSessionStage, address: string): string {
    const now = this.now();
    this.auth.pruneWebSessions(now, this.idleMs);
    const token = newToken();
    this.auth.addWebSession(hashToken(token), user.id, stage, address, now, now + this.maxMs);
    return token;
  }

  private failed(request: SignInRequest, reason: string, user: UserRecord | undefined): SignInResult {
    // The attempt stays recorded as a failure in the throttle.
    this.store.audit({
      type: 'login.failed',
      ...(user ? { actor: user.id } : {}),
      address: request.address,
      detail: { username: request.username, reason },
    });
    return { ok: false, code: ErrorCode.UNAUTHENTICATED };
  }

  private certRefused(attempt: LoginAttempt, user: UserRecord, address: string, reason: string): SignInResult {
    this.throttle.withdraw(attempt);
    this.store.audit({ type: 'login.cert_refused', actor: user.id, address, detail: { reason } });
    return { ok: false, code: ErrorCode.CLIENT_CERT_REQUIRED };
  }

  private auditThrottled(request: SignInRequest, scope: string, retryAt: number): void {
    const key = scope === 'user' ? `user:${request.username}` : `address:${request.address}`;
    if (this.auditedLocks.get(key) === retryAt) return;
    const now = this.now();
    for (const [k, until] of this.auditedLocks) if (until <= now) this.auditedLocks.delete(k);
    this.auditedLocks.set(key, retryAt);
    this.store.audit({
      type: 'login.throttled',
      address: request.address,
      detail: { username: request.username, scope, retryAt },
    });
  }

  private fallbackHash(): Promise<string> {
    this.dummyHash ??= hash(newToken(), ARGON2);
    return this.dummyHash;
  }
}

/** The public view of an account. */
export function toMe(user: UserRecord): Me {
  return { id: user.id, username: user.username, name: user.name, organisation: user.organisation, role: user.role };
}
