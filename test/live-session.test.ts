// End to end: a real broker, a real host agent on Xvfb showing an xterm, and
// headless Chromium as both the technician and the ward user.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startAgent, type TestAgent } from './support/agent.ts';
import { launchBrowser, signInPage } from './support/browser.ts';
import { startBroker, type TestBroker } from './support/broker.ts';
import { blockGrid, grabVideoFrame, gridDistance, gridSpread, pagePointForHostPixel } from './support/frames.ts';
import { run, tempDir } from './support/processes.ts';
import { setUpRecording, type RecordingSetup } from './support/recording.ts';
import { startXDisplay, type XDisplay } from './support/xdisplay.ts';

describe('live remote-control session (SES1-SES7, PIN1, CON1-CON2, INP1-INP4)', () => {
  let x: XDisplay;
  let broker: TestBroker;
  let agent: TestAgent;
  let recording: RecordingSetup;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let ward: Page;
  let tech: Page;
  const work = tempDir('e2e');

  before(async () => {
    x = await startXDisplay({ width: 1280, height: 800, wm: true });
    await run('xsetroot', ['-solid', '#2a6f3a'], { env: x.env });
    x.spawn('xterm', ['-geometry', '70x20+60+50', '-bg', '#f4f0e0', '-fg', '#102030', '-e', 'sh']);
    broker = await startBroker();
    // Recorded, as every session is by default (issue 4).
    recording = await setUpRecording(broker);
    agent = await startAgent({ broker, display: x.display, name: 'Ward 3 PC', recording });
    browser = await launchBrowser();
    ward = await browser.context.newPage();
    tech = await browser.context.newPage();
  });

  after(async () => {
    await browser?.close();
    await agent?.stop();
    await broker?.stop();
    recording?.remove();
    await x?.stop();
    work.remove();
  });

  test('SES1-SES7: the technician signs in with password + TOTP, enters the code and PIN read out by the ward user, the ward user allows it, and the host screen shows', async () => {
    const user = await broker.addUser({ name: 'Sato Ken', org: 'Lab Vendor KK' });
    await ward.goto(agent.uiUrl);
    await ward.getByRole('button', { name: 'Get help' }).click();
    const code = (await ward.getByLabel('Session code').textContent())!.replace(/\D/g, '');
    assert.match(code, /^\d{9}$/);
    const pin = (await ward.getByLabel('PIN', { exact: true }).textContent())!.replace(/\D/g, '');
    assert.match(pin, /^\d{8}$/);

    await signInPage(tech, broker.url, user);
    await tech.getByRole('cell', { name: 'Ward 3 PC' }).first().waitFor();
    await tech.getByRole('textbox', { name: 'Session code' }).fill(`${code.slice(0, 3)} ${code.slice(3, 6)} ${code.slice(6)}`);
    await tech.getByLabel('PIN', { exact: true }).fill(`${pin.slice(0, 4)} ${pin.slice(4)}`);
    await tech.getByRole('button', { name: 'Connect' }).click();

    // CON1/CON2: the ward user sees who asks for what and allows it; the technician waits meanwhile.
    await tech.getByRole('status').filter({ hasText: 'Waiting for the ward user' }).first().waitFor();
    const prompt = ward.getByRole('alertdialog', { name: 'Allow this technician to connect?' });
    await prompt.waitFor();
    await prompt.getByText('Sato Ken').waitFor();
    await prompt.getByText('Lab Vendor KK').waitFor();
    await prompt.getByText('This session will be recorded.').waitFor();
    assert.equal(await prompt.getByRole('checkbox', { name: 'See your screen' }).isChecked(), true);
    assert.equal(await prompt.getByRole('checkbox', { name: 'Use your mouse and keyboard' }).isChecked(), true);
    await prompt.getByRole('button', { name: 'Allow' }).click();

    const video = tech.getByLabel('Remote screen');
    await video.waitFor();
    await waitUntil(
      () =>
        video.evaluate((el) => {
          const v = el as HTMLVideoElement;
          return v.videoWidth === 1280 && v.videoHeight === 800 && v.currentTime > 0;
        }),
      30_000,
      'no 1280x800 video frame was decoded in the viewer',
    );
    await ward.getByText('Sato Ken').first().waitFor();
    await tech.getByText('This session is recorded for the hospital’s auditors.').waitFor();

    // The decoded frame shows the host's screen: tile by tile it matches the host's own screenshot,
    // and it does not match the same screenshot shifted sideways (so the check can fail). The
    // encoder starts at a low bitrate and refines, so frames are compared until one matches.
    const shot = await x.screenshot();
    const truth = blockGrid(shot.width, shot.height, shot.data);
    assert.ok(gridSpread(truth) > 20, 'the host screen has visible structure');
    let distance = Infinity;
    let shifted = 0;
    for (const deadline = Date.now() + 20_000; distance > 4 && Date.now() < deadline; ) {
      const frame = await grabVideoFrame(video);
      assert.deepEqual([frame.width, frame.height], [shot.width, shot.height]);
      const seen = blockGrid(frame.width, frame.height, frame.data);
      distance = gridDistance(seen, truth);
      shifted = gridDistance(seen, truth, 8);
      if (distance > 4) await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(distance <= 4, `video differs from the host screen: ${distance.toFixed(2)}`);
    assert.ok(shifted > distance * 3, `a shifted screen should differ: ${shifted.toFixed(2)} vs ${distance.toFixed(2)}`);
  });

  test('INP2: a command typed in the viewer runs in the host xterm and creates a file', async () => {
    const video = tech.getByLabel('Remote screen');
    const point = await pagePointForHostPixel(video, 300, 200);
    await tech.mouse.click(point.x, point.y);
    const target = join(work.path, 'created_by-wardlink');
    await tech.keyboard.type(`touch ${target}`);
    await tech.keyboard.press('Enter');
    await waitUntil(() => existsSync(target), 15_000, `${target} was not created`);
  });

  test('INP2: a pointer click lands on the exact host pixel', async () => {
    const video = tech.getByLabel('Remote screen');
    for (const [hx, hy] of [
      [901, 611],
      [17, 783],
    ] as const) {
      const point = await pagePointForHostPixel(video, hx, hy);
      await tech.mouse.move(point.x, point.y);
      await tech.mouse.down();
      await tech.mouse.up();
      let at = '';
      await waitUntil(
        async () => (at = (await pointer(x)).join(',')) === `${hx},${hy}`,
        5000,
        () => `pointer is at ${at}, expected ${hx},${hy}`,
      );
    }
  });

  test('SES5: End session on the ward page ends the session in the viewer at once', async () => {
    await ward.getByRole('button', { name: 'End session' }).click();
    await tech.getByRole('status').filter({ hasText: /ended/i }).first().waitFor({ timeout: 10_000 });
    await ward.getByRole('button', { name: 'Get help' }).waitFor();
  });
});

async function pointer(x: XDisplay): Promise<[number, number]> {
  const out = await run('xdotool', ['getmouselocation', '--shell'], { env: x.env });
  const get = (k: string): number => Number(new RegExp(`^${k}=(\\d+)`, 'm').exec(out)?.[1]);
  return [get('X'), get('Y')];
}

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, message: string | (() => string)): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(typeof message === 'function' ? message() : message);
    await new Promise((r) => setTimeout(r, 100));
  }
}
