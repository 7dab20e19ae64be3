import { PlatformError } from '../errors.ts';
import type { CursorSprite } from './bgrxToI420.ts';
import {
  isCursorNotify,
  isRawMotion,
  queryPointer,
  xfixesGetCursorImage,
  xfixesQueryVersion,
  xfixesSelectCursorInput,
  xiQueryVersion,
  xiSelectRawMotion,
  type X11CursorImage,
} from './captureRequests.ts';
import type { X11Connection, X11Extension } from './X11Connection.ts';

/** Options of {@link X11PointerTracker}. */
export interface X11PointerTrackerOptions {
  /** Position checks per second at most while the pointer moves. */
  fps: number;
  /** Milliseconds between position polls at rest when the server sends no XI2 raw motion events. */
  pollMs: number;
  /**
   * Milliseconds between position polls at rest when raw motion events come (a pointer warped by
   * an application or by `xdotool mousemove` makes none). Default 1000.
   */
  safetyPollMs?: number;
  /** Use XI2 raw motion events where the server has them. Default true; false always polls. */
  motionEvents?: boolean;
}

/** What {@link X11PointerTracker} reports. */
export interface X11PointerTrackerEvents {
  /** The pointer moved or changed shape. */
  onChange(): void;
  /** A request failed (the connection is probably gone). Called once; nothing after it. */
  onFailure(err: PlatformError): void;
}

/** Milliseconds after a movement during which a polling tracker polls at `fps`. */
const MOVING_MS = 1000;

/**
 * Follows the mouse pointer of a display for drawing it into captured frames: its shape through
 * XFIXES (an event when it changes, then one XFixesGetCursorImage) and its position through
 * QueryPointer. Pointer motion damages nothing (the cursor is a sprite), so the position is
 * checked when XI2 reports raw motion (at most `fps` times a second), with a slow safety poll;
 * a server without XI2 is polled every `pollMs`, at `fps` while the pointer moves.
 */
export class X11PointerTracker {
  private cursor: X11CursorImage;
  private x: number;
  private y: number;
  private checkTimer: NodeJS.Timeout | undefined;
  private checkDueAt = Infinity;
  private checking = false;
  private recheck = false;
  private lastCheckAt = -Infinity;
  private movedAt = -Infinity;
  private fetchingCursor = false;
  private cursorStale = false;
  private closed = false;

  private constructor(
    private readonly conn: X11Connection,
    private readonly xfixes: X11Extension,
    /** XInputExtension, when the server has XI2. */
    private readonly xinput: X11Extension | undefined,
    cursor: X11CursorImage,
    private readonly options: X11PointerTrackerOptions,
    private readonly events: X11PointerTrackerEvents,
  ) {
    this.cursor = cursor;
    this.x = cursor.x;
    this.y = cursor.y;
  }

  /**
   * Subscribes to cursor changes (and raw motion when the server has XI2) and reads the current
   * cursor. Rejects with PlatformError when the server lacks XFIXES.
   */
  static async create(conn: X11Connection, options: X11PointerTrackerOptions, events: X11PointerTrackerEvents): Promise<X11PointerTracker> {
    const xfixes = await conn.queryExtension('XFIXES');
    if (!xfixes) throw PlatformError.captureFailed(`the X server of display ${conn.display} lacks the XFIXES extension (needed to draw the pointer)`);
    await xfixesQueryVersion(conn, xfixes.majorOpcode);
    xfixesSelectCursorInput(conn, xfixes.majorOpcode, conn.setup.root);
    let xinput = options.motionEvents === false ? undefined : await conn.queryExtension('XInputExtension');
    if (xinput && (await xiQueryVersion(conn, xinput.majorOpcode)).major >= 2) xiSelectRawMotion(conn, xinput.majorOpcode, conn.setup.root);
    else xinput = undefined;
    const cursor = await xfixesGetCursorImage(conn, xfixes.majorOpcode);
    return new X11PointerTracker(conn, xfixes, xinput, cursor, options, events);
  }

  /** True when XI2 motion events drive the position checks (false: polling). */
  get eventDriven(): boolean {
    return this.xinput !== undefined;
  }

  /** The cursor image placed at the pointer position. */
  sprite(): CursorSprite {
    const c = this.cursor;
    return { left: this.x - c.xhot, top: this.y - c.yhot, width: c.width, height: c.height, pixels: c.pixels };
  }

  /** Starts the position checks. */
  start(): void {
    this.scheduleCheck(performance.now() + this.restMs());
  }

  /** Handles an event if it is about the pointer; returns false for any other event. */
  handleEvent(event: Buffer): boolean {
    if (this.closed) return false;
    if (this.xinput && isRawMotion(event, this.xinput.majorOpcode)) {
      if (this.checking) this.recheck = true;
      else this.scheduleCheck(this.lastCheckAt + 1000 / this.options.fps);
      return true;
    }
    if (isCursorNotify(event, this.xfixes.firstEvent)) {
      void this.fetchCursor();
      return true;
    }
    return false;
  }

  /** Stops every timer; no events after this. Safe to call twice. */
  close(): void {
    this.closed = true;
    clearTimeout(this.checkTimer);
    this.checkTimer = undefined;
  }

  /** Milliseconds until the next check when nothing is known to move. */
  private restMs(): number {
    if (this.xinput) return this.options.safetyPollMs ?? 1000;
    return performance.now() - this.movedAt < MOVING_MS ? 1000 / this.options.fps : this.options.pollMs;
  }

  /** Checks the position at `dueAt` (or now, if that has passed), unless a check is due sooner. */
  private scheduleCheck(dueAt: number): void {
    if (this.closed || (this.checkTimer && this.checkDueAt <= dueAt)) return;
    clearTimeout(this.checkTimer);
    this.checkDueAt = dueAt;
    this.checkTimer = setTimeout(() => {
      this.checkTimer = undefined;
      this.checkDueAt = Infinity;
      void this.check();
    }, Math.max(0, dueAt - performance.now()));
  }

  private async check(): Promise<void> {
    if (this.closed || this.checking) return;
    this.checking = true;
    this.lastCheckAt = performance.now();
    try {
      const at = await queryPointer(this.conn);
      if (this.closed) return;
      if (at.x !== this.x || at.y !== this.y) {
        this.x = at.x;
        this.y = at.y;
        this.movedAt = performance.now();
        this.events.onChange();
      }
    } catch (err) {
      this.fail(err, 'reading the pointer position');
      return;
    } finally {
      this.checking = false;
    }
    const again = this.recheck;
    this.recheck = false;
    this.scheduleCheck(again ? this.lastCheckAt + 1000 / this.options.fps : performance.now() + this.restMs());
  }

  /** Reads the cursor image after a CursorNotify (one request at a time; the last change wins). */
  private async fetchCursor(): Promise<void> {
    if (this.fetchingCursor) {
      this.cursorStale = true;
      return;
    }
    this.fetchingCursor = true;
    try {
      do {
        this.cursorStale = false;
        this.cursor = await xfixesGetCursorImage(this.conn, this.xfixes.majorOpcode);
        this.x = this.cursor.x;
        this.y = this.cursor.y;
      } while (this.cursorStale && !this.closed);
    } catch (err) {
      this.fail(err, 'reading the cursor image');
      return;
    } finally {
      this.fetchingCursor = false;
    }
    if (!this.closed) this.events.onChange();
  }

  private fail(err: unknown, what: string): void {
    if (this.closed) return;
    this.close();
    this.events.onFailure(PlatformError.captureFailed(`${what} failed: ${(err as Error).message}`, err));
  }
}
