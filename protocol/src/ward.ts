import * as v from 'valibot';
import { DisplayText, EndReason, SessionCode, TechnicianInfo } from './common.ts';

/**
 * The host agent's local API for the ward user's page (host-agent/ui),
 * served by `host-agent/src/ui/WardServer.ts` on 127.0.0.1: `GET /api/state`,
 * `POST /api/help` and `POST /api/end` answer `{ ok: true, data: WardState }`,
 * and `GET /api/events` sends each change as a `state` Server-Sent Event.
 * The page validates every copy it receives.
 *
 * The objects are not strict: the page drops fields it does not know. The
 * page stays open for days and its event stream reconnects by itself, so it
 * may meet a newer agent after an update; refusing every state then would
 * leave the ward user without the End session button.
 */

/** Where the ward PC's support session is (docs/SPEC.md SES1-SES6). */
export const WardPhase = v.picklist(['idle', 'waiting', 'connecting', 'live', 'ended']);
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
  technician: v.optional(WardTechnician),
  /** Why the last session ended. */
  endReason: v.optional(EndReason),
});
export type WardState = v.InferOutput<typeof WardState>;
