// The office workload as data: a seeded plan of steps (typing, keys, wheel, window switches,
// pauses) grouped into active blocks separated by idle gaps. Planning is pure, so a seed and a
// length always give the same plan; only the execution's timing depends on the machine.
import { Random } from './random.ts';

/** The windows of the workload. */
export type WindowName = 'shell' | 'logs' | 'browser';

/** One thing the simulated user does. */
export type Step =
  | { kind: 'activate'; window: WindowName }
  /** Types text at `delayMs` per character (xdotool type). */
  | { kind: 'type'; text: string; delayMs: number }
  /** Presses keys one after another (xdotool key names), `delayMs` apart. */
  | { kind: 'keys'; keys: string[]; delayMs: number }
  /** Moves the pointer to screen pixel (x, y). */
  | { kind: 'move'; x: number; y: number }
  /** Turns the wheel `clicks` notches (positive: down) at the pointer, `delayMs` apart. */
  | { kind: 'wheel'; clicks: number; delayMs: number }
  | { kind: 'pause'; ms: number };

/** Steps that run back to back, starting `atMs` after the workload began. */
export interface Block {
  atMs: number;
  /** Milliseconds the steps take by their nominal delays and pauses. */
  nominalMs: number;
  /** What the block mostly does, for progress lines. */
  label: string;
  steps: Step[];
}

/** The whole workload. */
export interface Plan {
  seed: number;
  /** Milliseconds from start to end (the last idle gap included). */
  durationMs: number;
  blocks: Block[];
  /** Planned idle time / duration (0..1): the gaps between blocks, by nominal step times. */
  idleFraction: number;
}

/** Milliseconds per typed character (about 9 characters per second, a practised typist). */
const TYPE_MS = 110;
/** Milliseconds of an active block, inclusive range. */
const ACTIVE_MS = [30_000, 75_000] as const;
/** Milliseconds of an idle gap, inclusive range (issue 4: 20-60 s). */
const IDLE_MS = [20_000, 60_000] as const;

/** Where the windows are (pixels on the 1024x768 screen); the runner places them there. */
export const LAYOUT = {
  shell: { x: 8, y: 8, columns: 100, rows: 34 },
  logs: { x: 250, y: 200, columns: 94, rows: 33 },
  browser: { x: 120, y: 60, width: 880, height: 640 },
} as const;

/** State the planner tracks so its keystrokes make sense (e.g. `q` only while `less` runs). */
interface PlanState {
  lessOpen: boolean;
  focused: WindowName | undefined;
  notes: number;
}

const duration = (steps: readonly Step[]): number =>
  steps.reduce((sum, s) => {
    switch (s.kind) {
      case 'type':
        return sum + s.text.length * s.delayMs;
      case 'keys':
        return sum + s.keys.length * s.delayMs;
      case 'wheel':
        return sum + Math.abs(s.clicks) * s.delayMs;
      case 'pause':
        return sum + s.ms;
      case 'activate':
      case 'move':
        return sum + 150;
      default: {
        const never: never = s;
        return never;
      }
    }
  }, 0);

const SHELL_COMMANDS: Array<(r: Random, st: PlanState) => string> = [
  () => 'grep -c ERROR service.log',
  (r) => `grep -n ERROR service.log | tail -n ${r.int(12, 28)}`,
  (r) => `grep 'bed ${r.int(1, 3)}[0-9]' service.log | head -n ${r.int(15, 30)}`,
  (r) => `head -n ${r.int(20, 32)} devices.csv`,
  () => "awk -F, '$6==\"offline\"' devices.csv | head -n 25",
  (r) => `sort -t, -k${r.int(2, 5)} devices.csv | tail -n 25`,
  () => 'wc -l service.log devices.csv',
  () => 'ls -l',
  (r, st) => `echo 'round ${++st.notes}: bed ${r.int(1, 40)} ${r.pick(['pump ok', 'monitor rebooted', 'cable replaced', 'firmware noted'])}' >> notes.txt`,
  () => 'cat notes.txt',
  () => 'cut -d, -f1,6 devices.csv | sort | uniq -c | sort -rn | head -n 20',
  (r) => `tail -n ${r.int(150, 400)} service.log`,
  () => 'clear',
];

const CELL_VALUES = ['ok', 'checked', 'offline', '4.2.1', '5.0.3', 'replaced', 'update due', '2026-11-24'];

function activate(st: PlanState, window: WindowName, r: Random): Step[] {
  if (st.focused === window) return [];
  st.focused = window;
  return [{ kind: 'activate', window }, { kind: 'pause', ms: r.int(600, 1500) }];
}

/** A command typed at the shell, then read. */
function shellCommand(r: Random, st: PlanState): Step[] {
  const text = r.pick(SHELL_COMMANDS)(r, st);
  return [
    ...activate(st, 'shell', r),
    { kind: 'type', text, delayMs: TYPE_MS },
    { kind: 'keys', keys: ['Return'], delayMs: 100 },
    { kind: 'pause', ms: r.int(1500, 6000) },
  ];
}

