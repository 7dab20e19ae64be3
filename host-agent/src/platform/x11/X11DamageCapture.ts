import { PlatformError } from '../errors.ts';
import type { CapturedFrame, PlatformLogger, ScreenCapture } from '../types.ts';
import { bgrxToI420, drawCursor, warmUpBgrxToI420 } from './bgrxToI420.ts';
import { DamageReportLevel, damageCreate, damageDestroy, damageQueryVersion, damageSubtractAll, getImage, parseDamageNotify, type X11Rect } from './captureRequests.ts';
import { DamageRegion } from './DamageRegion.ts';
import { X11Connection, type X11Extension, type X11Setup } from './X11Connection.ts';
import { X11PointerTracker } from './X11PointerTracker.ts';

/** Options of {@link X11DamageCapture}. */
export interface X11DamageCaptureOptions {
  /** X display to capture, e.g. `:0`. */
  display: string;
  /** Xauthority file for the display; none means "connect without a cookie". */
  xauthority?: string;
  /** At most this many grabs per second; also the repeat rate while a picture settles. Default 30. */
  fps?: number;
  /** Milliseconds: an unchanged screen is still delivered this often. Default 1000. */
  keepaliveMs?: number;
  /**
   * Milliseconds after the start and after each change during which the last frame is delivered
   * again at `fps`, so the encoder can refine a still picture to full quality. Default 1500.
   */
  settleMs?: number;
  /** Milliseconds `start()` waits for the first frame. Default 10000. */
  startTimeoutMs?: number;
  /** Draw the mouse pointer into the frames. Default true (needs XFIXES). */
  drawMouse?: boolean;
  /**
   * Milliseconds between pointer position polls while the pointer rests, on a server without XI2
   * raw motion events (pointer motion damages nothing: the cursor is a sprite). Within a second
   * of a movement it is polled at `fps`. Default 50. With XI2 the position is read on motion events.
   */
  pointerPollMs?: number;
  /**
   * Follow the pointer with XI2 raw motion events where the server has them (and poll once a
   * second for warps, which make none). Default true; false polls as without XI2.
   */
  pointerMotionEvents?: boolean;
  logger?: PlatformLogger;
}

/**
 * Captures an X11 screen in-process, driven by the DAMAGE extension, and delivers I420 frames
 * (BT.709 limited range, as {@link X11Grab} does). The server reports changed rectangles; only
 * those are read (core GetImage, at most `fps` grabs per second, the first change after a pause
 * at once) into a persistent BGRX copy of the screen and a persistent I420 frame, and each
 * delivery is a copy of that frame with the pointer drawn in ({@link X11PointerTracker}). An idle
 * screen costs no X traffic but a pointer position check (once a second with XI2, else a poll).
 * Like X11ScreenCapture, the last frame is delivered again at `fps` while a picture settles and
 * once per `keepaliveMs` after that.
 *
 * Measured against X11ScreenCapture on the busy 2-core test machine, Xvfb 1280x800, medians: idle
 * 0.5% of a core (ffmpeg capture 12.7%), start() 115 ms (446), key press to frame 4 ms (38),
 * pointer move to frame 4 ms (46); a scrolling 600x520 xterm 8.5% (18%); the whole screen
 * scrolling 18% at 23 fps (18%, grabbing 30 fps): 4 MiB a frame through the socket, where ffmpeg
 * uses MIT-SHM.
 *
 * Needs a little-endian server with a 24/32-bit true-colour root (BGRX pixels). An odd screen
 * width or height loses its last column or row; a resolution change is not followed.
 */
