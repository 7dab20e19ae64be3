import { ed25519 } from '@noble/curves/ed25519.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import * as v from 'valibot';
import { Base64Url, DisplayText } from './common.ts';
import { fromBase64Url } from './pake/binding.ts';
import { parseJson } from './validate.ts';

/**
 * The recording policy (docs/SPEC.md POL1-POL5): which auditor keys a host encrypts recordings
 * to. It is signed by the hospital's admin key, which never lives on the broker; hosts pin the
 * admin's public key, so a broker cannot add itself (or anyone) as a recipient.
 */

/** An approved auditor key: raw X25519 public key and its id (base64url of the first 16 bytes of its SHA-256). */
export const PolicyAuditor = v.strictObject({
  keyId: Base64Url(16),
  publicKey: Base64Url(32),
  label: DisplayText,
});
export type PolicyAuditor = v.InferOutput<typeof PolicyAuditor>;

/** Auditor keys one policy may list: the recipients a recording header can hold (recordings/ LIMITS.recipients). */
export const MAX_POLICY_AUDITORS = 16;

/** The signed content. `version` only ever grows: hosts refuse an older one (rollback). */
export const HostPolicy = v.strictObject({
  format: v.literal('wardlink-policy-1'),
  version: v.pipe(v.number(), v.integer(), v.minValue(1)),
  issuedAt: v.pipe(v.number(), v.finite()),
  /** At most {@link MAX_POLICY_AUDITORS}: a recording header holds that many recipients (recordings/ LIMITS). */
  auditors: v.pipe(v.array(PolicyAuditor), v.minLength(1), v.maxLength(MAX_POLICY_AUDITORS)),
});
export type HostPolicy = v.InferOutput<typeof HostPolicy>;

/** On the wire and at rest: the exact signed text and the admin's Ed25519 signature over it. */
export const SignedPolicy = v.strictObject({
  text: v.pipe(v.string(), v.maxLength(32 * 1024)),
  signature: Base64Url(64),
});
export type SignedPolicy = v.InferOutput<typeof SignedPolicy>;

/** The bytes the admin key signs: a domain label, then the policy text. */
export function policyMessage(text: string): Uint8Array {
  return utf8ToBytes(`wardlink-policy\n${text}`);
}

/** Why a policy was refused. */
export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

/**
 * Checks a signed policy against the pinned admin public key (raw Ed25519, 32 bytes) and the
 * lowest version still acceptable; returns the policy or throws {@link PolicyError}.
 */
export function verifySignedPolicy(signed: unknown, adminPublicKey: Uint8Array, minVersion = 1): HostPolicy {
  const outer = v.safeParse(SignedPolicy, signed);
  if (!outer.success) throw new PolicyError('The policy is malformed.');
  let valid = false;
  try {
    valid = ed25519.verify(fromBase64Url(outer.output.signature), policyMessage(outer.output.text), adminPublicKey);
  } catch {
    valid = false;
  }
  if (!valid) throw new PolicyError('The policy is not signed by the hospital admin key.');
  const inner = parseJson(HostPolicy, outer.output.text, 32 * 1024);
  if (!inner.ok) throw new PolicyError('The signed policy has an unknown shape.');
  if (inner.value.version < minVersion) throw new PolicyError(`The policy is older (version ${inner.value.version}) than one already seen.`);
  return inner.value;
}

/** POST /api/auditor/keys: an auditor's X25519 public key (raw, base64url) and a label for the admin. */
export const AuditorKeyRequest = v.strictObject({
  publicKey: Base64Url(32),
  label: v.pipe(DisplayText, v.minLength(1), v.maxLength(64)),
});
