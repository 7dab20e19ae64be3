import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transform } from 'esbuild';
import type { Locator, Page } from 'playwright-core';
import { startAgent, type TestAgent } from '../../test/support/agent.ts';
import { launchBrowser, signInPage } from '../../test/support/browser.ts';
import { startBroker, type TestBroker } from '../../test/support/broker.ts';
import { pagePointForHostPixel } from '../../test/support/frames.ts';
import { run } from '../../test/support/processes.ts';
import { setUpRecording, type RecordingSetup } from '../../test/support/recording.ts';
import { startXDisplay, type XDisplay } from '../../test/support/xdisplay.ts';
import { argsOf, childrenOf } from '../lib/proc.ts';
import { sleep } from '../lib/progress.ts';
import type { BenchProbe, SetupTimes } from './probe.ts';

/** The page's global that probe.ts installs. */
export type ProbeWindow = Window & { __wlBench: BenchProbe };

/** Host screen size of every live scenario (issue 5: 1280x800). */
export const SCREEN = { width: 1280, height: 800 } as const;

/** Window title of the xterm whose shell prompt receives the typed keys. */
export const PROMPT_TITLE = 'wardlink-bench-prompt';

/** Milliseconds a connect may take before the run counts as failed. */
const CONNECT_TIMEOUT_MS = 20_000;

/** Name of the host as technicians see it. */
const HOST_NAME = 'Bench PC';

/** Options of {@link LiveRig.start}. */
export interface LiveRigOptions {
  /**
   * True: the product's default, every session recorded (an admin-signed policy with one approved
   * auditor, SREC1). False: the agent runs `--recording off`, the live path alone.
   */
  recording: boolean;
}

/**
 * Everything a live session needs, started once and shared by the live scenarios: an Xvfb
 * display (openbox, an xterm at an idle shell prompt), a broker, a host agent, and headless
 * Chromium with the ward user's page and the signed-in technician's page. The technician's page
 * carries probe.ts, so timings are taken inside the page.
 */
export class LiveRig {
  private closing: Promise<void> | undefined;

  private constructor(
    /** Whether the agent records every session. */
    readonly recording: boolean,
    readonly x: XDisplay,
    readonly broker: TestBroker,
    readonly agent: TestAgent,
    private readonly browser: Awaited<ReturnType<typeof launchBrowser>>,
    /** The ward user's page on the host. */
    readonly ward: Page,
    /** The technician's page, instrumented. */
    readonly tech: Page,
    private readonly policy: RecordingSetup | undefined,
  ) {}

  /** Starts every process and signs the technician in; with `recording`, sets up the recording policy first. */
  static async start(log: (message: string) => void, options: LiveRigOptions): Promise<LiveRig> {
    const probe = await transform(readFileSync(join(import.meta.dirname, 'probe.ts'), 'utf8'), {
      loader: 'ts',
      format: 'iife',
      target: 'es2022',
    });
    const x = await startXDisplay({ ...SCREEN, wm: true });
    const stack: Array<() => Promise<void>> = [() => x.stop()];
    try {
      await run('xsetroot', ['-solid', '#2a6f3a'], { env: x.env });
      x.spawn('xterm', [
        '-title', PROMPT_TITLE,
        '-geometry', '80x24+40+40',
        '-fa', 'DejaVu Sans Mono', '-fs', '14',
        '-bg', '#f4f0e0', '-fg', '#102030',
        '-e', 'env', 'PS1=$ ', 'sh',
      ]);
      log(`live: Xvfb ${x.display} ${SCREEN.width}x${SCREEN.height} with openbox and an xterm`);
      const broker = await startBroker();
      stack.unshift(() => broker.stop());
      const user = await broker.addUser({ username: 'bench', name: 'Bench Technician', org: 'Bench Vendor KK' });
      const policy = options.recording ? await setUpRecording(broker) : undefined;
      if (policy) stack.unshift(() => Promise.resolve(policy.remove()));
      const agent = await startAgent({
        broker,
        display: x.display,
        name: HOST_NAME,
        // Unattended (CON3): setup time measures the machines, not a ward user's reaction to the prompt.
        // Info: one line per lifecycle change, which the session scenario times the recorder by.
        env: { WARDLINK_UNATTENDED: 'yes', WARDLINK_LOG_LEVEL: 'info' },
        ...(policy ? { recording: policy } : {}),
      });
      stack.unshift(() => agent.stop());
      log(
        `live: broker on port ${broker.port}, host agent pid ${agent.proc.child.pid}, ` +
          (policy ? 'recording every session (policy with one approved auditor)' : 'recording off'),
      );
      const browser = await launchBrowser();
      stack.unshift(() => browser.close());
      const ward = await browser.context.newPage();
      await ward.goto(agent.uiUrl);
      const tech = await browser.context.newPage();
      await tech.addInitScript({ content: probe.code });
      await signInPage(tech, broker.url, user);
      await tech.getByRole('cell', { name: HOST_NAME }).first().waitFor();
      log('live: Chromium signed in as the technician');
      return new LiveRig(options.recording, x, broker, agent, browser, ward, tech, policy);
    } catch (err) {
      for (const stop of stack) await stop().catch(() => undefined);
      throw err;
    }
  }

