// Issue 4 acceptance, the way people do it: an auditor makes a recording key in their browser and the
// admin approves it; a technician (Chromium) types a distinctive word into the host's xterm in a
// recorded session; the auditor (another browser with its own key) finds the recording, searches the
// word, and playback jumps to within 2 s of when it was typed, showing the word. A byte flipped in a
// stored segment is then reported by the player with the segment's number.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { openRecording } from '@wardlink/recordings';
import { readRecordingFolder } from '@wardlink/recordings/node';
import { startAgent, type TestAgent } from './support/agent.ts';
import { launchBrowser, signInPage } from './support/browser.ts';
import { startBroker, type TestBroker } from './support/broker.ts';
import { blockGrid, gridSpread, pagePointForHostPixel, type Grid } from './support/frames.ts';
import { setUpRecording, type RecordingSetup } from './support/recording.ts';
import { startXDisplay, type XDisplay } from './support/xdisplay.ts';

const WORD = 'zebrafinch42';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('recordings: search and replay in the browser (issue 4)', () => {
  let x: XDisplay;
  let broker: TestBroker;
  let setup: RecordingSetup;
  let agent: TestAgent;
  let techBrowser: Awaited<ReturnType<typeof launchBrowser>>;
  let auditBrowser: Awaited<ReturnType<typeof launchBrowser>>;
  let audit: Page;
  let recordingId = '';
  /** Host screenshots just before and after the word was typed. */
  let shotBefore: Grid;
  let shotAfter: Grid;

  before(async () => {
    x = await startXDisplay({ width: 1024, height: 768 });
    x.spawn('xterm', ['-geometry', '48x12+30+30', '-fa', 'DejaVu Sans Mono', '-fs', '20', '-bg', '#f4f0e0', '-fg', '#102030', '-e', 'sh']);
    broker = await startBroker();
    setup = await setUpRecording(broker);
    techBrowser = await launchBrowser();
    auditBrowser = await launchBrowser();
    audit = await auditBrowser.context.newPage();
  });

  after(async () => {
    await techBrowser?.close();
    await auditBrowser?.close();
    await agent?.stop();
    await broker?.stop();
    setup?.remove();
    await x?.stop();
  });

  test('the auditor makes a key in the browser; the admin approves it', async () => {
    await signInPage(audit, broker.url, setup.auditor);
    const keys = audit.getByRole('region', { name: 'Your recording key' });
    await keys.getByRole('button', { name: 'Create a recording key' }).click();
    const status = keys.getByRole('status').filter({ hasText: 'Waiting for the administrator' });
    await status.waitFor();
    const keyId = /approve (\S+)/.exec((await status.textContent()) ?? '')?.[1];
    assert.ok(keyId, 'the page names the key id to approve');
    await broker.cli(['policy', 'approve', keyId, '--key', setup.adminKeyFile]);
    await audit.reload();
    await keys.getByRole('status').filter({ hasText: 'Approved' }).waitFor();
  });

  test('a technician types a word in a recorded session', async () => {
    agent = await startAgent({ broker, display: x.display, name: 'Lab server 2', recording: setup });
    const ward = await techBrowser.context.newPage();
    const tech = await techBrowser.context.newPage();
    const user = await broker.addUser({ name: 'Sato Ken', org: 'Lab Vendor KK' });
    await ward.goto(agent.uiUrl);
    await ward.getByRole('button', { name: 'Get help' }).click();
    const code = (await ward.getByLabel('Session code').textContent())!.replace(/\D/g, '');
    const pin = (await ward.getByLabel('PIN', { exact: true }).textContent())!.replace(/\D/g, '');
    await signInPage(tech, broker.url, user);
    await tech.getByRole('textbox', { name: 'Session code' }).fill(code);
    await tech.getByLabel('PIN', { exact: true }).fill(pin);
    await tech.getByRole('button', { name: 'Connect' }).click();
    const prompt = ward.getByRole('alertdialog', { name: 'Allow this technician to connect?' });
    await prompt.getByText('This session will be recorded.').waitFor();
    await prompt.getByRole('button', { name: 'Allow' }).click();
    const video = tech.getByLabel('Remote screen');
    await video.waitFor();
    await waitUntil(() => video.evaluate((el) => (el as HTMLVideoElement).currentTime > 0), 30_000, 'no video in the viewer');

    const point = await pagePointForHostPixel(video, 200, 100);
    await tech.mouse.click(point.x, point.y);
    await sleep(1500);
    shotBefore = await hostGrid(x);
    await tech.keyboard.type(`echo ${WORD}`, { delay: 15 });
    await tech.keyboard.press('Enter');
    await sleep(2500);
    shotAfter = await hostGrid(x);
    await sleep(2000);
    await tech.getByRole('button', { name: 'End session' }).click();
    await tech.getByRole('status').filter({ hasText: /ended/i }).first().waitFor();

    // Wait for the broker to have the whole recording (the manifest comes last).
    const root = join(broker.dataDir, 'recordings');
    await waitUntil(
      async () => {
        const ids = existsSync(root) ? readdirSync(root) : [];
        recordingId = ids.find((id) => existsSync(join(root, id, 'manifest'))) ?? '';
        return recordingId !== '';
      },
      60_000,
      'the recording did not reach the broker complete',
    );
  });

  test('the auditor finds the recording, searches the word, and playback jumps to it showing the word', async () => {
    // When was the word typed, on the recording's clock? (Read here with the admin's test key, which
    // the policy also lists; the browser below has only its own key.)
    const folder = await readRecordingFolder(join(broker.dataDir, 'recordings', recordingId));
    const reader = await openRecording(folder.header!, setup.auditorKey);
    // Typing that spans a segment end is split into two input:text events: join them in order.
    const typing: Array<{ t: number; text: string }> = [];
    for (const [i, bytes] of folder.segments.entries()) {
      for (const e of (await reader.openSegment(bytes, i)).events) if (e.type === 'input:text') typing.push({ t: e.t, text: String(e.data?.['text']) });
    }
    const at = typing.map((e) => e.text).join('').indexOf(WORD);
    assert.ok(at >= 0, `the word is in the timeline: ${JSON.stringify(typing)}`);
    let offset = 0;
    const typedAt = typing.find((e) => (offset += e.text.length) > at)!.t;

    await audit.getByRole('button', { name: 'Show recordings' }).click();
    const table = audit.getByRole('table', { name: 'Recordings' });
    await table.getByRole('row', { name: /Lab server 2/ }).first().waitFor();
    await audit.getByRole('combobox', { name: 'Completeness' }).selectOption({ label: 'Complete only' });
    await audit.getByRole('button', { name: 'Show recordings' }).click();
    await audit.getByRole('button', { name: /Open the recording of Lab server 2/ }).click();
    const player = audit.locator('wl-recording-player');
    await player.getByRole('status').filter({ hasText: 'Verified' }).first().waitFor({ timeout: 60_000 });

    await player.getByRole('searchbox', { name: 'Search the recording' }).fill(WORD);
    const hit = player.getByRole('button', { name: new RegExp(WORD) }).first();
    await hit.click();
    const canvas = player.getByRole('img', { name: 'Recording playback' });
    let now = -1;
    await waitUntil(
      async () => {
        now = await player.evaluate((el) => (el as unknown as { currentTime: number }).currentTime);
        return now >= typedAt;
      },
      10_000,
      () => `playback is at ${now} ms, the word was typed at ${typedAt} ms`,
    );
    assert.ok(now - typedAt <= 2000, `playback jumped to ${now} ms, more than 2 s after the word (${typedAt} ms)`);

    // The frame shown there has the word: where typing changed the host's screen, the frame
    // matches the screen after typing far better than the one before.
    // The seek resolves when the frame is decoded and painted; until then the canvas is blank.
    let frame = await canvasGrid(canvas);
    await waitUntil(
      async () => gridSpread((frame = await canvasGrid(canvas))) > 10,
      10_000,
      'the player painted no frame after the jump',
    );
    const changed = changedBlocks(shotBefore, shotAfter);
    assert.ok(changed.length >= 4, `typing changed ${changed.length} blocks of the host screen`);
    const toAfter = distanceOver(frame, shotAfter, changed);
    const toBefore = distanceOver(frame, shotBefore, changed);
    process.stdout.write(`# jump: ${now - typedAt} ms after the word; frame vs after ${toAfter.toFixed(1)}, vs before ${toBefore.toFixed(1)} over ${changed.length} tiles\n`);
    assert.ok(toAfter * 2 < toBefore, `the frame should show the word: distance to after ${toAfter.toFixed(1)}, to before ${toBefore.toFixed(1)}`);
  });

  test('a byte flipped in a stored segment: the player says which segment was tampered with', async () => {
    const target = join(broker.dataDir, 'recordings', recordingId, 'segment-000001');
    const bytes = readFileSync(target);
    bytes[bytes.length - 100] ^= 0x01;
    writeFileSync(target, bytes);
    await audit.getByRole('button', { name: 'Back to the list' }).click();
    await audit.getByRole('button', { name: /Open the recording of Lab server 2/ }).click();
    const player = audit.locator('wl-recording-player');
    await player.getByRole('status').filter({ hasText: /Tampered: segment 1\b/ }).first().waitFor({ timeout: 60_000 });
  });
});

async function hostGrid(x: XDisplay): Promise<Grid> {
  const shot = await x.screenshot();
  return blockGrid(shot.width, shot.height, shot.data);
}

async function canvasGrid(canvas: Locator): Promise<Grid> {
  const { width, height, data } = await canvas.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const image = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    return { width: c.width, height: c.height, data: Array.from(image.data) };
  });
  return blockGrid(width, height, new Uint8Array(data));
}

/** Tiles whose mean luma differs clearly between two grids. */
function changedBlocks(a: Grid, b: Grid): number[] {
  return a.values.flatMap((v, i) => (Math.abs(v - b.values[i]!) > 4 ? [i] : []));
}

/** Mean luma difference over some tiles. */
function distanceOver(a: Grid, b: Grid, tiles: number[]): number {
  return tiles.reduce((sum, i) => sum + Math.abs(a.values[i]! - b.values[i]!), 0) / Math.max(1, tiles.length);
}

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, message: string | (() => string)): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(typeof message === 'function' ? message() : message);
    await sleep(100);
  }
}

