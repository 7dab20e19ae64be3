import { PlatformError } from './errors.ts';
import type { Platform, PlatformLogger } from './types.ts';
import { X11InputInjector } from './x11/X11InputInjector.ts';
import { X11ScreenCapture } from './x11/X11ScreenCapture.ts';
import { X11WindowTitle } from './x11/X11WindowTitle.ts';

export { PlatformError, PlatformErrorCode } from './errors.ts';
export type { CapturedFrame, InputInjector, InputMessage, Platform, PlatformLogger, ScreenCapture, WindowTitleSource } from './types.ts';

/** Options of {@link createPlatform}. */
export interface PlatformOptions {
  /** X display, e.g. `:0`. Default: `$DISPLAY`. */
  display?: string;
  /** Capture frames per second. Default 30. */
  fps?: number;
  /** Xauthority file for the display. Default: `$XAUTHORITY` (none: connect without a cookie). */
  xauthority?: string;
  logger?: PlatformLogger;
}

/**
 * Chooses the screen capture and input backends for this OS. Linux uses X11 (ffmpeg x11grab,
 * libnut and XTEST); other systems are not implemented yet and throw PlatformError `unsupported`.
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
  const newCapture = (): X11ScreenCapture =>
    new X11ScreenCapture({
      display,
      ...(options.fps !== undefined ? { fps: options.fps } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
  return {
    capture: newCapture(),
    newCapture,
    input: new X11InputInjector({
      display,
      ...(xauthority ? { xauthority } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    }),
    windowTitle: new X11WindowTitle({ display, ...(xauthority ? { xauthority } : {}) }),
  };
}
