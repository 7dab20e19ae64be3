/**
 * What the host agent tells its local page, over `GET /api/state` and the
 * `state` Server-Sent Events of `GET /api/events`. The agent side mirrors
 * this type; the page validates every copy it receives.
 */
export interface WardState {
  /** This PC's name as registered (hostile text: render as text only). */
  hostName: string;
  /** Whether the agent is connected to the broker. */
  broker: 'online' | 'offline';
  /** Where the support session is. */
  state: 'idle' | 'waiting' | 'connecting' | 'live' | 'ended';
  /** The session code, 9 digits, while waiting. */
  code?: string;
  /** When the code stops working, milliseconds since the epoch. */
  expiresAt?: number;
  /** Who is connecting or connected. */
  technician?: { name: string; organisation: string; from: string };
  /** Why the last session ended (an EndReason of the protocol, normally). */
  endReason?: string;
}

/** The phases of {@link WardState.state}. */
export const WARD_PHASES = ['idle', 'waiting', 'connecting', 'live', 'ended'] as const;

/** Longest display text accepted from the agent. */
const MAX_TEXT = 256;

/**
 * Validates an untrusted value as a {@link WardState}; returns a clean
 * copy (unknown fields dropped) or null.
 */
export function readWardState(value: unknown): WardState | null {
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  const v = value as Record<string, unknown>;
  if (!isText(v.hostName) || (v.broker !== 'online' && v.broker !== 'offline')) {
    return null;
  }
  if (!(WARD_PHASES as readonly unknown[]).includes(v.state)) {
    return null;
  }
  const state: WardState = { hostName: v.hostName, broker: v.broker, state: v.state as WardState['state'] };
  if (v.code !== undefined) {
    if (typeof v.code !== 'string' || !/^\d{9}$/.test(v.code)) {
      return null;
    }
    state.code = v.code;
  }
  if (v.expiresAt !== undefined) {
    if (typeof v.expiresAt !== 'number' || !Number.isFinite(v.expiresAt)) {
      return null;
    }
    state.expiresAt = v.expiresAt;
  }
  if (v.technician !== undefined) {
    const t = v.technician as Record<string, unknown> | null;
    if (typeof t !== 'object' || t === null || !isText(t.name) || !isText(t.organisation) || !isText(t.from)) {
      return null;
    }
    state.technician = { name: t.name, organisation: t.organisation, from: t.from };
  }
  if (v.endReason !== undefined) {
    if (!isText(v.endReason)) {
      return null;
    }
    state.endReason = v.endReason;
  }
  return state;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_TEXT && !/\p{Cc}/u.test(value);
}
