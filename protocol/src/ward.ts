import * as v from 'valibot';
import { DisplayText, EndReason, Permissions, SessionCode, TechnicianInfo } from './common.ts';

/**
 * The host agent's local API for the ward user's page (host-agent/ui),
 * served by `host-agent/src/ui/WardServer.ts` on 127.0.0.1: `GET /api/state`,
 * `POST /api/help`, `POST /api/end`, `POST /api/consent` (body: `ConsentDecision`)
 * and `POST /api/alarm/ack` answer `{ ok: true, data: WardState }`, and
 * `GET /api/events` sends each change as a `state` Server-Sent Event.
 * The page validates every copy it receives.
 *
 * The objects are not strict: the page drops fields it does not know. The
 * page stays open for days and its event stream reconnects by itself, so it
 * may meet a newer agent after an update; refusing every state then would
 * leave the ward user without the End session button.
 */

/** Failed PIN attempts after which the PIN is void and the host shows the alarm (PIN5). */
export const PIN_ATTEMPTS = 3;

/**
 * Where the ward PC's support session is (docs/SPEC.md SES1-SES6, PIN5, CON1-CON3): `consent`
 * asks the ward user to accept a technician whose PIN handshake succeeded; `locked` is the alarm
 * after too many wrong PINs.
 */
export const WardPhase = v.picklist(['idle', 'waiting', 'connecting', 'consent', 'live', 'ended', 'locked']);
export type WardPhase = v.InferOutput<typeof WardPhase>;

/** Who is connecting or connected, as the ward user is told: the technician without the broker's id, and from where. */
export const WardTechnician = v.object({
  ...v.pick(TechnicianInfo, ['name', 'organisation']).entries,
  /** The technician's address as the broker saw it. */
  from: DisplayText,
});
export type WardTechnician = v.InferOutput<typeof WardTechnician>;

/** What the ward user's page shows. Host-supplied text is hostile: render it as text only. */
export const WardState = v.object({
  /** This PC's name as registered. */
  hostName: DisplayText,
  /** Whether the agent is connected to the broker. */
  broker: v.picklist(['online', 'offline']),
  state: WardPhase,
  /** The session code while waiting (9 digits). */
  code: v.optional(SessionCode),
  /** When the code stops working. Milliseconds since the epoch. */
  expiresAt: v.optional(v.pipe(v.number(), v.finite())),
  /** The PIN the ward user reads out with the code (8 digits); only ever shown on this PC. */
  pin: v.optional(v.pipe(v.string(), v.regex(/^\d{8}$/))),
  /** PIN attempts left before the PIN is void. */
  attemptsLeft: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  technician: v.optional(WardTechnician),
  /** While asking for consent: what the technician asks to do. While live: what was granted. */
  permissions: v.optional(Permissions),
  /** Whether this session is recorded (shown at consent and in the live banner). */
  recording: v.optional(v.boolean()),
  /** The recorder stopped: no video and no input until it records again (or the session ends). */
  frozen: v.optional(v.boolean()),
  /** An administrator configured this PC to accept sessions without asking (CON3). */
  unattended: v.optional(v.boolean()),
  /** When the PIN was locked (milliseconds since the epoch), in the `locked` phase. */
  lockedAt: v.optional(v.pipe(v.number(), v.finite())),
  /** Why the last session ended. */
  endReason: v.optional(EndReason),
});
export type WardState = v.InferOutput<typeof WardState>;

/** Body of `POST /api/consent`: the ward user's answer; `permissions` may only narrow the request. */
export const ConsentDecision = v.strictObject({
  accept: v.boolean(),
  permissions: Permissions,
});
export type ConsentDecision = v.InferOutput<typeof ConsentDecision>;
