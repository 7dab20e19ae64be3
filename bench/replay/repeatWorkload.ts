// A long recording's content made from the encoded workload: its segments, exactly as the real
// recorder emitted them, repeated on a continuing clock. Each copy starts with the workload's first
// frame, a key frame, so every copy decodes on its own and the whole is valid video (frames from a
// key frame onward never refer to anything before it). The event timeline the host agent would have
// noted is rebuilt from the workload's plan with the host agent's own Timeline.
import type { SegmentContent, TimelineEvent } from '@wardlink/recordings';
import { Timeline } from '../../host-agent/src/recording/Timeline.ts';
import { planWorkload, type Step } from '../workload/plan.ts';
import type { EncodedWorkload } from './EncodedWorkload.ts';

/** What {@link repeatWorkload} made. */
export interface RepeatedWorkload {
  /** Segment contents in order, for `RecordingWriter.sealSegment`. */
  segments: SegmentContent[];
  /** Milliseconds of screen time: the end of the last segment. */
  durationMs: number;
  /** Milliseconds of one copy of the workload. */
  periodMs: number;
  /** Copies started (the last one may be cut short at `durationMs`). */
  copies: number;
  frames: number;
  keyFrames: number;
  /** Bytes of encoded frames. */
  frameBytes: number;
  events: number;
}

/**
 * Repeats `workload` until `durationMs`, cutting the last copy at a segment boundary. Events come
 * from the workload's plan at their nominal times (see {@link planEvents}).
 */
export function repeatWorkload(workload: EncodedWorkload, durationMs: number): RepeatedWorkload {
  const first = workload.segments.find((s) => s.frames.length > 0)?.frames[0];
  if (!first?.key) throw new Error('the encoded workload does not start with a key frame');
  const periodMs = workload.segments.at(-1)!.endMs;
  const events = planEvents(workload, periodMs);
  const segments: SegmentContent[] = [];
  let copies = 0;
  for (let offset = 0; offset < durationMs; offset += periodMs) {
    copies++;
    for (const s of workload.segments) {
      const startMs = s.startMs + offset;
      if (startMs >= durationMs) break;
      const endMs = Math.min(s.endMs + offset, durationMs);
      // Encoder segments end exclusively, recording segments inclusively: a frame exactly at the
      // end belongs to the next segment, which holds it.
      const frames = s.frames.filter((f) => f.t + offset < endMs).map((f) => ({ t: f.t + offset, key: f.key, data: f.data }));
      const own = events.filter((e) => e.t >= s.startMs && e.t < s.endMs && e.t + offset <= endMs).map((e) => ({ ...e, t: e.t + offset }));
      segments.push({ startMs, endMs, frames, events: own });
    }
  }
  const all = segments.flatMap((s) => s.frames);
  return {
    segments,
    durationMs: segments.at(-1)!.endMs,
    periodMs,
    copies,
    frames: all.length,
    keyFrames: all.filter((f) => f.key).length,
    frameBytes: all.reduce((n, f) => n + f.data.length, 0),
    events: segments.reduce((n, s) => n + s.events.length, 0),
  };
}

/**
 * The timeline events of one copy of the workload, as the host agent's Timeline turns input into
 * events: typed text in bursts (`input:text`), other keys (`input:key`), and `session:start` at 0.
 * Times are the plan's nominal ones (block start + nominal step durations) on the recorder's clock;
 * the real run drifts from them by the time xdotool takes, well under a second per block.
 */
export function planEvents(workload: EncodedWorkload, periodMs: number): TimelineEvent[] {
  const plan = planWorkload(workload.seed, workload.minutes);
  const timeline = new Timeline();
  timeline.add(0, 'session:start', { technician: { id: 'bench-tech', name: 'Bench Technician', organisation: 'Bench Vendor KK' }, from: '127.0.0.1', permissions: ['view', 'control'] });
  for (const block of plan.blocks) {
    let t = workload.planStartMs + block.atMs;
    for (const step of block.steps) t = noteStep(timeline, step, t);
  }
  const events = timeline.rest();
  return events.filter((e) => e.t < periodMs).sort((a, b) => a.t - b.t);
}

/** Notes one step's input at `t`; returns the time after it (nominal). */
function noteStep(timeline: Timeline, step: Step, t: number): number {
  switch (step.kind) {
    case 'type':
      for (const ch of step.text) {
        timeline.input(t, { type: 'input:text', text: ch });
        t += step.delayMs;
      }
      return t;
    case 'keys':
      for (const name of step.keys) {
        const parts = name.split('+');
        const code = keyCode(parts.at(-1)!);
        const modifiers = { shift: parts.includes('shift'), ctrl: parts.includes('ctrl'), alt: parts.includes('alt'), meta: false };
        timeline.input(t, { type: 'input:key', action: 'down', code, modifiers });
        t += step.delayMs;
      }
      return t;
    case 'wheel':
      return t + Math.abs(step.clicks) * step.delayMs;
    case 'pause':
      return t + step.ms;
    case 'activate':
    case 'move':
      return t + 150;
    default: {
      const never: never = step;
      return never;
    }
  }
}

/** DOM `KeyboardEvent.code` of an xdotool key name. */
function keyCode(name: string): string {
  const named: Record<string, string> = { Return: 'Enter', space: 'Space', Prior: 'PageUp', Next: 'PageDown', Tab: 'Tab', End: 'End', Home: 'Home', Escape: 'Escape' };
  if (named[name]) return named[name];
  if (/^[a-z]$/i.test(name)) return `Key${name.toUpperCase()}`;
  return name.replace(/[^A-Za-z0-9]/g, '') || 'Unidentified';
}
