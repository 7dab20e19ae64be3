// A full-screen Chromium window (app mode, offline) on an X display, showing a long device
// inventory that scrolls by itself: the "scrolling page" load of the video scenario (issue 5).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_PATH } from '../../test/support/chromium.mjs';
import type { XDisplay } from '../../test/support/xdisplay.ts';
import { scrollingInventoryHtml } from './content.ts';
import { chromiumAppArgs, findWindow, stopChild } from './desktop.ts';

/** Options of {@link ScrollingPage.open}. */
export interface ScrollingPageOptions {
  /** Rows of the inventory table. Default 3,000 (22 pixels each: about 6 minutes of scrolling before it starts over). */
  rows?: number;
  /** Scrolling speed, pixels per second. Default 180 (3 pixels per frame at 60 Hz). */
  pxPerSecond?: number;
  /** Seed of the generated content. Default 1. */
  seed?: number;
}

const DEFAULT_ROWS = 3_000;
const DEFAULT_PX_PER_SECOND = 180;
/** Milliseconds Chromium takes after mapping its window until the page is painted and scrolling. */
const PAINT_MS = 2_000;

/**
 * The page in a Chromium window covering the whole screen, its profile and the generated HTML in a
 * temporary folder. `open()` resolves once the window is mapped and painted; `close()` ends
 * Chromium and removes the folder.
 */
export class ScrollingPage {
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {}

  /** Opens the page full screen on `x`. */
  static async open(x: XDisplay, options: ScrollingPageOptions = {}): Promise<ScrollingPage> {
    const dir = mkdtempSync(join(tmpdir(), 'wl-scroll-'));
    const html = join(dir, 'inventory.html');
    const { rows = DEFAULT_ROWS, pxPerSecond = DEFAULT_PX_PER_SECOND, seed = 1 } = options;
    writeFileSync(html, scrollingInventoryHtml(seed, rows, pxPerSecond));
    const screen = { x: 0, y: 0, width: x.width, height: x.height };
    const args = chromiumAppArgs(join(dir, 'profile'), html, screen, ['--start-fullscreen']);
    const page = new ScrollingPage(x.spawn(CHROMIUM_PATH, args), dir);
    try {
      await findWindow(x, '^wl-inventory$');
      await new Promise((r) => setTimeout(r, PAINT_MS));
      return page;
    } catch (err) {
      await page.close();
      throw err;
    }
  }

  /** Process id of the page's Chromium (its browser process). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Ends Chromium and removes the temporary folder. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await stopChild(this.child);
      // Chromium's helper processes may still be writing to the profile for a moment.
      await rm(this.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    })();
    return this.closing;
  }
}
