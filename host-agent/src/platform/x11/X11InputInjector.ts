import { PlatformError } from '../errors.ts';
import type { InputInjector, InputMessage, PlatformLogger } from '../types.ts';
import { X11Connection, X11Event } from './X11Connection.ts';
import { X11Keyboard } from './X11Keyboard.ts';

/** Options of {@link X11InputInjector}. */
export interface X11InputInjectorOptions {
  /** X display to control, e.g. `:0`. */
  display: string;
  /** Xauthority file with the display's cookie (usually `$XAUTHORITY`); none for an open server. */
  xauthority?: string;
  logger?: PlatformLogger;
}

/** X button numbers of DOM mouse buttons 0 (left), 1 (middle), 2 (right). */
const X_BUTTONS = [1, 2, 3] as const;
/** X button numbers of one wheel notch. */
const WHEEL = { up: 4, down: 5, left: 6, right: 7 } as const;

interface Backend {
  conn: X11Connection;
  keyboard: X11Keyboard;
}

/**
 * Injects viewer input into an X11 desktop through the XTEST extension, on our own X11
 * connection ({@link X11Connection}): pointer motion, buttons and wheel directly, keys and text
 * via {@link X11Keyboard}.
 *
 * Why not libnut on X11: its Xlib connection exits the process when the X server goes away
 * (on the next call, or at process exit: "XIO: fatal IO error"), when a request fails (e.g. a
 * keysym missing from the keymap), and it segfaults if the display cannot be opened. Its
 * `typeString` also types shifted symbols without Shift and drops non-ASCII. Our connection turns
 * all of these into rejected promises. (libnut remains the candidate for a Windows backend.)
 *
 * The display is opened on the first message. Messages are applied strictly one after another,
 * in call order, each confirmed by the server before the next. If the X connection is lost the
 * injector refuses further input; make a new one once the display is back.
 */
export class X11InputInjector implements InputInjector {
  private queue: Promise<unknown> = Promise.resolve();
  private backend: Promise<Backend> | undefined;
  private lostError: PlatformError | undefined;
  private closed = false;
  /** Mouse buttons (0-2) pressed by this injector and not yet released. */
  private readonly heldButtons = new Set<0 | 1 | 2>();

  constructor(private readonly options: X11InputInjectorOptions) {}

  /** Applies one message after all earlier ones; see {@link InputInjector.apply}. */
  apply(msg: InputMessage): Promise<void> {
    if (this.closed) return Promise.reject(PlatformError.closed('input injector'));
    return this.enqueue(async () => {
      const backend = await this.open();
      try {
        await this.applyNow(backend, msg);
      } catch (err) {
        throw err instanceof PlatformError ? err : PlatformError.inputFailed(msg.type, err);
      }
    });
  }

  /** Releases held keys and buttons and returns borrowed keycodes; see {@link InputInjector.releaseAll}. */
  releaseAll(): Promise<void> {
    return this.enqueue(async () => {
      try {
        await this.releaseNow();
      } catch (err) {
        throw err instanceof PlatformError ? err : PlatformError.inputFailed('releaseAll', err);
      }
    });
  }

  /** Releases what is held, then disconnects. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.enqueue(async () => {
      await this.releaseNow().catch(() => undefined);
      const backend = await this.backend?.catch(() => undefined);
      backend?.conn.close();
    }).catch(() => undefined);
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private open(): Promise<Backend> {
    if (this.lostError) return Promise.reject(this.lostError);
    this.backend ??= this.connect().catch((err: unknown) => {
      this.backend = undefined;
      throw err;
    });
    return this.backend;
  }

  private async connect(): Promise<Backend> {
    const { display } = this.options;
    const conn = await X11Connection.connect(display, this.options.xauthority ? { xauthority: this.options.xauthority } : {});
    try {
      await conn.initXTest();
      conn.onLost = (err) => {
        this.lostError = PlatformError.displayUnavailable(display, 'the X connection was lost', err);
        this.options.logger?.warn({ display, err: err.message }, 'X display connection lost; input disabled');
      };
      this.options.logger?.debug({ display, ...conn.setup }, 'input injector connected');
      return { conn, keyboard: new X11Keyboard(conn) };
    } catch (err) {
      conn.close();
      throw err;
    }
  }

  private async applyNow({ conn, keyboard }: Backend, msg: InputMessage): Promise<void> {
    switch (msg.type) {
      case 'input:pointer':
        this.moveTo(conn, msg.x, msg.y);
        if (msg.action === 'down') {
          conn.fakeInput(X11Event.ButtonPress, X_BUTTONS[msg.button]);
          this.heldButtons.add(msg.button);
        } else if (msg.action === 'up') {
          conn.fakeInput(X11Event.ButtonRelease, X_BUTTONS[msg.button]);
          this.heldButtons.delete(msg.button);
        }
        await conn.sync();
        return;
      case 'input:wheel':
        this.moveTo(conn, msg.x, msg.y);
        // Protocol: positive dx/dy is right/down; each notch is one press and release.
        for (let i = 0; i < Math.abs(msg.dx); i++) this.click(conn, msg.dx > 0 ? WHEEL.right : WHEEL.left);
        for (let i = 0; i < Math.abs(msg.dy); i++) this.click(conn, msg.dy > 0 ? WHEEL.down : WHEEL.up);
        await conn.sync();
        return;
      case 'input:key':
        await keyboard.key(msg.action, msg.code, msg.modifiers);
        return;
      case 'input:text':
        await keyboard.type(msg.text);
        return;
      default: {
        const unreachable: never = msg;
        throw PlatformError.inputFailed(`unknown message ${(unreachable as { type: string }).type}`);
      }
    }
  }

  private async releaseNow(): Promise<void> {
    const backend = this.lostError ? undefined : await this.backend?.catch(() => undefined);
    if (!backend) return;
    const { conn, keyboard } = backend;
    for (const button of this.heldButtons) conn.fakeInput(X11Event.ButtonRelease, X_BUTTONS[button]);
    this.heldButtons.clear();
    await keyboard.releaseAll();
    await keyboard.restoreSpareKeys();
  }

  /** Moves the pointer to absolute root coordinates, kept on the screen. */
  private moveTo(conn: X11Connection, x: number, y: number): void {
    const cx = Math.min(Math.max(0, x), conn.setup.width - 1);
    const cy = Math.min(Math.max(0, y), conn.setup.height - 1);
    conn.fakeInput(X11Event.MotionNotify, 0, cx, cy);
  }

  private click(conn: X11Connection, button: number): void {
    conn.fakeInput(X11Event.ButtonPress, button);
    conn.fakeInput(X11Event.ButtonRelease, button);
  }
}
