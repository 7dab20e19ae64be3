import * as v from 'valibot';
import { DisplayText, Id } from './common.ts';

/** Bytes. Largest HTTP JSON body the broker reads. */
export const MAX_HTTP_BODY_BYTES = 16 * 1024;

/** Account names: lower-case letters, digits, dot, dash, underscore. */
export const Username = v.pipe(v.string(), v.regex(/^[a-z0-9._-]{2,64}$/));

/** POST /api/login */
export const LoginRequest = v.strictObject({
  username: Username,
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
});

/** The signed-in technician, as returned by /api/login and /api/me. */
export const Me = v.strictObject({
  id: Id,
  username: Username,
  name: DisplayText,
  organisation: DisplayText,
  role: v.picklist(['admin', 'helpdesk', 'vendor', 'auditor']),
});
export type Me = v.InferOutput<typeof Me>;

/** POST /api/hosts/enroll: a new host proves it holds a one-time token and registers its device key. */
export const EnrollRequest = v.strictObject({
  token: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{20,64}$/)),
  name: v.pipe(DisplayText, v.minLength(1)),
  /** Raw Ed25519 public key, base64url (32 bytes). */
  publicKey: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/)),
});

/** POST /api/hosts/challenge: a nonce for the host's socket authentication. */
export const ChallengeRequest = v.strictObject({ hostId: Id });