export class X11DamageCapture implements ScreenCapture {
  private _width = 0;
  private _height = 0;
  private conn: X11Connection | undefined;
  private damage: X11Extension | undefined;
  /** Set when the pointer is drawn. */
  private pointer: X11PointerTracker | undefined;
  /** Our damage object on the root window; 0 before it exists. */
  private damageId = 0;
  private region: DamageRegion | undefined;
  /** The screen as BGRX (width * 4 bytes a row), for drawing the pointer over. */
  private screen = new Uint8Array(0);
  /** The screen as I420, updated in place by each grab. */
  private yuv = new Uint8Array(0);
  /** The pointer moved or changed shape since the last delivered frame. */
  private pointerDirty = false;
  private grabbing = false;
  /** performance.now() of the last grab that read the screen. */
  private lastGrabAt = -Infinity;
  /** performance.now() of the last grab of any kind (also one that only moved the pointer). */
  private lastComposeAt = -Infinity;
  /** When the scheduled grab runs. */
  private grabDueAt = Infinity;
  private lastDeliveredAt = 0;
  private lastChangeAt: number | undefined;
  private lastFrame: Uint8Array | undefined;
  private grabTimer: NodeJS.Timeout | undefined;
  private grabImmediate: NodeJS.Immediate | undefined;
  private repeatTimer: NodeJS.Timeout | undefined;
  private startTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private started = false;
  private failed = false;
  private onFrame: ((f: CapturedFrame) => void) | undefined;
  private onError: ((e: Error) => void) | undefined;
  private settleStart: ((err?: PlatformError) => void) | undefined;
  private readonly fps: number;

  constructor(private readonly options: X11DamageCaptureOptions) {
    this.fps = options.fps ?? 30;
    if (!(this.fps > 0 && this.fps <= 120)) throw new RangeError(`fps must be in (0, 120], got ${this.fps}`);
  }

  /** Pixels; 0 until `start()` resolves. */
  get width(): number {
    return this._width;
  }

  /** Pixels; 0 until `start()` resolves. */
  get height(): number {
    return this._height;
  }

  /** Connects to the display; resolves after the first frame was delivered. See {@link ScreenCapture.start}. */
  start(onFrame: (f: CapturedFrame) => void, onError: (e: Error) => void): Promise<void> {
    if (this.closed) return Promise.reject(PlatformError.closed('screen capture'));
    if (this.started) return Promise.reject(PlatformError.captureFailed('already started'));
    this.started = true;
    this.onFrame = onFrame;
    this.onError = onError;
    const timeoutMs = this.options.startTimeoutMs ?? 10_000;
    return new Promise<void>((resolve, reject) => {
      this.settleStart = (err) => {
        this.settleStart = undefined;
        clearTimeout(this.startTimer);
        if (err) reject(err);
        else resolve();
      };
      this.startTimer = setTimeout(() => this.fail(PlatformError.captureFailed(`no frame within ${timeoutMs} ms`)), timeoutMs);
      this.open().catch((err: unknown) => {
        this.fail(err instanceof PlatformError ? err : PlatformError.captureFailed(`cannot start: ${(err as Error).message}`, err));
      });
    });
  }

  /** Releases the damage object, the connection, timers and callbacks. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.startTimer);
    this.settleStart?.(PlatformError.closed('screen capture'));
    this.release();
    this.onFrame = undefined;
    this.onError = undefined;
  }

  private async open(): Promise<void> {
    const { display } = this.options;
    const connecting = X11Connection.connect(display, this.options.xauthority ? { xauthority: this.options.xauthority } : {});
    // While the server answers (the first time in this process only).
    warmUpBgrxToI420();
    const conn = await connecting;
    if (this.closed || this.failed) {
      conn.close();
      return;
    }
    this.conn = conn;
    conn.onLost = (err) => this.fail(PlatformError.captureFailed(`lost the connection to X display ${display}`, err));
    checkPixelFormat(conn.setup);
    this._width = conn.setup.width & ~1;
    this._height = conn.setup.height & ~1;
    if (this._width === 0 || this._height === 0) throw PlatformError.captureFailed(`screen size ${conn.setup.width}x${conn.setup.height} cannot be carried as I420`);
    const damage = await requireExtension(conn, 'DAMAGE');
    await damageQueryVersion(conn, damage.majorOpcode);
    if (this.options.drawMouse !== false) {
      this.pointer = await X11PointerTracker.create(
        conn,
        { fps: this.fps, pollMs: this.options.pointerPollMs ?? 50, motionEvents: this.options.pointerMotionEvents !== false },
        {
          onChange: () => {
            this.pointerDirty = true;
            this.scheduleGrab();
          },
          onFailure: (err) => this.fail(err),
        },
      );
    }
    this.screen = new Uint8Array(this._width * this._height * 4);
    this.yuv = new Uint8Array((this._width * this._height * 3) / 2);
    this.region = new DamageRegion(this._width, this._height);
    this.damage = damage;
    conn.onEvent = (event) => this.onEvent(event);
    this.damageId = conn.newId();
    damageCreate(conn, damage.majorOpcode, this.damageId, conn.setup.root, DamageReportLevel.DeltaRectangles);
    await conn.sync();
    if (this.closed || this.failed) return;
    // The first frame is the whole screen, read after the damage object exists: no change is missed.
    this.region.add({ x: 0, y: 0, width: this._width, height: this._height });
    this.options.logger?.debug({ display, width: this._width, height: this._height, pointerEvents: this.pointer?.eventDriven }, 'damage capture started');
    await this.grab();
    this.pointer?.start();
  }

  private onEvent(event: Buffer): void {
    if (this.pointer?.handleEvent(event) || !this.damage || !this.region) return;
    const rect = parseDamageNotify(event, this.damage.firstEvent);
    if (rect) {
      this.region.add(rect);
      this.scheduleGrab();
    }
  }

  /**
   * Grabs now when the last grab is at least a frame interval ago, else when it is; one at a
   * time. Screen changes are paced against grabs that read the screen, a pointer change alone
   * against any grab: so a change drawn just after the pointer moved or changed shape (xterm hides
   * the pointer on a key press, then draws the character) is not held back a frame interval.
   */
  private scheduleGrab(): void {
    if (this.grabbing || this.closed || this.failed || this.lastChangeAt === undefined || !this.region) return;
    const since = this.region.empty ? this.lastComposeAt : this.lastGrabAt;
    const now = performance.now();
    const dueAt = Math.max(now, since + 1000 / this.fps);
    if (this.grabPending && this.grabDueAt <= dueAt) return;
    this.cancelGrab();
    this.grabDueAt = dueAt;
    const run = (): void => {
      this.cancelGrab();
      void this.grab();
    };
    // setImmediate: the events that came in the same read are added to the region first.
    if (dueAt <= now) this.grabImmediate = setImmediate(run);
    else this.grabTimer = setTimeout(run, dueAt - now);
  }

