import * as v from 'valibot';
import { DisplayText, Id } from './common.ts';

/** Bytes. Largest HTTP JSON body the broker reads. */
export const MAX_HTTP_BODY_BYTES = 16 * 1024;

/** Account names: lower-case letters, digits, dot, dash, underscore. */
export const Username = v.pipe(v.string(), v.regex(/^[a-z0-9._-]{2,64}$/));

/** A 6-digit TOTP code (RFC 6238, SHA-1, 30 s). */
export const TotpCode = v.pipe(v.string(), v.regex(/^\d{6}$/));

/** A one-time recovery code as typed: `xxxx-xxxx-xxxx-xxxx` from a-z and 2-7; case, spaces and dashes are ignored. */
export const RecoveryCode = v.pipe(
  v.string(),
  v.maxLength(64),
  v.transform((s) => s.replace(/[\s-]/g, '').toLowerCase()),
  v.regex(/^[a-z2-7]{16}$/),
);

/**
 * POST /api/login (AUTH1, AUTH5): password plus, once enrolled, a TOTP code
 * or a recovery code (not both). Without TOTP the sign-in may only enrol (AUTH8).
 */
export const LoginRequest = v.strictObject({
  username: Username,
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
  code: v.optional(TotpCode),
  recoveryCode: v.optional(RecoveryCode),
});
export type LoginRequest = v.InferInput<typeof LoginRequest>;

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

/**
 * Answer of POST /api/login: the technician, and what comes next: `done`
 * (signed in) or `enrol_totp` (this sign-in may only set up TOTP, AUTH8).
 */
export const LoginResult = v.strictObject({
  user: Me,
  next: v.picklist(['done', 'enrol_totp']),
});
export type LoginResult = v.InferOutput<typeof LoginResult>;

/** Characters. Bound on the QR code SVG the broker sends with an enrolment. */
export const MAX_QR_SVG_CHARS = 64 * 1024;

/** Answer of POST /api/totp/enrol (AUTH8): shown once; only the broker keeps the secret. */
export const TotpEnrolment = v.strictObject({
  /** `otpauth://totp/...` URI, the content of the QR code. */
  uri: v.pipe(v.string(), v.maxLength(512), v.startsWith('otpauth://totp/')),
  /** The secret in base32, for typing into an authenticator by hand. */
  secret: v.pipe(v.string(), v.regex(/^[A-Z2-7]{16,64}$/)),
  /** The QR code of `uri` as an SVG document (show it through an <img>, never inline). */
  qrSvg: v.pipe(v.string(), v.maxLength(MAX_QR_SVG_CHARS), v.startsWith('<svg')),
  /** Ten one-time recovery codes (`xxxx-xxxx-xxxx-xxxx`). */
  recoveryCodes: v.pipe(v.array(v.pipe(v.string(), v.regex(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/))), v.length(10)),
});
export type TotpEnrolment = v.InferOutput<typeof TotpEnrolment>;

/** POST /api/totp/confirm: the first code from the authenticator activates TOTP. */
export const TotpConfirmRequest = v.strictObject({ code: TotpCode });
