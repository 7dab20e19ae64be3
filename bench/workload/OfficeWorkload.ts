// Runs a workload plan on an X display: two xterms and the inventory page in Chromium (app
// mode, offline), driven with xdotool.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_PATH } from '../../test/support/chromium.mjs';
import type { XDisplay } from '../../test/support/xdisplay.ts';
import { writeContent } from './content.ts';
import { chromiumAppArgs, findWindow, stopChild } from './desktop.ts';
import { LAYOUT, planWorkload, type Plan, type Step, type WindowName } from './plan.ts';

/** Options of {@link OfficeWorkload}. */
export interface OfficeWorkloadOptions {
  /** Minutes of work (issue 4: 10). */
  minutes: number;
  /** Seed of the plan. Default 1. */
  seed?: number;
  /** One progress line per block. */
  log?: (message: string) => void;
}

/** Screen size the workload is laid out for (issue 4: XGA). */
export const WORKLOAD_SCREEN = { width: 1024, height: 768 } as const;

const TERM_COLOURS = { shell: ['#fdf6e3', '#1d2733'], logs: ['#0f1f2e', '#d7e3ee'] } as const;

/**
 * The scripted office workload of issue 4 on an XGA display with openbox: typing commands in a
 * shell, paging a log in `less`, scrolling back, reading and editing a table in Chromium, window
 * switches, and idle gaps. `setUp()` opens the windows (in a temporary folder holding the
 * generated files), `run()` plays the plan once, `close()` closes everything and removes the folder.
 */
export class OfficeWorkload {
  /** The plan `run()` plays. */
  readonly plan: Plan;
  private readonly dir = mkdtempSync(join(tmpdir(), 'wl-workload-'));
  private readonly windows = new Map<WindowName, string>();
  private readonly children: ChildProcess[] = [];
  private closed = false;

  constructor(
    private readonly x: XDisplay,
    private readonly options: OfficeWorkloadOptions,
  ) {
    this.plan = planWorkload(options.seed ?? 1, options.minutes);
  }

  /** Opens the windows and waits until all three are mapped; leaves the shell focused. */
  async setUp(): Promise<void> {
    const files = writeContent(this.dir, this.plan.seed);
    await this.x.run('xsetroot', ['-solid', '#35506b']);
    for (const name of ['logs', 'shell'] as const) {
      const l = LAYOUT[name];
      const [bg, fg] = TERM_COLOURS[name];
      this.children.push(
        this.x.spawn('xterm', [
          '-T', `wl-${name}`, '-xrm', 'XTerm*allowTitleOps: false', '-xrm', 'XTerm*saveLines: 2000',
          '-geometry', `${l.columns}x${l.rows}+${l.x}+${l.y}`, '-fa', 'DejaVu Sans Mono', '-fs', '10',
          '-bg', bg, '-fg', fg, '-e', 'sh', '-c', `cd '${this.dir}' && PS1='ward-pc:~$ ' exec bash --norc --noprofile`,
        ]),
      );
      this.windows.set(name, await findWindow(this.x, `^wl-${name}$`));
    }
    this.children.push(this.x.spawn(CHROMIUM_PATH, chromiumAppArgs(join(this.dir, 'profile'), files.html, LAYOUT.browser)));
    this.windows.set('browser', await findWindow(this.x, '^wl-inventory$'));
    // Chromium maps its window before it has painted the page.
    await new Promise((r) => setTimeout(r, 2_000));
    await this.xdotool(['windowactivate', '--sync', this.windows.get('shell')!]);
  }

  /** Plays the plan; resolves at `plan.durationMs` after the start (the last idle gap included). */
  async run(signal?: AbortSignal): Promise<void> {
    const started = performance.now();
    const log = this.options.log;
    for (const [i, block] of this.plan.blocks.entries()) {
      await sleepUntil(started + block.atMs, signal);
      log?.(`workload: block ${i + 1}/${this.plan.blocks.length} at ${(block.atMs / 1000).toFixed(0)} s: ${block.label}`);
      for (const step of block.steps) {
        if (signal?.aborted || this.closed) return;
        await this.play(step);
      }
    }
    await sleepUntil(started + this.plan.durationMs, signal);
  }

  /** Closes the windows, waits for them to exit and removes the temporary folder. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.children.map((child) => stopChild(child)));
    // Chromium's helper processes may still be writing to the profile for a moment.
    await rm(this.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }

  private async play(step: Step): Promise<void> {
    switch (step.kind) {
      case 'activate':
        await this.xdotool(['windowactivate', '--sync', this.windows.get(step.window)!]);
        return;
      case 'type':
        await this.xdotool(['type', '--delay', String(step.delayMs), '--', step.text]);
        return;
      case 'keys':
        await this.xdotool(['key', '--delay', String(step.delayMs), ...step.keys]);
        return;
      case 'move':
        await this.xdotool(['mousemove', String(step.x), String(step.y)]);
        return;
      case 'wheel':
        await this.xdotool(['click', '--repeat', String(Math.abs(step.clicks)), '--delay', String(step.delayMs), step.clicks > 0 ? '5' : '4']);
        return;
      case 'pause':
        await new Promise((r) => setTimeout(r, step.ms));
        return;
      default: {
        const never: never = step;
        throw new Error(`unknown step ${JSON.stringify(never)}`);
      }
    }
  }

  private xdotool(args: string[]): Promise<string> {
    return this.x.run('xdotool', args, { timeoutMs: 120_000 });
  }
}

function sleepUntil(at: number, signal?: AbortSignal): Promise<void> {
  const ms = at - performance.now();
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