/** Paging through the service log in `less`, with a search now and then. */
function readLog(r: Random, st: PlanState): Step[] {
  const steps: Step[] = [...activate(st, 'logs', r)];
  if (!st.lessOpen) {
    steps.push({ kind: 'type', text: 'less -S service.log', delayMs: TYPE_MS }, { kind: 'keys', keys: ['Return'], delayMs: 400 });
    st.lessOpen = true;
  }
  for (let i = r.int(3, 8); i > 0; i--) {
    const what = r.weighted({ page: 6, half: 2, search: 1, next: 1, back: 1 });
    if (what === 'page') steps.push({ kind: 'keys', keys: ['space'], delayMs: 100 });
    else if (what === 'half') steps.push({ kind: 'keys', keys: ['d'], delayMs: 100 });
    else if (what === 'back') steps.push({ kind: 'keys', keys: ['b'], delayMs: 100 });
    else if (what === 'next') steps.push({ kind: 'keys', keys: ['n'], delayMs: 100 });
    else steps.push({ kind: 'type', text: `/${r.pick(['ERROR', 'WARN', 'expires', 'retrying', 'bed 2'])}`, delayMs: TYPE_MS }, { kind: 'keys', keys: ['Return'], delayMs: 100 });
    steps.push({ kind: 'pause', ms: r.int(1500, 5000) });
  }
  if (r.next() < 0.3) {
    steps.push({ kind: 'keys', keys: ['q'], delayMs: 300 });
    st.lessOpen = false;
  }
  return steps;
}

/** Scrolling back through the shell's earlier output and returning to the prompt. */
function scrollBack(r: Random, st: PlanState): Step[] {
  const n = r.int(2, 5);
  const steps: Step[] = [...activate(st, 'shell', r)];
  for (let i = 0; i < n; i++) steps.push({ kind: 'keys', keys: ['shift+Prior'], delayMs: 100 }, { kind: 'pause', ms: r.int(800, 2500) });
  steps.push({ kind: 'keys', keys: Array<string>(n).fill('shift+Next'), delayMs: 250 }, { kind: 'pause', ms: r.int(800, 2000) });
  return steps;
}

/** Reading down (or up) the inventory table with the wheel. */
function browserScroll(r: Random, st: PlanState): Step[] {
  const b = LAYOUT.browser;
  const steps: Step[] = [...activate(st, 'browser', r)];
  steps.push({ kind: 'move', x: b.x + r.int(200, b.width - 100), y: b.y + r.int(150, b.height - 80) });
  for (let i = r.int(2, 5); i > 0; i--) {
    const clicks = r.int(2, 8) * (r.next() < 0.75 ? 1 : -1);
    steps.push({ kind: 'wheel', clicks, delayMs: r.int(120, 400) }, { kind: 'pause', ms: r.int(1200, 4000) });
  }
  if (r.next() < 0.3) steps.push({ kind: 'keys', keys: [r.pick(['Next', 'Prior', 'End', 'Home'])], delayMs: 100 }, { kind: 'pause', ms: r.int(1500, 3000) });
  return steps;
}

/** Moving the cell cursor and overwriting a few cells. */
function browserEdit(r: Random, st: PlanState): Step[] {
  const steps: Step[] = [...activate(st, 'browser', r)];
  for (let i = r.int(1, 3); i > 0; i--) {
    const down = r.int(-4, 14);
    const keys = [
      ...Array<string>(Math.abs(down)).fill(down < 0 ? 'Up' : 'Down'),
      ...Array<string>(r.int(0, 3)).fill(r.next() < 0.5 ? 'Left' : 'Right'),
    ];
    if (keys.length) steps.push({ kind: 'keys', keys, delayMs: 160 });
    steps.push(
      { kind: 'pause', ms: r.int(500, 1500) },
      { kind: 'type', text: r.pick(CELL_VALUES), delayMs: TYPE_MS },
      { kind: 'keys', keys: ['Return'], delayMs: 100 },
      { kind: 'pause', ms: r.int(800, 2500) },
    );
  }
  return steps;
}

/** Alt+Tab to the previous window (openbox shows its switcher briefly), then a look around. */
function windowSwitch(r: Random, st: PlanState): Step[] {
  st.focused = undefined;
  return [
    { kind: 'keys', keys: ['alt+Tab'], delayMs: 300 },
    { kind: 'pause', ms: r.int(1000, 3000) },
    { kind: 'move', x: r.int(100, 900), y: r.int(100, 700) },
    { kind: 'pause', ms: r.int(500, 1500) },
  ];
}

const ACTIONS = { shellCommand, readLog, scrollBack, browserScroll, browserEdit, windowSwitch } as const;
const WEIGHTS: Record<keyof typeof ACTIONS, number> = {
  shellCommand: 5,
  readLog: 3,
  scrollBack: 1,
  browserScroll: 3,
  browserEdit: 3,
  windowSwitch: 1,
};

/**
 * Plans `minutes` of office work from `seed`: active blocks of 30-75 s (each a few actions drawn
 * by weight) alternating with idle gaps of 20-60 s, so that a bit over a third of the time is idle.
 */
export function planWorkload(seed: number, minutes: number): Plan {
  const r = new Random(seed);
  const durationMs = Math.round(minutes * 60_000);
  const st: PlanState = { lessOpen: false, focused: undefined, notes: 0 };
  const blocks: Block[] = [];
  let at = 0;
  let active = 0;
  while (at < durationMs - 5_000) {
    const target = Math.min(r.int(...ACTIVE_MS), durationMs - at);
    const steps: Step[] = [];
    const kinds: string[] = [];
    while (duration(steps) < target - 3_000) {
      const kind = r.weighted(WEIGHTS);
      kinds.push(kind);
      steps.push(...ACTIONS[kind](r, st));
    }
    const nominalMs = duration(steps);
    blocks.push({ atMs: at, nominalMs, label: [...new Set(kinds)].join('+'), steps });
    active += Math.min(nominalMs, durationMs - at);
    at += nominalMs + r.int(...IDLE_MS);
  }
  return { seed, durationMs, blocks, idleFraction: 1 - active / durationMs };
}
