/**
 * Search over what was typed and shown in a recording: typed text (consecutive `input:text`
 * bursts joined, so a word typed across two bursts is found), file names, window titles, chat
 * text and print names. Case-insensitive. Pure: the events come from every segment, decrypted
 * once when the recording is loaded.
 */
import { upperBound } from './activity.ts';
import type { RecordedEvent } from './events.ts';

/** Where a hit was found. */
export type HitKind = 'typed' | 'file' | 'window' | 'chat' | 'print';

/** One search hit. */
export interface SearchHit {
  /** What the match is in. */
  kind: HitKind;
  /** Milliseconds: time of the event holding the match's first character. */
  t: number;
  /**
   * Milliseconds: where playback goes for this hit: the first video frame grabbed after the
   * match's last character was typed (the screen with the text on it), or, when no frame follows
   * within {@link HIT_SETTLE_MS}, that much after the last character.
   */
  seekMs: number;
  /** Text around the match (at most {@link SNIPPET_CONTEXT} characters either side). */
  snippet: string;
}

/**
 * Milliseconds after a match's last character within which the first frame grabbed afterwards
 * is shown (the recorder grabs about once a second); without one, a hit seeks this far past it.
 */
export const HIT_SETTLE_MS = 1000;

/**
 * Milliseconds a screen takes to show a typed character (echo, repaint) before a grabbed frame can
 * contain it.
 */
export const ECHO_MS = 50;

/** Characters of context on each side of a match in a snippet. */
export const SNIPPET_CONTEXT = 24;

/** Most hits returned. */
export const MAX_HITS = 200;

/** A searchable text and, for each of its pieces, where it starts and the time of its event. */
interface Haystack {
  kind: HitKind;
  text: string;
  /** Ascending start offsets of the pieces in `text`, with their event times and spans. */
  pieces: Piece[];
}

/** One event's text in a haystack: where it starts, when its first character came, how long it took. */
interface Piece {
  offset: number;
  t: number;
  /** Milliseconds from the first to the last character (`durationMs` of a typed burst, else 0). */
  span: number;
  length: number;
}

/** The searchable texts of a recording (build once, search often). */
export class SearchIndex {
  private readonly haystacks: Haystack[];

  /** `events` in time order, from every segment; `frameTimes` ascending (the video frames' times). */
  constructor(
    events: readonly RecordedEvent[],
    private readonly frameTimes: readonly number[] = [],
  ) {
    this.haystacks = buildHaystacks(events);
  }

  /** Hits for `query` (trimmed; empty finds nothing), in time order, at most {@link MAX_HITS}. */
  search(query: string, playableEndMs = Infinity): SearchHit[] {
    const needle = fold(query.trim());
    if (!needle) return [];
    const hits: SearchHit[] = [];
    for (const h of this.haystacks) {
      const folded = fold(h.text);
      for (let at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + needle.length)) {
        const t = timeOf(h, at);
        if (t > playableEndMs) continue;
        const seekMs = Math.min(this.settle(timeOf(h, at + needle.length - 1)), playableEndMs);
        hits.push({ kind: h.kind, t, seekMs, snippet: snippet(h.text, at, needle.length) });
      }
    }
    hits.sort((a, b) => a.t - b.t);
    return hits.slice(0, MAX_HITS);
  }

  /** The first frame grabbed after `last` (plus the echo time), if it comes within {@link HIT_SETTLE_MS}. */
  private settle(last: number): number {
    // Frame times are whole milliseconds: the first one above `last + ECHO_MS - 1`.
    const frame = this.frameTimes[upperBound(this.frameTimes, last + ECHO_MS - 1)];
    return frame !== undefined && frame <= last + HIT_SETTLE_MS ? frame : last + HIT_SETTLE_MS;
  }
}

function buildHaystacks(events: readonly RecordedEvent[]): Haystack[] {
  const out: Haystack[] = [];
  let run: Haystack | undefined;
  for (const e of events) {
    const d = e.data ?? {};
    if (e.type === 'input:text' && typeof d['text'] === 'string') {
      if (!run) {
        run = { kind: 'typed', text: '', pieces: [] };
        out.push(run);
      }
      const span = typeof d['durationMs'] === 'number' && d['durationMs'] > 0 ? d['durationMs'] : 0;
      run.pieces.push({ offset: run.text.length, t: e.t, span, length: d['text'].length });
      run.text += d['text'];
      continue;
    }
    // Any other event (Enter, a click, a new window...) ends a run of typed text.
    run = undefined;
    const field = SEARCHED_FIELDS[e.type];
    const value = field ? d[field.key] : undefined;
    if (field && typeof value === 'string' && value) out.push({ kind: field.kind, text: value, pieces: [{ offset: 0, t: e.t, span: 0, length: value.length }] });
  }
  return out;
}

/** The text field searched in each event type other than typed text. */
const SEARCHED_FIELDS: Record<string, { kind: HitKind; key: string } | undefined> = {
  'file:transfer': { kind: 'file', key: 'name' },
  window: { kind: 'window', key: 'title' },
  chat: { kind: 'chat', key: 'text' },
  print: { kind: 'print', key: 'name' },
};

/** Lower case, one UTF-16 unit for one, so offsets in the folded text are offsets in the original. */
function fold(text: string): string {
  let out = '';
  for (const c of text) {
    const lower = c.toLowerCase();
    out += lower.length === c.length ? lower : c;
  }
  return out;
}

/** When the character at `offset` was typed: its piece's time, spread evenly over the piece's span. */
function timeOf(h: Haystack, offset: number): number {
  let found = h.pieces[0]!;
  for (const p of h.pieces) {
    if (p.offset > offset) break;
    found = p;
  }
  const share = found.length > 1 ? (offset - found.offset) / (found.length - 1) : 0;
  return Math.round(found.t + found.span * Math.min(1, Math.max(0, share)));
}

function snippet(text: string, at: number, length: number): string {
  const from = Math.max(0, at - SNIPPET_CONTEXT);
  const to = Math.min(text.length, at + length + SNIPPET_CONTEXT);
  return `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`.replace(/\s+/g, ' ');
}
