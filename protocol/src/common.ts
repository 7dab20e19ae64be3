import * as v from 'valibot';

/** Version of the wire protocol; a peer with another version is refused with `version_mismatch`. */
export const PROTOCOL_VERSION = 1;

/** Opaque identifiers minted by the broker (hosts, sessions, users): base64url, 8..64 characters. */
export const Id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/));

/** The code the ward user reads out: 9 digits, shown as `123 456 789`; spaces and dashes are ignored. */
export const SessionCode = v.pipe(
  v.string(),
  v.maxLength(32),
  v.transform((s) => s.replace(/[\s-]/g, '')),
  v.regex(/^\d{9}$/),
);

/** Single-use session id made by the host (16 random bytes, base64url). */
export const Sid = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{22}$/));

/** Printable display text from another party (names, organisations): bounded, no control characters. */
export const DisplayText = v.pipe(
  v.string(),
  v.maxLength(128),
  v.regex(/^[^\p{Cc}]*$/u),
);

/** An SDP blob. Bounded so a peer cannot make the other side parse megabytes. */
export const Sdp = v.pipe(v.string(), v.minLength(10), v.maxLength(64 * 1024), v.startsWith('v=0'));

/** One ICE server entry, as handed to RTCPeerConnection. */
export const IceServer = v.strictObject({
  urls: v.array(v.pipe(v.string(), v.maxLength(256), v.regex(/^(stun|turn|turns):/))),
  username: v.optional(v.pipe(v.string(), v.maxLength(256))),
  credential: v.optional(v.pipe(v.string(), v.maxLength(256))),
});
export type IceServer = v.InferOutput<typeof IceServer>;

/** ICE settings the broker hands to both peers of a session. */
export const IceConfig = v.strictObject({
  iceServers: v.array(IceServer),
  iceTransportPolicy: v.picklist(['all', 'relay']),
});
export type IceConfig = v.InferOutput<typeof IceConfig>;

/** Raw bytes as base64url without padding, exactly `bytes` long once decoded. */
export function Base64Url(bytes: number) {
  const chars = Math.ceil((bytes * 4) / 3);
  return v.pipe(v.string(), v.regex(new RegExp(`^[A-Za-z0-9_-]{${chars}}$`)));
}

/**
 * What a technician may do in a session (SECURITY.md "Access control"). The broker proposes them
 * from the technician's role; the ward user may untick some at consent; the host enforces them.
 */
export const Permission = v.picklist([
  'view',
  'control',
  'file_to_host',
  'file_from_host',
  'print',
  'clipboard_to_host',
  'clipboard_from_host',
  'chat',
]);
export type Permission = v.InferOutput<typeof Permission>;

/** A set of permissions on the wire: no duplicates, at most one of each. */
export const Permissions = v.pipe(
  v.array(Permission),
  v.maxLength(8),
  v.check((list) => new Set(list).size === list.length, 'Duplicate permission.'),
);

/** Why a session ended; shown to both sides. */
export const EndReason = v.picklist([
  'ended_by_host',
  'ended_by_technician',
  'host_disconnected',
  'technician_disconnected',
  'expired',
  'failed',
  /** Key confirmation did not succeed: wrong PIN or an intercepted connection (never which). PIN4. */
  'auth_failed',
  /** Too many failed attempts: the PIN is void until the ward user asks for help again. PIN5. */
  'pin_locked',
  /** The ward user declined the session. CON2. */
  'declined',
  /** A peer broke the protocol in a way only tampering explains (replay, renegotiation, certificate mismatch). PIN6. */
  'tampered',
  /** The session could not be recorded (no recording policy, or the recorder failed and did not come back). SREC2, SREC5. */
  'recording_failed',
]);
export type EndReason = v.InferOutput<typeof EndReason>;

/** A technician as shown to the ward user. */
export const TechnicianInfo = v.strictObject({
  id: Id,
  name: DisplayText,
  organisation: DisplayText,
});
export type TechnicianInfo = v.InferOutput<typeof TechnicianInfo>;

/** A host as listed in the viewer. Host-supplied text is hostile: render it as text only. */
export const HostSummary = v.strictObject({
  id: Id,
  name: DisplayText,
  online: v.boolean(),
});
export type HostSummary = v.InferOutput<typeof HostSummary>;
