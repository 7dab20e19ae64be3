/**
 * wardlink's PIN handshake on top of CPace (SECURITY.md, "PIN-authenticated session keys";
 * SPEC SES7). The viewer is the CPace initiator A, the host the responder B:
 *
 *   M1 viewer -> host: sid, offer SDP, ADa = F_V (viewer DTLS fingerprint), Ya
 *   M2 host -> viewer: answer SDP, ADb = F_H (host DTLS fingerprint), Yb, Tb
 *   M3 viewer -> host: Ta
 *
 * Key confirmation follows the draft's "Key confirmation" section: mac_key = SHA-512("CPaceMac" ||
 * sid || ISK), and HMAC-SHA512 tags. Each tag covers the whole transcript_ir(Ya, ADa, Yb, ADb)
 * prefixed with the sender's role ("host" / "viewer"), so a tag can neither be reflected back nor
 * replayed into another run.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { cpaceFinishInitiator, cpaceFinishResponder, cpaceStart, lvCat, transcriptIr } from './cpace.ts';
import type { CPaceState } from './cpace.ts';
import { CPaceError } from './errors.ts';

/** Number of digits in a wardlink PIN. */
export const PIN_DIGITS = 8;

/** Size of the session id `sid` the host generates, in bytes. */
export const SID_BYTES = 16;

/** Size of the key-confirmation MAC key (a SHA-512 output), in bytes. */
export const MAC_KEY_BYTES = 64;

/** Size of a key-confirmation tag Ta / Tb (an HMAC-SHA512 output), in bytes. */
export const TAG_BYTES = 64;

/** Which side produced a key-confirmation tag; also the label prefixed to what it covers. */
export type ConfirmationRole = 'host' | 'viewer';

const MAC_KEY_PREFIX = utf8ToBytes('CPaceMac');
const ROLE_LABEL: Record<ConfirmationRole, Uint8Array> = {
  host: utf8ToBytes('host'),
  viewer: utf8ToBytes('viewer'),
};
const PIN_PATTERN = /^[0-9]{8}$/;

/**
 * Encodes the PIN as CPace's password-related string (PRS): its UTF-8 (= ASCII) bytes, 8 bytes.
 * Anything other than exactly 8 ASCII digits (spaces, full-width digits, 7 or 9 digits) is refused
 * with CPaceError 'invalid_pin'; strip the display grouping before calling.
 */
export function pinToPrs(pin: string): Uint8Array {
  if (typeof pin !== 'string' || !PIN_PATTERN.test(pin)) {
    throw CPaceError.invalidPin();
  }
  return utf8ToBytes(pin);
}

/**
 * wardlink's channel identifier CI = lv_cat(protocolVersion, hostId, technicianId), each UTF-8
 * (the version as its decimal string). Binds the key to both parties and the protocol version;
 * CI is never sent, so the identities stay confidential.
 */
export function channelIdentifier(protocolVersion: number | string, hostId: string, technicianId: string): Uint8Array {
  return lvCat(utf8ToBytes(String(protocolVersion)), utf8ToBytes(hostId), utf8ToBytes(technicianId));
}

/**
 * Key-confirmation MAC key, 64 bytes: SHA-512("CPaceMac" || sid || ISK), the construction the
 * draft recommends in "Key confirmation". The ISK itself is not used as a MAC key directly.
 */
export function deriveMacKey(sid: Uint8Array, isk: Uint8Array): Uint8Array {
  return sha512(concatBytes(MAC_KEY_PREFIX, sid, isk));
}

/**
 * Key-confirmation tag, 64 bytes: HMAC-SHA512(macKey, role || transcript), i.e.
 * Tb = HMAC(macKey, "host" || transcript) and Ta = HMAC(macKey, "viewer" || transcript).
 * The labels differ in their first byte, so the two inputs can never coincide.
 */
export function confirmationTag(macKey: Uint8Array, role: ConfirmationRole, transcript: Uint8Array): Uint8Array {
  return hmac(sha512, macKey, concatBytes(ROLE_LABEL[role], transcript));
}

/** Recomputes the expected tag and compares it with `tag` in constant time. */
export function verifyConfirmationTag(
  macKey: Uint8Array,
  role: ConfirmationRole,
  transcript: Uint8Array,
  tag: Uint8Array,
): boolean {
  return constantTimeEqual(confirmationTag(macKey, role, transcript), tag);
}

