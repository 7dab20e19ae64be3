import type { TimelineEvent } from '@wardlink/recordings';
import type { InputMessage } from '../session/HostPeer.ts';

/** Milliseconds between typed characters after which a new `input:text` event starts. */
export const TEXT_BURST_GAP_MS = 2000;

/** Longest text of one `input:text` event; a longer burst continues in the next event. */
const MAX_TEXT_EVENT = 1000;

/** Codes of keys that only modify others: their presses are not events of their own. */
const MODIFIER_CODE = /^(Shift|Control|Alt|Meta|OS)(Left|Right)?$|^(CapsLock|NumLock|ScrollLock|Fn|FnLock|AltGraph)$/;

/**
 * The event timeline of a recording (FORMAT.md REC9 payload events), in the shapes the player
 * searches: typed text is gathered into bursts (`input:text` {text, durationMs}, at the time of
 * its first character, `durationMs` until its last), other keys are `input:key` {key, modifiers}, button presses `input:click`
 * {x, y, button}; session events are added with {@link add}. Events leave in segment order with
 * {@link take}; a burst still being typed is cut at the segment's end so nothing waits longer
 * than one segment.
 */
export class Timeline {
  private events: TimelineEvent[] = [];
  private burst: { t: number; last: number; text: string } | undefined;

  /** Records permitted, applied input at `t` (ms since the recording start). */
  input(t: number, message: InputMessage): void {
    switch (message.type) {
      case 'input:text':
        this.text(t, message.text);
        return;
      case 'input:key': {
        if (message.action !== 'down' || MODIFIER_CODE.test(message.code)) return;
        const modifiers = (['ctrl', 'alt', 'shift', 'meta'] as const).filter((m) => message.modifiers[m]);
        this.add(t, 'input:key', { key: message.code, ...(modifiers.length ? { modifiers } : {}) });
        return;
      }
      case 'input:pointer':
        if (message.action === 'down') this.add(t, 'input:click', { x: message.x, y: message.y, button: message.button });
        return;
      case 'input:wheel':
        // Scrolling shows in the video; wheel notches would flood the timeline.
        return;
      default: {
        const unreachable: never = message;
        return unreachable;
      }
    }
  }

  /** Adds an event at `t`; ends any burst of typed text first, so the order stays as it happened. */
  add(t: number, type: string, data?: Record<string, unknown>): void {
    this.endBurst();
    this.events.push({ t: Math.max(0, Math.round(t)), type, ...(data ? { data } : {}) });
  }

  /**
   * The events for the segment [startMs, endMs]: those before `endMs`, times clamped into the
   * segment (an event noted while the previous segment was being sealed lands at this one's
   * start). A burst still being typed is cut here and continues in a new event.
   */
  take(startMs: number, endMs: number): TimelineEvent[] {
    if (this.burst && this.burst.t < endMs) this.endBurst();
    const taken = this.events.filter((e) => e.t < endMs);
    this.events = this.events.filter((e) => e.t >= endMs);
    return taken.map((e) => ({ ...e, t: Math.min(endMs, Math.max(startMs, e.t)) })).sort((a, b) => a.t - b.t);
  }

  /** Everything left, for the last segment (which must end at or after the latest event). */
  rest(): TimelineEvent[] {
    this.endBurst();
    const events = this.events;
    this.events = [];
    return events;
  }

  private text(t: number, text: string): void {
    const burst = this.burst;
    if (burst && t - burst.last <= TEXT_BURST_GAP_MS && burst.text.length + text.length <= MAX_TEXT_EVENT) {
      burst.text += text;
      burst.last = t;
      return;
    }
    this.endBurst();
    this.burst = { t: Math.max(0, Math.round(t)), last: t, text };
  }

  private endBurst(): void {
    const burst = this.burst;
    if (!burst) return;
    this.burst = undefined;
    // How long the typing took: a player finds the frame that shows the last character.
    this.events.push({ t: burst.t, type: 'input:text', data: { text: burst.text, durationMs: Math.max(0, Math.round(burst.last) - burst.t) } });
  }
}