  /** The remote screen `<video>` of the open session. */
  get video(): Locator {
    return this.tech.getByLabel('Remote screen');
  }

  /** Process id of the host agent (node). */
  get agentPid(): number {
    return this.agent.proc.child.pid!;
  }

  /**
   * Process id of the agent's live capture child (ffmpeg x11grab at the live frame rate, 30), while
   * a session is live. The recorder's own x11grab runs at a few fps (4) and its encoders read a
   * pipe, so the frame rate tells them apart.
   */
  ffmpegPid(): number | undefined {
    return childrenOf(this.agentPid).find((c) => {
      if (c.comm !== 'ffmpeg') return false;
      const args = argsOf(c.pid);
      const fps = Number(args[args.indexOf('-framerate') + 1]);
      return args.includes('x11grab') && fps >= 10;
    })?.pid;
  }

  /** Everything the host agent has logged so far (pino JSON lines, level info and above). */
  agentLog(): string {
    return this.agent.proc.output();
  }

  /**
   * Ward user: Get help, reads the code and PIN. Technician: types both, clicks Connect, and the
   * probe times click -> first frame (PIN handshake included; the agent is unattended, so no
   * consent prompt waits for a person). Resolves once that frame was painted at the full host size.
   */
  async connect(): Promise<SetupTimes> {
    await this.ward.getByRole('button', { name: 'Get help' }).click();
    const code = ((await this.ward.getByLabel('Session code').textContent()) ?? '').replace(/\D/g, '');
    if (!/^\d{9}$/.test(code)) throw new Error(`the ward page shows no session code (${code})`);
    const pin = ((await this.ward.getByLabel('PIN', { exact: true }).textContent()) ?? '').replace(/\D/g, '');
    if (!/^\d{8}$/.test(pin)) throw new Error('the ward page shows no PIN');
    await this.tech.bringToFront();
    await this.tech.getByRole('textbox', { name: 'Session code' }).fill(code);
    await this.tech.getByLabel('PIN', { exact: true }).fill(pin);
    await this.tech.evaluate(() => (window as unknown as ProbeWindow).__wlBench.armSetup());
    await this.tech.getByRole('button', { name: 'Connect' }).click();
    const times = await this.tech.evaluate(
      (timeoutMs) => (window as unknown as ProbeWindow).__wlBench.setupTimes(timeoutMs),
      CONNECT_TIMEOUT_MS,
    );
    if (times.clickAt === undefined) throw new Error('the probe did not see the click on Connect');
    if (times.firstFrameAt === undefined) throw new Error(`no video frame within ${CONNECT_TIMEOUT_MS} ms of Connect`);
    // The page's own code must not define named functions: tsx would wrap them in a helper the page lacks.
    for (const deadline = Date.now() + 10_000; ; ) {
      const [w, h] = await this.video.evaluate((el) => [(el as HTMLVideoElement).videoWidth, (el as HTMLVideoElement).videoHeight]);
      if (w === SCREEN.width && h === SCREEN.height) break;
      if (Date.now() > deadline) throw new Error(`the video is ${w}x${h}, not ${SCREEN.width}x${SCREEN.height}`);
      await sleep(20);
    }
    return times;
  }

  /**
   * The technician ends the session (unless the host ended it already: then the viewer offers only
   * Back) and goes back to the connect form; the ward page offers Get help again.
   */
  async disconnect(): Promise<void> {
    const end = this.tech.getByRole('button', { name: 'End session' });
    const back = this.tech.getByRole('button', { name: 'Back to the PC list' });
    await end.or(back).first().waitFor();
    if (await end.isVisible()) await end.click();
    await back.click();
    await this.tech.getByRole('button', { name: 'Connect' }).waitFor();
    await this.ward.getByRole('button', { name: 'Get help' }).waitFor();
  }

  /** Clicks host pixel (x, y) through the viewer. */
  async clickHost(x: number, y: number): Promise<void> {
    const point = await pagePointForHostPixel(this.video, x, y);
    await this.tech.mouse.click(point.x, point.y);
  }

  /** Stops Chromium, the agent, the broker and the display. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.browser.close().catch(() => undefined);
      await this.agent.stop().catch(() => undefined);
      await this.broker.stop().catch(() => undefined);
      this.policy?.remove();
      await this.x.stop();
    })();
    return this.closing;
  }
}