/**
 * Compares two byte strings without an early exit, so the time taken reveals nothing about where
 * they differ. Different lengths return false; only the (public) lengths affect the timing.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  const length = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < length; i++) {
    const x = i < a.length ? (a[i] as number) : 0;
    const y = i < b.length ? (b[i] as number) : 0;
    diff |= x ^ y;
  }
  return diff === 0;
}

/** What both sides must agree on before the handshake; only `sid` is public. */
export interface HandshakeContext {
  /** The 8-digit PIN shown on the host and typed by the technician. Never logged. */
  pin: string;
  /** The single-use session id from the host, 16 bytes. */
  sid: Uint8Array;
  /** wardlink's PROTOCOL_VERSION. */
  protocolVersion: number | string;
  /** The host's id as the broker knows it. */
  hostId: string;
  /** The technician's account id as the broker authenticated it. */
  technicianId: string;
}

/** The viewer's state between M1 and M2. Holds a secret scalar; use once. */
export interface ViewerPending {
  /** The CPace initiator state (ADa = F_V). */
  readonly cpace: CPaceState;
}

/** The host's state between M2 and M3. Holds key material; use once. */
export interface HostPending {
  /** The ISK, 64 bytes. Unauthenticated until {@link hostFinish} accepts Ta: do not use it before. */
  readonly isk: Uint8Array;
  /** The tag the viewer must send in M3. 64 bytes. */
  readonly expectedTa: Uint8Array;
}

/** A completed, confirmed handshake. */
export interface HandshakeResult {
  /** CPace's intermediate session key, 64 bytes. Run it through a KDF before any further use. */
  readonly isk: Uint8Array;
}

function startFor(context: HandshakeContext, ad: Uint8Array, scalar?: bigint | Uint8Array): CPaceState {
  if (context.sid.length !== SID_BYTES) {
    throw CPaceError.invalidInput('session id length');
  }
  const ci = channelIdentifier(context.protocolVersion, context.hostId, context.technicianId);
  return cpaceStart(pinToPrs(context.pin), ci, context.sid, ad, scalar);
}

/**
 * Viewer, before M1: returns Ya (32 bytes) to send with sid and F_V, and the pending state.
 * `viewerFingerprint` is ADa: the bytes of F_V as both sides will see it (same encoding on both).
 * `scalar` is for tests only.
 */
export function viewerStart(
  context: HandshakeContext,
  viewerFingerprint: Uint8Array,
  scalar?: bigint | Uint8Array,
): { pending: ViewerPending; ya: Uint8Array } {
  const cpace = startFor(context, viewerFingerprint, scalar);
  return { pending: { cpace }, ya: cpace.Y };
}

/**
 * Host, on M1: runs the responder side and returns Yb and Tb for M2 plus the state that checks Ta.
 * Throws CPaceError 'invalid_point' on a bad Ya, 'invalid_pin' / 'invalid_input' on bad local input.
 */
export function hostRespond(
  context: HandshakeContext,
  ya: Uint8Array,
  viewerFingerprint: Uint8Array,
  hostFingerprint: Uint8Array,
  scalar?: bigint | Uint8Array,
): { pending: HostPending; yb: Uint8Array; tb: Uint8Array } {
  const cpace = startFor(context, hostFingerprint, scalar);
  const isk = cpaceFinishResponder(cpace, ya, viewerFingerprint);
  const transcript = transcriptIr(ya, viewerFingerprint, cpace.Y, hostFingerprint);
  const macKey = deriveMacKey(context.sid, isk);
  return {
    pending: { isk, expectedTa: confirmationTag(macKey, 'viewer', transcript) },
    yb: cpace.Y,
    tb: confirmationTag(macKey, 'host', transcript),
  };
}

/**
 * Viewer, on M2: derives the ISK, verifies Tb and returns Ta for M3. Throws CPaceError
 * 'confirmation_failed' ("wrong PIN or connection intercepted") when Tb does not verify, and
 * 'invalid_point' on a bad Yb.
 */
export function viewerFinish(
  pending: ViewerPending,
  yb: Uint8Array,
  hostFingerprint: Uint8Array,
  tb: Uint8Array,
): HandshakeResult & { ta: Uint8Array } {
  const { cpace } = pending;
  const isk = cpaceFinishInitiator(cpace, yb, hostFingerprint);
  const transcript = transcriptIr(cpace.Y, cpace.ad, yb, hostFingerprint);
  const macKey = deriveMacKey(cpace.sid, isk);
  if (!verifyConfirmationTag(macKey, 'host', transcript, tb)) {
    throw CPaceError.confirmationFailed();
  }
  return { isk, ta: confirmationTag(macKey, 'viewer', transcript) };
}

/**
 * Host, on M3: verifies Ta in constant time. Only after this may the consent prompt appear; until
 * then the attempt counts as failed. Throws CPaceError 'confirmation_failed' on a wrong tag.
 */
export function hostFinish(pending: HostPending, ta: Uint8Array): HandshakeResult {
  if (!constantTimeEqual(pending.expectedTa, ta)) {
    throw CPaceError.confirmationFailed();
  }
  return { isk: pending.isk };
}
