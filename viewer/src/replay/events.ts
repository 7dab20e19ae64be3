/**
 * The events of a recording's timeline (TimelineEvent {t, type, data}) read into checked shapes
 * a list can show. The host agent writes the types below; anything else, or a known type whose
 * data is not as expected, becomes `other` and is shown as its type and compact JSON, so a new or
 * malformed event never breaks the player.
 */
import type { TimelineEvent } from '@wardlink/recordings';

/** A timeline event with the segment it came from. */
export interface RecordedEvent extends TimelineEvent {
  /** Index of the segment holding the event. */
  segment: number;
}

/** A recorded event read for display. */
export type EventView =
  | { kind: 'session:start'; technician: { id: string; name: string; organisation: string }; permissions: string[] }
  | { kind: 'consent'; decision: string; permissions: string[] }
  | { kind: 'permissions'; permissions: string[] }
  | { kind: 'input:text'; text: string }
  | { kind: 'input:key'; combo: string }
  | { kind: 'input:click'; x: number; y: number; button: number }
  | { kind: 'recording:frozen'; reason: string }
  | { kind: 'recording:resumed' }
  | { kind: 'session:end'; reason: string }
  | { kind: 'file:transfer'; name: string; size: number; direction: string }
  | { kind: 'print'; name: string }
  | { kind: 'clipboard'; direction: string; length: number }
  | { kind: 'chat'; from: string; text: string }
  | { kind: 'window'; title: string }
  | { kind: 'other'; type: string; json: string };

/** Longest JSON shown for an event of an unknown type, in characters. */
export const MAX_JSON_CHARS = 200;

type Data = Record<string, unknown>;

const str = (d: Data, key: string): string | undefined => (typeof d[key] === 'string' ? (d[key] as string) : undefined);
const num = (d: Data, key: string): number | undefined => (typeof d[key] === 'number' && Number.isFinite(d[key]) ? (d[key] as number) : undefined);
const strings = (d: Data, key: string): string[] | undefined =>
  Array.isArray(d[key]) && (d[key] as unknown[]).every((v) => typeof v === 'string') ? (d[key] as string[]) : undefined;

/** Reads one event; never throws. */
export function viewEvent(event: TimelineEvent): EventView {
  return known(event.type, event.data ?? {}) ?? { kind: 'other', type: event.type, json: compactJson(event.data) };
}

function known(type: string, d: Data): EventView | undefined {
  switch (type) {
    case 'session:start': {
      const tech = d['technician'];
      const permissions = strings(d, 'permissions') ?? [];
      if (typeof tech !== 'object' || tech === null) return undefined;
      const t = tech as Data;
      const name = str(t, 'name');
      return name === undefined ? undefined : { kind: type, technician: { id: str(t, 'id') ?? '', name, organisation: str(t, 'organisation') ?? '' }, permissions };
    }
    case 'consent': {
      const decision = str(d, 'decision');
      return decision === undefined ? undefined : { kind: type, decision, permissions: strings(d, 'permissions') ?? [] };
    }
    case 'permissions': {
      const permissions = strings(d, 'permissions');
      return permissions && { kind: type, permissions };
    }
    case 'input:text': {
      const text = str(d, 'text');
      return text === undefined ? undefined : { kind: type, text };
    }
    case 'input:key': {
      const key = str(d, 'key');
      return key === undefined ? undefined : { kind: type, combo: [...(strings(d, 'modifiers') ?? []), key].join('+') };
    }
    case 'input:click': {
      const x = num(d, 'x');
      const y = num(d, 'y');
      return x === undefined || y === undefined ? undefined : { kind: type, x, y, button: num(d, 'button') ?? 0 };
    }
    case 'recording:frozen':
    case 'session:end':
      return { kind: type, reason: str(d, 'reason') ?? '' };
    case 'recording:resumed':
      return { kind: type };
    case 'file:transfer': {
      const name = str(d, 'name');
      return name === undefined ? undefined : { kind: type, name, size: num(d, 'size') ?? 0, direction: str(d, 'direction') ?? '' };
    }
    case 'print': {
      const name = str(d, 'name');
      return name === undefined ? undefined : { kind: type, name };
    }
    case 'clipboard':
      return { kind: type, direction: str(d, 'direction') ?? '', length: num(d, 'length') ?? 0 };
    case 'chat': {
      const text = str(d, 'text');
      return text === undefined ? undefined : { kind: type, from: str(d, 'from') ?? '', text };
    }
    case 'window': {
      const title = str(d, 'title');
      return title === undefined ? undefined : { kind: type, title };
    }
    default:
      return undefined;
  }
}

/** `data` as one line of JSON, at most {@link MAX_JSON_CHARS} characters (`…` when cut). */
export function compactJson(data: unknown): string {
  if (data === undefined) return '';
  let text: string;
  try {
    text = JSON.stringify(data) ?? '';
  } catch {
    text = String(data);
  }
  return text.length > MAX_JSON_CHARS ? `${text.slice(0, MAX_JSON_CHARS - 1)}…` : text;
}
