// The auditor in headless Chromium, doing what an auditor does in the console: sign in, make a
// recording key in the browser (the admin approves it with the CLI), find a recording in the
// index, open it, and move around in it. replayProbe.ts is injected before the viewer loads, so
// every timing is taken inside the page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transform } from 'esbuild';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, signInPage } from '../../test/support/browser.ts';
import type { TestBroker, TestUser } from '../../test/support/broker.ts';
import type { OpenTimes, ReplayProbe, SeekSample, SliderSample } from './replayProbe.ts';

/** The page's global that replayProbe.ts installs. */
type ProbeWindow = Window & { __wlReplay: ReplayProbe };

/** Milliseconds an open (fetch and verify every segment) may take. */
const OPEN_TIMEOUT_MS = 180_000;
/** Milliseconds a slider seek may take to paint. */
const SLIDER_TIMEOUT_MS = 10_000;

/** The auditor's browser key as the broker knows it. */
export interface BrowserKey {
  keyId: string;
  /** Raw X25519 public key, base64url. */
  publicKey: string;
}

/** Headless Chromium with the auditor signed in to the console. */
export class AuditorBrowser {
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly browser: Awaited<ReturnType<typeof launchBrowser>>,
    readonly page: Page,
  ) {}

  /** Launches Chromium with the probe and signs `auditor` in. */
  static async start(broker: TestBroker, auditor: TestUser): Promise<AuditorBrowser> {
    const probe = await transform(readFileSync(join(import.meta.dirname, 'replayProbe.ts'), 'utf8'), { loader: 'ts', format: 'iife', target: 'es2022' });
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.addInitScript({ content: probe.code });
      await signInPage(page, broker.url, auditor);
      return new AuditorBrowser(browser, page);
    } catch (err) {
      await browser.close();
      throw err;
    }
  }

  /** The player element (inside the console's shadow root). */
  get player(): Locator {
    return this.page.locator('wl-recording-player');
  }

  /**
   * Creates a recording key in this browser (private half non-extractable, kept in IndexedDB), has
   * `approve` run the admin's CLI on the id the page names, and waits until the console says it is
   * approved. Returns the key as the broker lists it (GET /api/auditor/keys from the page).
   */
  async createKey(approve: (keyId: string) => Promise<void>): Promise<BrowserKey> {
    const keys = this.page.getByRole('region', { name: 'Your recording key' });
    await keys.getByRole('button', { name: 'Create a recording key' }).click();
    const status = keys.getByRole('status').filter({ hasText: 'Waiting for the administrator' });
    await status.waitFor();
    const keyId = /approve (\S+)/.exec((await status.textContent()) ?? '')?.[1];
    if (!keyId) throw new Error('the console names no key id to approve');
    await approve(keyId);
    await this.page.reload();
    await keys.getByRole('status').filter({ hasText: 'Approved' }).waitFor();
    const listed = await this.page.evaluate(() =>
      fetch('/api/auditor/keys', { headers: { accept: 'application/json' } }).then((r) => r.json() as Promise<{ data?: { keys: BrowserKey[] } }>),
    );
    const key = listed.data?.keys.find((k) => k.keyId === keyId);
    if (!key) throw new Error(`GET /api/auditor/keys does not list ${keyId}`);
    return { keyId, publicKey: key.publicKey };
  }

  /** Lists the recordings, clicks Open on the one of `hostName`, and times it until the first frame. */
  async open(hostName: string): Promise<OpenTimes> {
    await this.page.getByRole('button', { name: 'Show recordings' }).click();
    const open = this.page.getByRole('button', { name: new RegExp(`Open the recording of ${hostName}`) }).first();
    await open.waitFor();
    await this.page.evaluate(() => (window as unknown as ProbeWindow).__wlReplay.armOpen());
    await open.click();
    const times = await this.page.evaluate((timeoutMs) => (window as unknown as ProbeWindow).__wlReplay.openTimes(timeoutMs), OPEN_TIMEOUT_MS);
    if (times.state !== 'verified') throw new Error(`the player says ${times.state}, not verified`);
    if (times.firstPaintAt === undefined) throw new Error('no frame was painted after the recording verified');
    return times;
  }

  /** Back to the index (closes the player). */
  async back(): Promise<void> {
    await this.page.getByRole('button', { name: 'Back to the list' }).click();
    await this.player.waitFor({ state: 'detached' });
  }

  /** Seeks to each of `targets` with the player's `seek(ms)`, one after another. */
  seekAll(targets: number[], pauseMs: number): Promise<SeekSample[]> {
    return this.player.evaluate(
      (el, args) => (window as unknown as ProbeWindow).__wlReplay.seekAll(el as never, args.targets, args.pauseMs),
      { targets, pauseMs },
    );
  }

  /** Clicks the position slider at `fraction` (0..1) of its width and times the paint that follows. */
  async sliderSeek(fraction: number): Promise<SliderSample> {
    const slider = this.player.getByRole('slider', { name: 'Position' });
    await slider.scrollIntoViewIfNeeded();
    const box = await slider.boundingBox();
    if (!box) throw new Error('the position slider is not visible');
    await this.page.evaluate(() => (window as unknown as ProbeWindow).__wlReplay.armSlider());
    await this.page.mouse.click(box.x + box.width * fraction, box.y + box.height / 2);
    return this.player.evaluate((el, timeoutMs) => (window as unknown as ProbeWindow).__wlReplay.sliderResult(el as never, timeoutMs), SLIDER_TIMEOUT_MS);
  }

  /** The player's duration, milliseconds (the slider's maximum). */
  async durationMs(): Promise<number> {
    return Number(await this.player.getByRole('slider', { name: 'Position' }).getAttribute('max'));
  }

  /** Closes Chromium. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.browser.close();
    return this.closing;
  }
}
