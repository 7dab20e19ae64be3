import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Modifiers } from '@wardlink/protocol';
import { startXDisplay, type XDisplay } from '../../../../test/support/xdisplay.ts';
import { PlatformError } from '../errors.ts';
import { Keymap } from './Keymap.ts';
import { X11Connection } from './X11Connection.ts';
import { X11InputInjector } from './X11InputInjector.ts';

const NONE: Modifiers = { shift: false, ctrl: false, alt: false, meta: false };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

interface XevEvent {
  type: string;
  state: number;
  rootX: number;
  rootY: number;
  button?: number;
  keysym?: string;
}

/** An `xev` window that records button and key events. */
async function startXev(x: XDisplay, geometry: string): Promise<{ events: () => XevEvent[]; child: ChildProcess; window: Win }> {
  const child = x.spawn('xev', ['-geometry', geometry, '-event', 'button', '-event', 'keyboard']);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const window = await findWindow(x, '^Event Tester$');
  const events = (): XevEvent[] =>
    out
      .split(/\n\s*\n/)
      .map((block) => {
        const type = /^\s*(\w+) event/.exec(block)?.[1];
        const root = /root:\((-?\d+),(-?\d+)\)/.exec(block);
        const state = /state (0x[0-9a-f]+)/.exec(block);
        if (!type || !root || !state) return undefined;
        const button = /button (\d+)/.exec(block)?.[1];
        const keysym = /keysym 0x[0-9a-f]+, ([^)]+)\)/.exec(block)?.[1];
        return {
          type, state: Number(state[1]), rootX: Number(root[1]), rootY: Number(root[2]),
          ...(button ? { button: Number(button) } : {}), ...(keysym ? { keysym } : {}),
        };
      })
      .filter((e): e is XevEvent => e !== undefined);
  return { events, child, window };
}

