import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startXDisplay, type XDisplay } from '../../../../test/support/xdisplay.ts';
import { X11WindowTitle } from './X11WindowTitle.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function titleBecomes(titles: X11WindowTitle, expected: string | undefined, timeoutMs = 8000): Promise<void> {
  let last: string | undefined;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
    last = await titles.title();
    if (last === expected) return;
  }
  assert.equal(last, expected);
}

describe('X11WindowTitle', () => {
  const displays: XDisplay[] = [];
  const readers: X11WindowTitle[] = [];
  after(async () => {
    readers.forEach((r) => r.close());
    for (const x of displays) await x.stop();
  });

  it("follows the window manager's active window, also in UTF-8", async () => {
    const x = await startXDisplay({ width: 640, height: 480, wm: true });
    displays.push(x);
    const titles = new X11WindowTitle({ display: x.display });
    readers.push(titles);
    x.spawn('xterm', ['-title', 'Ward chart 7', '-geometry', '40x10+10+10']);
    await titleBecomes(titles, 'Ward chart 7');
    x.spawn('xterm', ['-title', 'Lab results', '-geometry', '40x10+200+200']);
    await titleBecomes(titles, 'Lab results');
    const window = (await x.run('xdotool', ['search', '--name', 'Lab results'])).trim().split('\n')[0]!;
    await x.run('xdotool', ['set_window', '--name', '検査結果 – 3', window]);
    await titleBecomes(titles, '検査結果 – 3');
  });

  it('answers undefined on a bare X server where no window has the focus', async () => {
    const x = await startXDisplay({ width: 640, height: 480 });
    displays.push(x);
    const titles = new X11WindowTitle({ display: x.display });
    readers.push(titles);
    assert.equal(await titles.title(), undefined);
  });
});
