import type { AuthStore } from '../store/AuthStore.ts';
import type { UserRecord } from '../store/SqliteStore.ts';
import { hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, totpUri } from './totp.ts';

/** Options for {@link TotpFactor}. */
export interface TotpFactorOptions {
  store: AuthStore;
  /** Issuer name the authenticator app shows next to the account. */
  issuer: string;
  /** Clock (epoch milliseconds); tests pass a fake one. */
  now?: () => number;
}

/** What the technician typed besides the password. */
export interface SecondFactorProof {
  code?: string | undefined;
  recoveryCode?: string | undefined;
}

/** Outcome of {@link TotpFactor.verify}. */
export type SecondFactorResult =
  | { ok: true; method: 'totp' | 'recovery_code' }
  | { ok: false; reason: 'missing_code' | 'wrong_code' | 'replayed_code' | 'wrong_recovery_code' };

/** A new TOTP credential, shown to the technician once. */
export interface TotpSetup {
  /** Base32. */
  secret: string;
  /** `otpauth://totp/...`. */
  uri: string;
  recoveryCodes: string[];
}

/**
 * The second sign-in factor (SPEC AUTH5-AUTH8): TOTP with replay refusal
 * (the last accepted time step is kept per user), one-time recovery codes
 * stored as hashes, and enrolment that becomes active only when a first code
 * from the authenticator confirms it.
 */
export class TotpFactor {
  private readonly store: AuthStore;
  private readonly issuer: string;
  private readonly now: () => number;

  constructor(options: TotpFactorOptions) {
    this.store = options.store;
    this.issuer = options.issuer;
    this.now = options.now ?? Date.now;
  }

  /** Whether the user has a confirmed TOTP secret. */
  isEnrolled(userId: string): boolean {
    return this.store.totp(userId)?.confirmedAt !== undefined;
  }

  /** Checks a TOTP code (each time step works once) or a recovery code (each works once). */
  verify(userId: string, proof: SecondFactorProof): SecondFactorResult {
    const totp = this.store.totp(userId);
    if (totp?.confirmedAt === undefined) return { ok: false, reason: 'wrong_code' };
    if (proof.recoveryCode !== undefined) {
      return this.store.useRecoveryCode(userId, hashRecoveryCode(proof.recoveryCode), this.now())
        ? { ok: true, method: 'recovery_code' }
        : { ok: false, reason: 'wrong_recovery_code' };
    }
    if (proof.code === undefined) return { ok: false, reason: 'missing_code' };
    const step = matchTotp(totp.secret, proof.code, this.now());
    if (step === undefined) return { ok: false, reason: 'wrong_code' };
    return this.store.useTotpStep(userId, step) ? { ok: true, method: 'totp' } : { ok: false, reason: 'replayed_code' };
  }

  /** Unused recovery codes the user has left. */
  recoveryCodesLeft(userId: string): number {
    return this.store.unusedRecoveryCodes(userId);
  }

  /**
   * Makes a new pending secret and recovery codes, replacing a pending one.
   * Undefined when the user is enrolled already (only an admin reset changes that).
   */
  begin(user: UserRecord): TotpSetup | undefined {
    const secret = newTotpSecret();
    const recoveryCodes = newRecoveryCodes();
    if (!this.store.beginTotp(user.id, secret, recoveryCodes.map(hashRecoveryCode), this.now())) return undefined;
    return { secret, uri: totpUri(secret, user.username, this.issuer), recoveryCodes };
  }

  /** Activates the pending secret if `code` matches it; true on success. */
  confirm(userId: string, code: string): boolean {
    const totp = this.store.totp(userId);
    if (!totp || totp.confirmedAt !== undefined) return false;
    const step = matchTotp(totp.secret, code, this.now());
    return step !== undefined && this.store.confirmTotp(userId, step, this.now());
  }

  /** Enrols at once, without a confirming code: the admin hands the secret over (`user add --totp`). */
  enrolDirectly(user: UserRecord): TotpSetup {
    const setup = this.begin(user);
    if (!setup || !this.store.confirmTotp(user.id, null, this.now())) throw new Error('the user has TOTP already');
    return setup;
  }

  /** Forgets the user's secret and recovery codes; the next sign-in enrols again. */
  reset(userId: string): void {
    this.store.resetTotp(userId);
  }
}