  private get grabPending(): boolean {
    return this.grabTimer !== undefined || this.grabImmediate !== undefined;
  }

  private cancelGrab(): void {
    clearTimeout(this.grabTimer);
    clearImmediate(this.grabImmediate);
    this.grabTimer = undefined;
    this.grabImmediate = undefined;
    this.grabDueAt = Infinity;
  }

  /** Reads the damaged rectangles (subtracting the damage first, so no change is missed), then delivers. */
  private async grab(): Promise<void> {
    const { conn, damage, region } = this;
    if (!conn || !damage || !region || this.closed || this.failed) return;
    this.grabbing = true;
    this.lastComposeAt = performance.now();
    const rects = region.take();
    if (rects.length > 0) this.lastGrabAt = this.lastComposeAt;
    try {
      if (rects.length > 0) {
        damageSubtractAll(conn, damage.majorOpcode, this.damageId);
        // Pipelined, and each band is converted as it arrives while the server sends the next.
        const bands = rects.flatMap(splitIntoBands);
        await Promise.all(
          bands.map(async (r) => {
            const reply = await getImage(conn, conn.setup.root, r);
            if (!this.closed && !this.failed) this.apply(r, reply);
          }),
        );
        if (this.closed || this.failed) return;
      }
    } catch (err) {
      this.fail(PlatformError.captureFailed(`reading the screen failed: ${(err as Error).message}`, err));
      return;
    } finally {
      this.grabbing = false;
    }
    this.pointerDirty = false;
    const now = performance.now();
    this.lastChangeAt = now;
    this.deliver(this.composeFrame(), now);
    if (!region.empty || this.pointerDirty) this.scheduleGrab();
  }

  /** Copies one GetImage reply into the BGRX screen and converts that rectangle into the I420 frame. */
  private apply(r: X11Rect, reply: Buffer): void {
    const rowBytes = r.width * 4;
    const screenStride = this._width * 4;
    for (let row = 0; row < r.height; row++) {
      const from = 32 + row * rowBytes;
      this.screen.set(reply.subarray(from, from + rowBytes), (r.y + row) * screenStride + r.x * 4);
    }
    const source = { pixels: this.screen, offset: r.y * screenStride + r.x * 4, stride: screenStride };
    bgrxToI420(source, this.yuv, this._width, this._height, r.x, r.y, r.width, r.height);
  }

  /** A frame of its own: the I420 screen with the pointer drawn in. */
  private composeFrame(): Uint8Array {
    const frame = new Uint8Array(this.yuv);
    if (this.pointer) drawCursor(frame, this.screen, this._width, this._height, this.pointer.sprite());
    return frame;
  }

