import * as v from 'valibot';
import {
  PROTOCOL_VERSION,
  Base64Url,
  DisplayText,
  EndReason,
  HostSummary,
  IceConfig,
  Id,
  Permissions,
  Sdp,
  SessionCode,
  Sid,
  TechnicianInfo,
} from './common.ts';
import { RecordingStart } from './recording.ts';

/** A CPace public share Ya / Yb: a ristretto255 element, 32 bytes (PIN1). */
export const PakeShare = Base64Url(32);
/** A key-confirmation tag Ta / Tb: HMAC-SHA512, 64 bytes (PIN3). */
export const PakeTag = Base64Url(64);

/** M1 of the PIN handshake, relayed opaquely: the offer carries F_V; `ya` is CPace's Ya. */
const SignalOffer = v.strictObject({ sessionId: Id, sid: Sid, sdp: Sdp, ya: PakeShare });
/** M2: the answer carries F_H; `yb` is CPace's Yb and `tb` the host's confirmation tag. */
const SignalAnswer = v.strictObject({ sessionId: Id, sdp: Sdp, yb: PakeShare, tb: PakeTag });
/** M3: the viewer's confirmation tag. */
const SignalConfirm = v.strictObject({ sessionId: Id, ta: PakeTag });

/** Security-relevant facts a host reports for the broker's audit log (PIN5, CON1-CON3). */
export const HostReport = v.picklist([
  'pin_failed',
  'pin_locked',
  'tamper_detected',
  'consent_given',
  'consent_declined',
  'consent_skipped_unattended',
  /** On a direct path, the technician's address is outside the host's allowed peer networks. */
  'peer_address_denied',
]);
export type HostReport = v.InferOutput<typeof HostReport>;

/**
 * socket.io events, one schema each. Names read `domain:verb`. Requests from
 * a client carry an acknowledgement callback answered with an `Ack`.
 * Namespaces: `/host` (host agents, device-key auth) and `/tech` (viewers,
 * cookie auth). See docs/SPEC.md for the rules (SIG*, SES*).
 */
export const HostEvents = {
  /**
   * Host -> broker: the ward user asked for help; map a code to this sid. With `keepCode`, the code
   * of the host's previous attempt is kept if still unexpired (retry after a failed PIN). Ack: `SessionOpened`.
   */
  'session:open': v.strictObject({ sid: Sid, keepCode: v.optional(v.boolean()) }),
  /** Host -> broker: withdraw the code or end the live session. Ack: `{}`. */
  'session:end': v.strictObject({ sessionId: v.optional(Id), reason: EndReason }),
  /** Host -> broker: M2, answer to the technician's offer. Ack: `{}`. */
  'signal:answer': SignalAnswer,
  /** Host -> broker: the newest signed recording policy (POL3). Ack: `{ policy: SignedPolicy | null }`. */
  'policy:get': v.strictObject({}),
  /** Host -> broker: a session is being recorded (UPL1). Ack: `RecordingUploadGrant`. */
  'recording:start': RecordingStart,
  /** Host -> broker: an event for the audit log. Ack: `{}`. */
  'session:report': v.strictObject({
    sessionId: v.optional(Id),
    event: HostReport,
    permissions: v.optional(Permissions),
  }),
} as const;

/** Events the broker sends to a host. */
export const HostInbound = {
  /** A technician joined with this host's code. */
  'session:request': v.strictObject({
    sessionId: Id,
    sid: Sid,
    technician: TechnicianInfo,
    from: v.pipe(v.string(), v.maxLength(64)),
    ice: IceConfig,
    /** What the technician's role may do; advisory: the ward user and the host decide. */
    permissions: Permissions,
  }),
  'signal:offer': SignalOffer,
  'signal:confirm': SignalConfirm,
  'session:ended': v.strictObject({ sessionId: Id, reason: EndReason }),
} as const;

/** Events a technician's viewer sends. */
export const TechEvents = {
  /** Ack: `{ hosts: HostSummary[] }`. */
  'hosts:list': v.strictObject({}),
  /** Ack: `SessionJoined`. */
  'session:join': v.strictObject({ code: SessionCode }),
  /** M1. Ack: `{}`; M2 arrives as `signal:answer`. */
  'signal:offer': SignalOffer,
  /** M3. Ack: `{}`. */
  'signal:confirm': SignalConfirm,
  /** Ack: `{}`. */
  'session:end': v.strictObject({ sessionId: Id }),
} as const;

/** Events the broker sends to a technician. */
export const TechInbound = {
  'signal:answer': SignalAnswer,
  'session:ended': v.strictObject({ sessionId: Id, reason: EndReason }),
  'hosts:changed': v.strictObject({ hosts: v.array(HostSummary) }),
} as const;

/** Ack data of `session:open`. */
export const SessionOpened = v.strictObject({
  code: SessionCode,
  /** Milliseconds since the epoch. */
  expiresAt: v.number(),
});
export type SessionOpened = v.InferOutput<typeof SessionOpened>;

/** Ack data of `session:join`. */
export const SessionJoined = v.strictObject({
  sessionId: Id,
  /** The host's single-use session id, bound into the PIN handshake. */
  sid: Sid,
  host: v.strictObject({ id: Id, name: DisplayText }),
  /** The technician's own id: part of the handshake's channel identifier. */
  technicianId: Id,
  ice: IceConfig,
  /** What the technician's role may ask for (advisory). */
  permissions: Permissions,
});
export type SessionJoined = v.InferOutput<typeof SessionJoined>;

/** Handshake `auth` payload of a host: proof of its device key over a broker nonce. */
export const HostAuth = v.strictObject({
  protocolVersion: v.number(),
  hostId: Id,
  nonce: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/)),
  /** Ed25519 signature (base64url) over {@link hostAuthMessage}. */
  signature: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{86}$/)),
});
export type HostAuth = v.InferOutput<typeof HostAuth>;

/** Handshake `auth` payload of a viewer (the session cookie does the authentication). */
export const TechAuth = v.strictObject({ protocolVersion: v.number() });

/** The exact text a host signs to authenticate its socket; the nonce is single-use and broker-issued. */
export function hostAuthMessage(hostId: string, nonce: string): string {
  return `wardlink-host-auth\nv${PROTOCOL_VERSION}\n${hostId}\n${nonce}`;
}

export type EventPayload<M extends Record<string, v.GenericSchema>, K extends keyof M> = v.InferOutput<M[K]>;
