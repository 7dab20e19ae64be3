/** A rectangle in CSS pixels, as from `getBoundingClientRect()`. */
export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A size in pixels. */
export interface Size {
  width: number;
  height: number;
}

/** A point in host screen pixels. */
export interface HostPoint {
  x: number;
  y: number;
}

/**
 * Where the picture actually is inside an element that shows a video of
 * `video` size with `object-fit: contain`: centred, aspect kept, with bars
 * left and right (pillarbox) or above and below (letterbox).
 */
export function containedRect(element: Rect, video: Size): Rect {
  const scale = Math.min(element.width / video.width, element.height / video.height);
  const width = video.width * scale;
  const height = video.height * scale;
  return {
    left: element.left + (element.width - width) / 2,
    top: element.top + (element.height - height) / 2,
    width,
    height,
  };
}

/**
 * Maps a pointer position (client CSS pixels) over the displayed video to
 * the host pixel under it. `video` is the decoded size (videoWidth and
 * videoHeight, which decide the letterboxing); `host` is the host screen
 * size (defaults to the video size). Positions over the bars or outside are
 * clamped to the nearest edge pixel. Returns null while any size is unknown.
 */
export function mapToHost(
  clientX: number,
  clientY: number,
  element: Rect,
  video: Size,
  host: Size = video,
): HostPoint | null {
  if (!(video.width > 0 && video.height > 0 && host.width > 0 && host.height > 0)) {
    return null;
  }
  if (!(element.width > 0 && element.height > 0)) {
    return null;
  }
  const picture = containedRect(element, video);
  const fx = (clientX - picture.left) / picture.width;
  const fy = (clientY - picture.top) / picture.height;
  return {
    x: clamp(Math.floor(fx * host.width), 0, host.width - 1),
    y: clamp(Math.floor(fy * host.height), 0, host.height - 1),
  };
}

/** Most notches one wheel event may scroll. */
export const MAX_WHEEL_NOTCHES = 10;

/** CSS pixels per wheel notch (Chromium scrolls 100 px per notch). */
const PIXELS_PER_NOTCH = 100;
/** Lines per wheel notch (the usual desktop setting). */
const LINES_PER_NOTCH = 3;

/**
 * Converts one wheel delta to notches: the sign of the delta, at least one
 * notch for any movement, at most {@link MAX_WHEEL_NOTCHES}. `deltaMode` is
 * the DOM WheelEvent mode (0 pixels, 1 lines, 2 pages).
 */
export function wheelNotches(delta: number, deltaMode: number): number {
  if (!Number.isFinite(delta) || delta === 0) {
    return 0;
  }
  const magnitude = Math.abs(delta);
  const notches =
    deltaMode === 2 ? MAX_WHEEL_NOTCHES : deltaMode === 1 ? magnitude / LINES_PER_NOTCH : magnitude / PIXELS_PER_NOTCH;
  return Math.sign(delta) * clamp(Math.round(notches), 1, MAX_WHEEL_NOTCHES);
}

/** DOM button numbers the protocol carries (left, middle, right). */
export type PointerButton = 0 | 1 | 2;

/** The protocol button for a DOM `MouseEvent.button`, or null for others (back, forward). */
export function pointerButton(button: number): PointerButton | null {
  return button === 0 || button === 1 || button === 2 ? button : null;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
