import { PlatformError } from './errors.ts';
import type { Platform, PlatformLogger, ScreenCapture } from './types.ts';
import { DamageGrab } from './x11/DamageGrab.ts';
import { X11DamageCapture } from './x11/X11DamageCapture.ts';
import { X11Grab } from './x11/X11Grab.ts';
import { X11InputInjector } from './x11/X11InputInjector.ts';
import { X11ScreenCapture } from './x11/X11ScreenCapture.ts';
import { X11WindowTitle } from './x11/X11WindowTitle.ts';

export { PlatformError, PlatformErrorCode } from './errors.ts';
export type { CapturedFrame, InputInjector, InputMessage, Platform, PlatformLogger, ScreenCapture, WindowTitleSource } from './types.ts';
export type { ScreenGrab, ScreenGrabFactory } from './x11/DamageGrab.ts';

/** How the screen is captured (see {@link PlatformOptions.capture}). */
export type CaptureMethod = 'damage' | 'ffmpeg';

/** Options of {@link createPlatform}. */
export interface PlatformOptions {
  /** X display, e.g. `:0`. Default: `$DISPLAY`. */
  display?: string;
  /** Capture frames per second. Default 30. */
  fps?: number;
  /**
   * How the screen is captured: `damage` (default) reads only what changed, in process, when the
   * X server reports it (DAMAGE, XFIXES); `ffmpeg` polls the whole screen with ffmpeg x11grab.
   */
  capture?: CaptureMethod;
  /** Xauthority file for the display. Default: `$XAUTHORITY` (none: connect without a cookie). */
  xauthority?: string;
  logger?: PlatformLogger;
}

/**
 * Chooses the screen capture and input backends for this OS. Linux uses X11 (DAMAGE + GetImage in
 * process, or ffmpeg x11grab; XTEST for input); other systems are not implemented yet and throw PlatformError `unsupported`.
 * Nothing touches the display until a capture starts or the first input arrives.
 */
export function createPlatform(options: PlatformOptions = {}): Platform {
  if (process.platform !== 'linux') {
    throw PlatformError.unsupported(`${process.platform} backend not implemented yet`);
  }
  // This is the platform's composition root: like Xlib, it falls back to the usual variables.
  const display = options.display ?? process.env['DISPLAY'];
  if (!display) throw PlatformError.displayUnavailable('(none)', 'no display given and DISPLAY is not set');
  const xauthority = options.xauthority ?? process.env['XAUTHORITY'];
  const common = {
    display,
    ...(options.fps !== undefined ? { fps: options.fps } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  };
  const newCapture = (): ScreenCapture =>
    options.capture === 'ffmpeg' ? new X11ScreenCapture(common) : new X11DamageCapture({ ...common, ...(xauthority ? { xauthority } : {}) });
  return {
    capture: newCapture(),
    newCapture,
    input: new X11InputInjector({
      display,
      ...(xauthority ? { xauthority } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    }),
    windowTitle: new X11WindowTitle({ display, ...(xauthority ? { xauthority } : {}) }),
    recorderGrab: options.capture === 'ffmpeg' ? (o, e) => new X11Grab(o, e) : (o, e) => new DamageGrab({ ...o, ...(xauthority ? { xauthority } : {}) }, e),
    recorderGrabFps: options.capture === 'ffmpeg' ? 4 : 1,
  };
}
