import type { ViewerMessage } from '@wardlink/protocol';
import type { ScreenGrabFactory } from './x11/DamageGrab.ts';

/**
 * One captured frame in I420 (YUV 4:2:0 planar, BT.709 limited range: what browsers assume for
 * a VP8/VP9 stream without colour space), ready for wrtc's `RTCVideoSource.onFrame`. `data`
 * holds the Y plane (width*height bytes) followed by the U and V planes (width/2 * height/2
 * bytes each). Each frame owns its buffer: the capture never writes to it again, so a consumer
 * may keep it.
 */
export interface CapturedFrame {
  /** Pixels. */
  width: number;
  /** Pixels. */
  height: number;
  data: Uint8Array;
}

/** A live capture of the whole screen. One instance captures once: after `close()` it cannot restart. */
export interface ScreenCapture {
  /** Pixels; 0 until `start()` resolves. */
  readonly width: number;
  /** Pixels; 0 until `start()` resolves. */
  readonly height: number;
  /**
   * Starts capturing. Resolves once the screen size is known and the first frame has been
   * delivered; rejects with a PlatformError if capture cannot start. Afterwards `onFrame` gets
   * a frame whenever the screen changed (and at least once per second when it did not);
   * `onError` is called once if capture dies (e.g. ffmpeg exits), never after `close()`.
   */
  start(onFrame: (f: CapturedFrame) => void, onError: (e: Error) => void): Promise<void>;
  /** Stops capturing. Safe to call twice; kills child processes, removes listeners. */
  close(): void;
}

/** The viewer messages that inject input. Coordinates are host pixels. */
export type InputMessage = Extract<
  ViewerMessage,
  { type: 'input:pointer' | 'input:wheel' | 'input:key' | 'input:text' }
>;

/** Injects a remote user's input into the local desktop. */
export interface InputInjector {
  /**
   * Applies one message. Messages are applied one at a time in call order, even when the caller
   * does not await. Rejects with a PlatformError on failure (e.g. code `unsupported_key`); a
   * failure never crashes the process and does not affect later messages.
   */
  apply(msg: InputMessage): Promise<void>;
  /** Releases every key and mouse button this injector pressed (called when a session ends). */
  releaseAll(): Promise<void>;
  /** Releases what is held and frees resources. Safe to call twice; `apply` rejects afterwards. */
  close(): void;
}

/** The screen and input backends of this host. */
export interface Platform {
  /** A capture ready to start (one session's worth). */
  capture: ScreenCapture;
  /** Makes a fresh capture, e.g. one per session, since a closed capture cannot restart. */
  newCapture(): ScreenCapture;
  /** The input injector; shared by all sessions (one at a time). */
  input: InputInjector;
  /** The title of the window the user works in, for the recording's timeline. */
  windowTitle: WindowTitleSource;
  /** How the session recorder grabs the screen (the same method as the live capture). */
  recorderGrab: ScreenGrabFactory;
  /**
   * Grabs per second the recorder should ask of `recorderGrab`: x11grab needs more than the
   * recording rate to deliver its first frame soon; the in-process grab delivers it at once, and
   * each extra full-screen read costs CPU under a flood of changes.
   */
  recorderGrabFps: number;
}

/** Where the active window's title comes from. */
export interface WindowTitleSource {
  /** The title, or undefined when no titled window is active. Rejects when the display cannot be read. */
  title(): Promise<string | undefined>;
  close(): void;
}

/** Optional pino-like logger accepted by platform classes. */
export interface PlatformLogger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}