/** A mapped top-level window and its place on the screen (pixels). */
interface Win {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The first visible window whose name matches, once it has its real size (xterm maps a tiny
 * window first on a busy machine). Retries, as xdotool fails if a window vanishes mid-search.
 */
function findWindow(x: XDisplay, name: string): Promise<Win> {
  return until(`a window named ${name}`, async () => {
    const id = (await x.run('xdotool', ['search', '--onlyvisible', '--name', name]).catch(() => '')).trim().split('\n')[0];
    if (!id) return undefined;
    const geometry = await x.run('xdotool', ['getwindowgeometry', '--shell', id]).catch(() => '');
    const get = (key: string): number => Number(new RegExp(`^${key}=(-?\\d+)$`, 'm').exec(geometry)?.[1] ?? NaN);
    const win = { id, x: get('X'), y: get('Y'), width: get('WIDTH'), height: get('HEIGHT') };
    return win.width >= 100 && win.height >= 50 ? win : undefined;
  }, 15_000);
}

/**
 * Clicks in the middle of `win` and waits until the window manager has made it the active
 * window and let the button go: openbox grabs the click to set the focus, and until it has
 * handled it, keys could go elsewhere and would still see Button1 held.
 */
async function clickToFocus(x: XDisplay, input: X11InputInjector, probe: X11Connection, win: Win): Promise<void> {
  const px = win.x + Math.floor(win.width / 2);
  const py = win.y + Math.floor(win.height / 2);
  await input.apply({ type: 'input:pointer', action: 'down', x: px, y: py, button: 0 });
  await input.apply({ type: 'input:pointer', action: 'up', x: px, y: py, button: 0 });
  try {
    await until(`window ${win.id} to be active`, async () => (await x.run('xdotool', ['getactivewindow']).catch(() => '')).trim() === win.id);
  } catch (err) {
    const dbg = await Promise.all([
      x.run('xdotool', ['getwindowfocus']).catch((e) => String(e)),
      x.run('xdotool', ['getmouselocation']).catch((e) => String(e)),
      x.run('xdotool', ['getwindowgeometry', win.id]).catch((e) => String(e)),
      x.run('xprop', ['-root', '_NET_ACTIVE_WINDOW', '_NET_CLIENT_LIST']).catch((e) => String(e)),
    ]);
    throw new Error(`${(err as Error).message}: ${dbg.join(' | ')}`);
  }
  await until('the click to be released', async () => ((await probe.queryPointerMask()) & 0x1f00) === 0);
}

describe('X11InputInjector', () => {
  let x: XDisplay;
  let input: X11InputInjector;
  let probe: X11Connection;
  let dir: string;

  before(async () => {
    x = await startXDisplay({ width: 1024, height: 768, wm: true });
    input = new X11InputInjector({ display: x.display });
    probe = await X11Connection.connect(x.display);
    dir = mkdtempSync(join(tmpdir(), 'wl-input-'));
  });

  after(async () => {
    input?.close();
    probe?.close();
    await x?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function pointer(): Promise<[number, number]> {
    const out = await x.run('xdotool', ['getmouselocation', '--shell']);
    return [Number(/X=(\d+)/.exec(out)![1]), Number(/Y=(\d+)/.exec(out)![1])];
  }

  it('moves the pointer exactly to the given host pixel, clamped to the screen', async () => {
    for (const [px, py] of [[123, 456], [0, 0], [1023, 767], [517, 3]]) {
      await input.apply({ type: 'input:pointer', action: 'move', x: px!, y: py!, button: 0 });
      assert.deepEqual(await pointer(), [px, py]);
    }
    await input.apply({ type: 'input:pointer', action: 'move', x: 5000, y: 9000, button: 0 });
    assert.deepEqual(await pointer(), [1023, 767]);
  });

  it('clicks and scrolls land on the window under the pointer', async () => {
    const xev = await startXev(x, '300x300+400+300');
    try {
      await input.apply({ type: 'input:pointer', action: 'down', x: 450, y: 350, button: 0 });
      await input.apply({ type: 'input:pointer', action: 'up', x: 452, y: 351, button: 0 });
      await input.apply({ type: 'input:pointer', action: 'down', x: 460, y: 360, button: 2 });
      await input.apply({ type: 'input:pointer', action: 'up', x: 460, y: 360, button: 2 });
      await input.apply({ type: 'input:wheel', x: 470, y: 370, dx: 0, dy: 2 });
      await input.apply({ type: 'input:wheel', x: 470, y: 370, dx: -1, dy: -1 });
      const presses = await until('6 button presses', () => {
        const b = xev.events().filter((e) => e.type === 'ButtonPress');
        return b.length >= 6 ? b : undefined;
      });
      // X buttons: 1 left, 3 right, 4/5 wheel up/down, 6/7 wheel left/right.
      assert.deepEqual(
        presses.map((e) => [e.button, e.rootX, e.rootY]),
        [[1, 450, 350], [3, 460, 360], [5, 470, 370], [5, 470, 370], [6, 470, 370], [4, 470, 370]],
      );
      // Release positions are not compared: openbox grabs the first click to focus the window and
      // replays it, and the release may then report the pointer's later position.
      await until('left and right releases', () => {
        const released = xev.events().filter((e) => e.type === 'ButtonRelease').map((e) => e.button);
        return released.includes(1) && released.includes(3) ? true : undefined;
      });
      assert.deepEqual(await pointer(), [470, 370]);
    } finally {
      xev.child.kill();
    }
  });

  it('presses keys by DOM code, with the keysyms of a US layout', async () => {
    const xev = await startXev(x, '200x200+600+100');
    try {
      await clickToFocus(x, input, probe, xev.window);
      const expected: Record<string, string> = {
        KeyA: 'a', KeyZ: 'z', Digit1: '1', Digit0: '0', F1: 'F1', F12: 'F12', Enter: 'Return', Escape: 'Escape',
        Backspace: 'BackSpace', Space: 'space', ArrowUp: 'Up', ArrowLeft: 'Left', Home: 'Home', End: 'End',
        PageUp: 'Prior', PageDown: 'Next', Insert: 'Insert', Delete: 'Delete', Minus: 'minus', Equal: 'equal',
        BracketLeft: 'bracketleft', BracketRight: 'bracketright', Semicolon: 'semicolon', Quote: 'apostrophe',
        Comma: 'comma', Period: 'period', Slash: 'slash', Backslash: 'backslash', Backquote: 'grave',
        ShiftRight: 'Shift_R', ControlRight: 'Control_R', AltRight: 'Alt_R', MetaLeft: 'Super_L',
        NumpadAdd: 'KP_Add', NumpadEnter: 'KP_Enter', Numpad5: 'KP_Begin',
      };
      for (const code of Object.keys(expected)) {
        await input.apply({ type: 'input:key', action: 'down', code, modifiers: NONE });
        await input.apply({ type: 'input:key', action: 'up', code, modifiers: NONE });
      }
      const presses = await until('all key presses', () => {
        const p = xev.events().filter((e) => e.type === 'KeyPress');
        return p.length >= Object.keys(expected).length ? p : undefined;
      });
      assert.deepEqual(presses.map((e) => e.keysym), Object.values(expected));
      await until('all key releases', () => xev.events().filter((e) => e.type === 'KeyRelease').length === Object.keys(expected).length);
    } finally {
      xev.child.kill();
    }
  });

  it('holds modifiers for combos, whether sent as keys or only as flags', async () => {
    const xev = await startXev(x, '200x200+600+100');
    try {
      await clickToFocus(x, input, probe, xev.window);
      const ctrlAlt = { ...NONE, ctrl: true, alt: true };
      // Ctrl+Alt+Delete with the modifier keys sent explicitly.
      await input.apply({ type: 'input:key', action: 'down', code: 'ControlLeft', modifiers: { ...NONE, ctrl: true } });
      await input.apply({ type: 'input:key', action: 'down', code: 'AltLeft', modifiers: ctrlAlt });
      await input.apply({ type: 'input:key', action: 'down', code: 'Delete', modifiers: ctrlAlt });
      await input.apply({ type: 'input:key', action: 'up', code: 'Delete', modifiers: ctrlAlt });
      await input.apply({ type: 'input:key', action: 'up', code: 'AltLeft', modifiers: { ...NONE, ctrl: true } });
      await input.apply({ type: 'input:key', action: 'up', code: 'ControlLeft', modifiers: NONE });
      // Ctrl+C given only as a flag on the C key.
      await input.apply({ type: 'input:key', action: 'down', code: 'KeyC', modifiers: { ...NONE, ctrl: true } });
      await input.apply({ type: 'input:key', action: 'up', code: 'KeyC', modifiers: NONE });
      // Shift+ArrowLeft.
      await input.apply({ type: 'input:key', action: 'down', code: 'ShiftLeft', modifiers: { ...NONE, shift: true } });
      await input.apply({ type: 'input:key', action: 'down', code: 'ArrowLeft', modifiers: { ...NONE, shift: true } });
      await input.apply({ type: 'input:key', action: 'up', code: 'ArrowLeft', modifiers: { ...NONE, shift: true } });
      await input.apply({ type: 'input:key', action: 'up', code: 'ShiftLeft', modifiers: NONE });
      const keys = await until('14 key events', () => {
        const k = xev.events().filter((e) => e.type.startsWith('Key') && e.keysym);
        return k.length >= 14 ? k : undefined;
      });
      const press = (name: string): XevEvent | undefined => keys.find((e) => e.type === 'KeyPress' && e.keysym === name);
      // Core state bits: Shift 0x1, Control 0x4, Mod1 (Alt) 0x8.
      assert.equal(press('Delete')?.state, 0x4 | 0x8);
      assert.equal(press('c')?.state, 0x4);
      assert.equal(press('Left')?.state, 0x1);
      assert.deepEqual(
        keys.map((e) => `${e.type === 'KeyPress' ? '+' : '-'}${e.keysym}`),
        ['+Control_L', '+Alt_L', '+Delete', '-Delete', '-Alt_L', '-Control_L',
          '+Control_L', '+c', '-c', '-Control_L', '+Shift_L', '+Left', '-Left', '-Shift_L'],
      );
      assert.equal((await probe.queryPointerMask()) & 0xff, 0, 'no modifier left pressed');
    } finally {
      xev.child.kill();
    }
  });

  it('Alt+Tab switches windows through the window manager', async () => {
    const first = x.spawn('xterm', ['-title', 'wl-first', '-geometry', '40x10+0+0']);
    const second = x.spawn('xterm', ['-title', 'wl-second', '-geometry', '40x10+500+0']);
    try {
      const firstWindow = await findWindow(x, '^wl-first$');
      const secondWindow = await findWindow(x, '^wl-second$');
      await clickToFocus(x, input, probe, firstWindow);
      const alt = { ...NONE, alt: true };
      await input.apply({ type: 'input:key', action: 'down', code: 'AltLeft', modifiers: alt });
      await input.apply({ type: 'input:key', action: 'down', code: 'Tab', modifiers: alt });
      await input.apply({ type: 'input:key', action: 'up', code: 'Tab', modifiers: alt });
      // At human speed: openbox grabs the keyboard on Alt+Tab and switches on the Alt release it
      // sees under that grab; a release that beats the grab leaves the switcher open.
      await sleep(300);
      await input.apply({ type: 'input:key', action: 'up', code: 'AltLeft', modifiers: NONE });
      const active = async (): Promise<boolean | undefined> =>
        (await x.run('xdotool', ['getactivewindow']).catch(() => '')).trim() === secondWindow.id || undefined;
      await until('the other window to be active', active, 10_000);
    } finally {
      first.kill();
      second.kill();
    }
  });

  it('refuses an unknown key code with unsupported_key and keeps working', async () => {
    await assert.rejects(
      input.apply({ type: 'input:key', action: 'down', code: 'NoSuchKey', modifiers: NONE }),
      (e: unknown) => e instanceof PlatformError && e.code === 'unsupported_key',
    );
    await assert.rejects(
      input.apply({ type: 'input:key', action: 'down', code: 'F24', modifiers: NONE }),
      (e: unknown) => e instanceof PlatformError && e.code === 'unsupported_key',
    );
    await input.apply({ type: 'input:pointer', action: 'move', x: 77, y: 88, button: 0 });
    assert.deepEqual(await pointer(), [77, 88]);
  });

  it('types text exactly, shifted symbols and non-ASCII included, then Enter and Ctrl+D end the input', async () => {
    const file = join(dir, 'typed.txt');
    const text = 'Hello_World! ü€ 日本 ß ?:"|~{}<>@#$%^&*()+ é Ä ñ ç ¿¡ ЖЯ';
    const typed = await typeIntoTerminal(x, input, probe, file, async () => {
      await input.apply({ type: 'input:text', text });
    });
    assert.equal(typed, `${text}\n`);
  });

  it('types many different non-ASCII characters, more than there are spare keycodes', async () => {
    const file = join(dir, 'japanese.txt');
    // 60 distinct kanji and kana: the spare keycodes (19 on Xvfb) are reused several times.
    const text = '日本語の文章を入力します。東京大阪京都名古屋札幌福岡横浜神戸仙台広島春夏秋冬月火水木金土曜山川海空雨雪風花';
    const started = performance.now();
    const typed = await typeIntoTerminal(x, input, probe, file, async () => {
      await input.apply({ type: 'input:text', text });
    });
    assert.equal(typed, `${text}\n`, `after ${(performance.now() - started).toFixed(0)} ms`);
  });

  it('releaseAll() releases held keys and buttons and returns borrowed keycodes', async () => {
    await input.releaseAll();
    const emptyBefore = await emptyKeycodes(probe);
    await input.apply({ type: 'input:text', text: 'ä' });
    assert.equal((await emptyKeycodes(probe)).length, emptyBefore.length - 1, 'one spare keycode borrowed');
    await input.apply({ type: 'input:key', action: 'down', code: 'ShiftLeft', modifiers: { ...NONE, shift: true } });
    await input.apply({ type: 'input:key', action: 'down', code: 'ControlRight', modifiers: { ...NONE, shift: true, ctrl: true } });
    await input.apply({ type: 'input:pointer', action: 'down', x: 5, y: 5, button: 0 });
    // Core state bits: Shift 0x1, Control 0x4, Button1 0x100.
    assert.equal((await probe.queryPointerMask()) & 0x105, 0x105);
    await input.releaseAll();
    assert.equal((await probe.queryPointerMask()) & 0x1fff, 0);
    assert.deepEqual(await emptyKeycodes(probe), emptyBefore);
  });

  it('applies messages in call order without being awaited', async () => {
    const moves = [];
    for (let i = 0; i < 200; i++) moves.push(input.apply({ type: 'input:pointer', action: 'move', x: i * 3, y: 700 - i * 2, button: 0 }));
    await Promise.all(moves);
    assert.deepEqual(await pointer(), [199 * 3, 700 - 199 * 2]);
  });

  it('rejects input for a display that does not exist, without crashing', async () => {
    const nowhere = new X11InputInjector({ display: ':4093' });
    await assert.rejects(
      nowhere.apply({ type: 'input:pointer', action: 'move', x: 1, y: 1, button: 0 }),
      (e: unknown) => e instanceof PlatformError && e.code === 'display_unavailable',
    );
    await nowhere.releaseAll();
    nowhere.close();
    nowhere.close();
    await assert.rejects(
      nowhere.apply({ type: 'input:text', text: 'x' }),
      (e: unknown) => e instanceof PlatformError && e.code === 'closed',
    );
  });

  it('refuses input after the X server went away, without crashing', async () => {
    const doomed = await startXDisplay({ width: 320, height: 240 });
    const orphan = new X11InputInjector({ display: doomed.display });
    try {
      await orphan.apply({ type: 'input:text', text: 'ü' });
      await doomed.stop();
      await until('the injector to notice', async () => {
        const err = await orphan.apply({ type: 'input:pointer', action: 'move', x: 1, y: 1, button: 0 }).then(() => undefined, (e: unknown) => e);
        return err instanceof PlatformError && err.code === 'display_unavailable' ? true : undefined;
      });
      await orphan.releaseAll();
    } finally {
      orphan.close();
      await doomed.stop();
    }
  });
});

/** Keycodes that currently have no keysym. */
async function emptyKeycodes(conn: X11Connection): Promise<number[]> {
  const { minKeycode, maxKeycode } = conn.setup;
  const { perKeycode, keysyms } = await conn.getKeyboardMapping(minKeycode, maxKeycode - minKeycode + 1);
  return new Keymap(minKeycode, perKeycode, keysyms).emptyKeycodes();
}

/**
 * Opens an xterm whose shell copies the keyboard into `file`, focuses it, runs `typeText`, then
 * presses Enter and Ctrl+D (as key messages) and returns what the file received.
 */
async function typeIntoTerminal(x: XDisplay, injector: X11InputInjector, probe: X11Connection, file: string, typeText: () => Promise<void>): Promise<string> {
  const title = `wl-typing-${process.hrtime.bigint()}`;
  const term = x.spawn('env', ['LC_ALL=C.UTF-8', 'xterm', '-title', title, '-geometry', '80x10+0+0', '-e', 'sh', '-c', 'exec cat > "$0"', file]);
  let output = '';
  term.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = new Promise<void>((resolve) => term.once('exit', () => resolve()));
  try {
    const window = await findWindow(x, `^${title}$`).catch((err: unknown) => {
      throw new Error(`${(err as Error).message} (xterm exit ${term.exitCode ?? term.signalCode ?? 'none'}: ${output.trim()})`);
    });
    await until('cat to open its file', () => existsSync(file));
    await clickToFocus(x, injector, probe, window);
    await typeText();
    await injector.apply({ type: 'input:key', action: 'down', code: 'Enter', modifiers: NONE });
    await injector.apply({ type: 'input:key', action: 'up', code: 'Enter', modifiers: NONE });
    await injector.apply({ type: 'input:key', action: 'down', code: 'ControlLeft', modifiers: { ...NONE, ctrl: true } });
    await injector.apply({ type: 'input:key', action: 'down', code: 'KeyD', modifiers: { ...NONE, ctrl: true } });
    await injector.apply({ type: 'input:key', action: 'up', code: 'KeyD', modifiers: { ...NONE, ctrl: true } });
    await injector.apply({ type: 'input:key', action: 'up', code: 'ControlLeft', modifiers: NONE });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 10_000)));
    const outcome = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    assert.notEqual(outcome, 'timeout', `xterm did not exit; file has ${JSON.stringify(readFileSync(file, 'utf8'))}`);
    return readFileSync(file, 'utf8');
  } finally {
    term.kill();
  }
}