  /**
   * Sends the last frame again: at the capture rate while a still picture settles (the encoder
   * refines it to full quality), then once per keep-alive period.
   */
  private scheduleRepeat(): void {
    clearTimeout(this.repeatTimer);
    if (this.closed || this.failed || this.lastChangeAt === undefined) return;
    const settleLeft = this.lastChangeAt + (this.options.settleMs ?? 1500) - this.lastDeliveredAt;
    const waitMs = settleLeft > 0 ? 1000 / this.fps : (this.options.keepaliveMs ?? 1000);
    this.repeatTimer = setTimeout(() => {
      // A grab under way delivers a newer frame (and schedules the next repeat) itself.
      if (this.grabbing || this.grabPending) return;
      if (this.lastFrame) this.deliver(this.lastFrame, performance.now());
    }, waitMs);
  }

  private deliver(data: Uint8Array, now: number): void {
    const onFrame = this.onFrame;
    if (!onFrame) return;
    this.lastDeliveredAt = now;
    this.lastFrame = data;
    try {
      onFrame({ width: this._width, height: this._height, data });
    } catch (err) {
      // A throwing consumer must not become an unhandled rejection in the grab loop.
      this.fail(PlatformError.captureFailed(`frame handler threw: ${(err as Error).message}`, err));
      return;
    }
    this.settleStart?.();
    this.scheduleRepeat();
  }

  /** Reports a failure once: rejects `start()` if still pending, else calls `onError`. */
  private fail(err: PlatformError): void {
    if (this.closed || this.failed) return;
    this.failed = true;
    this.release();
    this.options.logger?.warn({ err: err.message }, 'screen capture failed');
    if (this.settleStart) {
      this.settleStart(err);
      return;
    }
    const onError = this.onError;
    this.onError = undefined;
    this.onFrame = undefined;
    onError?.(err);
  }

  /** Frees the damage object and the connection, stops every timer. */
  private release(): void {
    this.cancelGrab();
    clearTimeout(this.repeatTimer);
    this.pointer?.close();
    this.lastFrame = undefined;
    const { conn, damage } = this;
    this.conn = undefined;
    if (!conn) return;
    conn.onEvent = undefined;
    conn.onLost = undefined;
    if (damage && this.damageId && !conn.closed) damageDestroy(conn, damage.majorOpcode, this.damageId);
    conn.close();
  }
}

/** Bytes of pixels a single GetImage reads at most (a full 1280x800 screen is 4 MiB). */
const BAND_BYTES = 256 * 1024;

/** Cuts a large rectangle into bands of whole row pairs of at most BAND_BYTES each. */
function splitIntoBands(r: X11Rect): X11Rect[] {
  const rows = Math.max(2, Math.floor(BAND_BYTES / (r.width * 4)) & ~1);
  if (r.height <= rows) return [r];
  const bands: X11Rect[] = [];
  for (let y = r.y; y < r.y + r.height; y += rows) bands.push({ x: r.x, y, width: r.width, height: Math.min(rows, r.y + r.height - y) });
  return bands;
}

/** Checks for what {@link bgrxToI420} reads: 32 bits per pixel, little endian, 8 bits per colour. */
function checkPixelFormat(setup: X11Setup): void {
  const { red, green, blue } = setup.rootVisualMasks;
  const ok =
    (setup.rootDepth === 24 || setup.rootDepth === 32) &&
    setup.rootBitsPerPixel === 32 &&
    setup.imageByteOrder === 0 &&
    red === 0xff0000 &&
    green === 0xff00 &&
    blue === 0xff;
  if (!ok) {
    throw PlatformError.captureFailed(
      `unsupported screen pixel format (depth ${setup.rootDepth}, ${setup.rootBitsPerPixel} bits per pixel, ` +
        `${setup.imageByteOrder === 0 ? 'LSB' : 'MSB'} first, masks ${red.toString(16)}/${green.toString(16)}/${blue.toString(16)})`,
    );
  }
}

async function requireExtension(conn: X11Connection, name: string): Promise<X11Extension> {
  const ext = await conn.queryExtension(name);
  if (!ext) throw PlatformError.captureFailed(`the X server of display ${conn.display} lacks the ${name} extension`);
  return ext;
}
