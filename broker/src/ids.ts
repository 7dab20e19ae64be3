import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** A random opaque id (base64url of 12 bytes = 16 characters). */
export function newId(): string {
  return randomBytes(12).toString('base64url');
}

/** A random secret token (base64url of 32 bytes = 43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A 9-digit session code from the CSPRNG. */
export function newSessionCode(): string {
  return String(randomInt(0, 1_000_000_000)).padStart(9, '0');
}

/** SHA-256 of a token, hex: what the database stores instead of the token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time comparison of two strings of possibly different length. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
