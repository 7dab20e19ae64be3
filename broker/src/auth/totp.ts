// TOTP (RFC 6238) and recovery codes for technician sign-in (SPEC AUTH5-AUTH8).
import { createHash } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/** Seconds per TOTP time step. */
export const TOTP_PERIOD_S = 30;
/** Digits of a TOTP code. */
export const TOTP_DIGITS = 6;
/** Steps either side of now that are accepted (clock drift between phone and server). */
export const TOTP_WINDOW = 1;
/** Number of recovery codes made at enrolment. */
export const RECOVERY_CODE_COUNT = 10;

/** A fresh TOTP secret: 20 random bytes (160 bits, RFC 4226), base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/...` URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, account: string, issuer: string): string {
  return totpOf(secret, account, issuer).toString();
}

/** The time step (Unix seconds / 30) of an instant in epoch milliseconds. */
export function totpStep(now: number): number {
  return Math.floor(now / 1000 / TOTP_PERIOD_S);
}

/** The code of a secret at an instant (epoch milliseconds). */
export function totpCode(secret: string, now: number): string {
  return totpOf(secret).generate({ timestamp: now });
}

/**
 * The time step a code belongs to, if it matches within ±{@link TOTP_WINDOW}
 * steps of `now`; undefined otherwise. The caller refuses steps already used.
 */
export function matchTotp(secret: string, code: string, now: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totpOf(secret).validate({ token: code, timestamp: now, window: TOTP_WINDOW });
  return delta === null ? undefined : totpStep(now) + delta;
}

/** Ten random one-time recovery codes, `xxxx-xxxx-xxxx-xxxx` (80 bits each, base32 lower case). */
export function newRecoveryCodes(count: number = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => new Secret({ size: 10 }).base32.toLowerCase().match(/.{4}/g)!.join('-'));
}

/** A recovery code as stored: SHA-256 (hex) of its 16 characters without dashes, lower case. */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.replace(/[\s-]/g, '').toLowerCase()).digest('hex');
}

function totpOf(secret: string, label = 'wardlink', issuer = 'wardlink'): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_S,
    secret: Secret.fromBase32(secret),
  });
}
