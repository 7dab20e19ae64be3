import * as v from 'valibot';
import {
  PROTOCOL_VERSION,
  DisplayText,
  EndReason,
  HostSummary,
  IceConfig,
  Id,
  Sdp,
  SessionCode,
  Sid,
  TechnicianInfo,
} from './common.ts';

/**
 * socket.io events, one schema each. Names read `domain:verb`. Requests from
 * a client carry an acknowledgement callback answered with an `Ack`.
 * Namespaces: `/host` (host agents, device-key auth) and `/tech` (viewers,
 * cookie auth). See docs/SPEC.md for the rules (SIG*, SES*).
 */
export const HostEvents = {
  /** Host -> broker: the ward user asked for help; map a new code to this sid. Ack: `SessionOpened`. */
  'session:open': v.strictObject({ sid: Sid }),
  /** Host -> broker: withdraw the code or end the live session. Ack: `{}`. */
  'session:end': v.strictObject({ sessionId: v.optional(Id), reason: EndReason }),
  /** Host -> broker: answer to the technician's offer. Ack: `{}`. */
  'signal:answer': v.strictObject({ sessionId: Id, sdp: Sdp }),
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
  }),
  'signal:offer': v.strictObject({ sessionId: Id, sdp: Sdp }),
  'session:ended': v.strictObject({ sessionId: Id, reason: EndReason }),
} as const;

/** Events a technician's viewer sends. */
export const TechEvents = {
  /** Ack: `{ hosts: HostSummary[] }`. */
  'hosts:list': v.strictObject({}),
  /** Ack: `SessionJoined`. */
  'session:join': v.strictObject({ code: SessionCode }),
  /** Ack: `{}`; the answer arrives as `signal:answer`. */
  'signal:offer': v.strictObject({ sessionId: Id, sdp: Sdp }),
  /** Ack: `{}`. */
  'session:end': v.strictObject({ sessionId: Id }),
} as const;

/** Events the broker sends to a technician. */
export const TechInbound = {
  'signal:answer': v.strictObject({ sessionId: Id, sdp: Sdp }),
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
  host: v.strictObject({ id: Id, name: DisplayText }),
  ice: IceConfig,
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
