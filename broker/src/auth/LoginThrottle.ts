import type { AuthStore } from '../store/AuthStore.ts';

/** Options for {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  store: AuthStore;
  /** Milliseconds over which failures are counted. */
  windowMs: number;
  /** Failures per username within the window before sign-in is refused. */
  maxPerUser: number;
  /** Failures per source address within the window before sign-in is refused. */
  maxPerAddress: number;
  /** Clock (epoch milliseconds); tests pass a fake one. */
  now?: () => number;
}

/** Which counter refused an attempt. */
export type ThrottleScope = 'user' | 'address';

/** A sign-in attempt that was let through; it counts as a failure until it is settled otherwise. */
export interface LoginAttempt {
  readonly username: string;
  readonly address: string;
  /** Row ids of the provisional failures. */
  readonly rows: readonly number[];
}

/** Outcome of {@link LoginThrottle.begin}. */
export type ThrottleVerdict =
  | { ok: true; attempt: LoginAttempt }
  | { ok: false; scope: ThrottleScope; /** Epoch milliseconds. */ retryAt: number };

/**
 * Limits password guessing (SPEC AUTH9): at most `maxPerUser` failures per
 * username and `maxPerAddress` per source address in a sliding window. Counts
 * live in SQLite, so a restart does not reset them. An attempt is recorded as
 * failed before the password is checked and withdrawn when it succeeds, so
 * parallel requests cannot slip past the limit while argon2 runs.
 */
export class LoginThrottle {
  private readonly store: AuthStore;
  private readonly windowMs: number;
  private readonly maxPerUser: number;
  private readonly maxPerAddress: number;
  private readonly now: () => number;
  private lastPrune = 0;

  constructor(options: LoginThrottleOptions) {
    this.store = options.store;
    this.windowMs = options.windowMs;
    this.maxPerUser = options.maxPerUser;
    this.maxPerAddress = options.maxPerAddress;
    this.now = options.now ?? Date.now;
  }

  /** Refuses the attempt while either counter is full; otherwise records it as a provisional failure. */
  begin(username: string, address: string): ThrottleVerdict {
    const now = this.now();
    this.prune(now);
    const keys: Array<[ThrottleScope, string, number]> = [
      ['user', userKey(username), this.maxPerUser],
      ['address', addressKey(address), this.maxPerAddress],
    ];
    for (const [scope, key, max] of keys) {
      const retryAt = this.lockedUntil(key, max, now);
      if (retryAt !== undefined) return { ok: false, scope, retryAt };
    }
    const rows = keys.map(([, key]) => this.store.addLoginFailure(key, now));
    return { ok: true, attempt: { username, address, rows } };
  }

  /** The attempt succeeded: the user's failures are forgotten and this attempt no longer counts for the address. */
  succeeded(attempt: LoginAttempt): void {
    this.store.clearLoginFailures(userKey(attempt.username));
    this.withdraw(attempt);
  }

  /** The attempt ended for a reason other than a wrong credential: it does not count. */
  withdraw(attempt: LoginAttempt): void {
    for (const row of attempt.rows) this.store.deleteLoginFailure(row);
  }

  /** Forgets every failure of a username (the admin's `user unlock`). */
  unlock(username: string): void {
    this.store.clearLoginFailures(userKey(username));
  }

  /** Epoch milliseconds when the key's counter drops below `max`, if it is full now. */
  private lockedUntil(key: string, max: number, now: number): number | undefined {
    const failures = this.store.loginFailuresSince(key, now - this.windowMs);
    if (failures.length < max) return undefined;
    // The window slides: it has room again once the failure that filled it to `max` has aged out.
    return failures[failures.length - max]! + this.windowMs;
  }

  private prune(now: number): void {
    if (now - this.lastPrune < 60_000) return;
    this.lastPrune = now;
    this.store.pruneLoginFailures(now - this.windowMs);
  }
}

function userKey(username: string): string {
  return `user:${username}`;
}

function addressKey(address: string): string {
  return `address:${address}`;
}
