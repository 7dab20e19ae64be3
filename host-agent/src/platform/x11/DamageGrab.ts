import type { CapturedFrame } from '../types.ts';
import { X11DamageCapture } from './X11DamageCapture.ts';
import type { X11GrabEvents, X11GrabOptions } from './X11Grab.ts';

/** What a recorder needs of a screen grab: {@link X11Grab} (ffmpeg) or {@link DamageGrab} (in process). */
export interface ScreenGrab {
  /** Process id of a grabbing child process, if there is one. */
  readonly pid: number | undefined;
  /** Resolves once the grab has stopped for good. */
  readonly exited: Promise<void>;
  /** Stops grabbing; no events after this. Safe to call twice. */
  stop(): void;
}

/** Makes a screen grab for the recorder. */
export type ScreenGrabFactory = (options: X11GrabOptions, events: X11GrabEvents) => ScreenGrab;

/**
 * The recorder's grab from {@link X11DamageCapture} instead of an ffmpeg process: it starts in
 * about a tenth of the time (no process to start, which a recorded session waits for), reads only
 * what changed, and still hands over a frame every 1/fps seconds (`changed` false when the screen
 * is the same), as x11grab does, so the recorder's pacing and stall watchdog work unchanged.
 */
export class DamageGrab implements ScreenGrab {
  readonly pid = undefined;
  readonly exited: Promise<void>;
  private readonly capture: X11DamageCapture;
  private previous: Uint8Array | undefined;
  private sized = false;
  private stopped = false;
  private markExited: () => void = () => undefined;

  constructor(
    options: X11GrabOptions & { xauthority?: string },
    private readonly events: X11GrabEvents,
  ) {
    this.exited = new Promise((resolve) => (this.markExited = resolve));
    this.capture = new X11DamageCapture({
      display: options.display,
      ...(options.xauthority ? { xauthority: options.xauthority } : {}),
      fps: options.fps,
      drawMouse: options.drawMouse,
      // Every grab interval a frame, changed or not (the recorder paces itself on them).
      settleMs: 0,
      keepaliveMs: 1000 / options.fps,
    });
    this.capture.start(
      (frame) => this.onFrame(frame),
      (err) => this.fail(err.message, err),
    ).catch((err: unknown) => this.fail(err instanceof Error ? err.message : String(err), err));
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.capture.close();
    this.previous = undefined;
    this.markExited();
  }

  private onFrame(frame: CapturedFrame): void {
    if (this.stopped) return;
    if (!this.sized) {
      this.sized = true;
      this.events.onSize(frame.width, frame.height);
    }
    const previous = this.previous;
    // A repeat is the very same buffer; a new grab may still show the same pixels.
    const changed = frame.data !== previous && !(previous && Buffer.from(previous.buffer, previous.byteOffset, previous.byteLength).equals(frame.data));
    this.previous = frame.data;
    this.events.onFrame(Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength), changed);
  }

  private fail(reason: string, cause: unknown): void {
    if (this.stopped) return;
    this.stop();
    this.events.onFailure(`screen grab failed: ${reason}`, cause);
  }
}
