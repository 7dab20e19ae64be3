/**
 * The plaintext inside a segment (FORMAT.md REC9): frames, stills and timeline events, with times
 * stored as varint offsets from the segment start. The encoder refuses content the decoder would
 * refuse, so a writer never produces a segment a player cannot read.
 */
import { ByteReader, ByteWriter, utf8 } from './bytes.ts';
import { RecordingError } from './errors.ts';
import { SEGMENT_FLAGS, isOffset, type SegmentClear } from './format.ts';
import type { RecordedFrame, RecordedStill, SegmentContent, TimelineEvent } from './types.ts';

const MIME = /^[a-z]+\/[a-z0-9.+-]{1,100}$/;
const CONTROL = /\p{Cc}/u;
const FRAME_KEY = 1;

/** Why `content` cannot be sealed after a segment that ended at `previousEndMs`, or undefined. */
export function contentProblem(content: SegmentContent, previousEndMs: number): string | undefined {
  if (typeof content !== 'object' || content === null) return 'segment content is not an object';
  const { startMs, endMs } = content;
  if (!isOffset(startMs) || !isOffset(endMs) || endMs < startMs) return 'startMs/endMs must be integer milliseconds with startMs <= endMs < 2^32';
  if (startMs < previousEndMs) return `startMs ${startMs} is before the previous segment's endMs ${previousEndMs}`;
  const within = (t: unknown): boolean => isOffset(t) && t >= startMs && t <= endMs;
  if (!Array.isArray(content.frames) || !Array.isArray(content.events)) return 'frames and events must be arrays';
  if (content.stills !== undefined && !Array.isArray(content.stills)) return 'stills must be an array';
  let last = startMs;
  for (const frame of content.frames) {
    if (!within(frame?.t)) return `a frame time is outside [${startMs}, ${endMs}] or not an integer`;
    if (frame.t < last) return 'frames must be in time order';
    last = frame.t;
    if (typeof frame.key !== 'boolean' || !isBytes(frame.data)) return 'a frame needs key: boolean and at least one byte of data';
  }
  for (const still of content.stills ?? []) {
    if (!within(still?.t)) return `a still time is outside [${startMs}, ${endMs}] or not an integer`;
    if (typeof still.mime !== 'string' || !MIME.test(still.mime) || !isBytes(still.data)) return 'a still needs a MIME type and data';
  }
  for (const event of content.events) {
    if (!within(event?.t)) return `an event time is outside [${startMs}, ${endMs}] or not an integer`;
    if (!isEventType(event.type)) return 'an event type must be 1..255 UTF-8 bytes without control characters';
    if (event.data !== undefined && !isPlainObject(event.data)) return 'event data must be a plain object';
  }
  return undefined;
}

/** Flags of a segment (REC9): key frame present, still present. */
export function contentFlags(content: SegmentContent): number {
  let flags = 0;
  if (content.frames.some((f) => f.key)) flags |= SEGMENT_FLAGS.keyFrame;
  if ((content.stills ?? []).length > 0) flags |= SEGMENT_FLAGS.still;
  return flags;
}

/** Serialises validated content (call {@link contentProblem} first). */
export function encodePayload(content: SegmentContent): Uint8Array {
  const start = content.startMs;
  const w = new ByteWriter(1024);
  w.varint(content.frames.length);
  for (const frame of content.frames) w.varint(frame.t - start).u8(frame.key ? FRAME_KEY : 0).varint(frame.data.length).bytes(frame.data);
  const stills = content.stills ?? [];
  w.varint(stills.length);
  for (const still of stills) w.varint(still.t - start).str8(still.mime).varint(still.data.length).bytes(still.data);
  w.varint(content.events.length);
  for (const event of content.events) {
    w.varint(event.t - start).str8(event.type);
    let json: Uint8Array;
    try {
      json = event.data === undefined ? new Uint8Array(0) : utf8(JSON.stringify(event.data));
    } catch {
      throw RecordingError.invalidInput(`Event data of ${event.type} is not JSON-serialisable.`);
    }
    w.varint(json.length).bytes(json);
  }
  return w.finish();
}

/**
 * Parses a decrypted payload against the segment's clear fields. Byte arrays in the result are
 * views into `plaintext`. Throws `format` with the segment index on any inconsistency.
 */
export function decodePayload(plaintext: Uint8Array, clear: SegmentClear): SegmentContent & { index: number } {
  const { index, startMs, endMs } = clear;
  const r = new ByteReader(plaintext, `content of segment ${index}`, index);
  const time = (field: string): number => {
    const t = startMs + r.varint(field);
    if (t > endMs) throw r.fail(`${field} after the segment end`);
    return t;
  };
  const count = (field: string, minItemBytes: number): number => {
    const n = r.varint(field);
    if (n * minItemBytes > r.remaining) throw r.fail(`${field} larger than the data`);
    return n;
  };
  const frames: RecordedFrame[] = [];
  let last = startMs;
  for (let i = count('frame count', 4); i > 0; i--) {
    const t = time('frame time');
    if (t < last) throw r.fail('frames out of time order');
    last = t;
    const flags = r.u8('frame flags');
    if ((flags & ~FRAME_KEY) !== 0) throw r.fail('frame flags');
    frames.push({ t, key: flags === FRAME_KEY, data: nonEmpty(r, 'frame') });
  }
  const stills: RecordedStill[] = [];
  for (let i = count('still count', 5); i > 0; i--) {
    const t = time('still time');
    const mime = r.str8('still MIME type');
    if (!MIME.test(mime)) throw r.fail('still MIME type');
    stills.push({ t, mime, data: nonEmpty(r, 'still') });
  }
  const events: TimelineEvent[] = [];
  for (let i = count('event count', 3); i > 0; i--) {
    const t = time('event time');
    const type = r.str8('event type');
    if (!isEventType(type)) throw r.fail('event type');
    const json = r.bytes(r.varint('event data length'), 'event data');
    events.push(json.length === 0 ? { t, type } : { t, type, data: parseObject(r, json) });
  }
  r.end();
  const content = { index, startMs, endMs, frames, ...(stills.length > 0 ? { stills } : {}), events };
  if (contentFlags(content) !== clear.flags) throw r.fail('flags do not match the content');
  return content;
}

function nonEmpty(r: ByteReader, what: string): Uint8Array {
  const length = r.varint(`${what} length`);
  if (length === 0) throw r.fail(`empty ${what}`);
  return r.bytes(length, `${what} data`);
}

function parseObject(r: ByteReader, json: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    throw r.fail('event data is not JSON');
  }
  if (!isPlainObject(value)) throw r.fail('event data is not an object');
  return value;
}

function isEventType(type: unknown): type is string {
  return typeof type === 'string' && type.length > 0 && utf8(type).length <= 255 && !CONTROL.test(type);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isBytes(data: unknown): data is Uint8Array {
  return data instanceof Uint8Array && data.length > 0;
}
