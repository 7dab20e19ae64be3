// BGRX (X11 ZPixmap at depth 24 on little endian) to I420, BT.709 limited range: the conversion
// ffmpeg's `scale=out_color_matrix=bt709:out_range=tv` makes for X11Grab, done on rectangles so
// that a damage-driven capture converts only what changed.

/** Coefficients scaled by 2^16: Y = 16 + 219/255 (Kr R + Kg G + Kb B), Kr .2126, Kb .0722. */
const YR = 11966;
const YG = 40254;
const YB = 4064;
/** U = 128 + 224/255 (B - Y') / 1.8556; V = 128 + 224/255 (R - Y') / 1.5748; scaled by 2^16. */
const UR = -6596;
const UG = -22188;
const UB = 28784;
const VR = 28784;
const VG = -26145;
const VB = -2639;
/** 16 << 16 plus one half for rounding. */
const Y_OFFSET = (16 << 16) + (1 << 15);
/** Chroma is computed from the sum of 4 pixels (2^2), hence 18 bits: 128 << 18 plus one half. */
const C_OFFSET = (128 << 18) + (1 << 17);

/** Where BGRX pixels come from: `pixels[offset]` is the blue byte of the rectangle's top-left pixel. */
export interface BgrxSource {
  pixels: Uint8Array;
  offset: number;
  /** Bytes per row. */
  stride: number;
}

/**
 * Converts the rectangle (x, y, width, height) of an I420 frame of `frameWidth` x `frameHeight`
 * from BGRX. x, y, width and height must be even (a 4:2:0 chroma sample covers 2x2 pixels, so a
 * rectangle with an odd edge would mix new pixels with stale ones in its edge samples; widen it
 * first). Chroma is the plain average of each 2x2 block.
 */
export function bgrxToI420(src: BgrxSource, frame: Uint8Array, frameWidth: number, frameHeight: number, x: number, y: number, width: number, height: number): void {
  if (((x | y | width | height) & 1) !== 0) throw new RangeError(`rectangle ${x},${y} ${width}x${height} is not 2x2 aligned`);
  if (x < 0 || y < 0 || x + width > frameWidth || y + height > frameHeight) throw new RangeError('rectangle outside the frame');
  const { pixels, stride } = src;
  const chromaWidth = frameWidth >> 1;
  const uPlane = frameWidth * frameHeight;
  const vPlane = uPlane + chromaWidth * (frameHeight >> 1);
  for (let row = 0; row < height; row += 2) {
    let s0 = src.offset + row * stride;
    let s1 = s0 + stride;
    let y0 = (y + row) * frameWidth + x;
    let y1 = y0 + frameWidth;
    let c = ((y + row) >> 1) * chromaWidth + (x >> 1);
    const end = c + (width >> 1);
    for (; c < end; c++) {
      const b00 = pixels[s0]!, g00 = pixels[s0 + 1]!, r00 = pixels[s0 + 2]!;
      const b01 = pixels[s0 + 4]!, g01 = pixels[s0 + 5]!, r01 = pixels[s0 + 6]!;
      const b10 = pixels[s1]!, g10 = pixels[s1 + 1]!, r10 = pixels[s1 + 2]!;
      const b11 = pixels[s1 + 4]!, g11 = pixels[s1 + 5]!, r11 = pixels[s1 + 6]!;
      frame[y0] = (YR * r00 + YG * g00 + YB * b00 + Y_OFFSET) >> 16;
      frame[y0 + 1] = (YR * r01 + YG * g01 + YB * b01 + Y_OFFSET) >> 16;
      frame[y1] = (YR * r10 + YG * g10 + YB * b10 + Y_OFFSET) >> 16;
      frame[y1 + 1] = (YR * r11 + YG * g11 + YB * b11 + Y_OFFSET) >> 16;
      const r = r00 + r01 + r10 + r11;
      const g = g00 + g01 + g10 + g11;
      const b = b00 + b01 + b10 + b11;
      frame[uPlane + c] = (UR * r + UG * g + UB * b + C_OFFSET) >> 18;
      frame[vPlane + c] = (VR * r + VG * g + VB * b + C_OFFSET) >> 18;
      s0 += 8;
      s1 += 8;
      y0 += 2;
      y1 += 2;
    }
  }
}

/** A cursor image to draw: premultiplied BGRA bytes (XFIXES' ARGB words on little endian). */
export interface CursorSprite {
  /** Position of the image's top-left corner in the frame (may be partly outside). */
  left: number;
  top: number;
  width: number;
  height: number;
  pixels: Uint8Array;
}

/**
 * Draws `cursor` into an I420 `frame` whose pixels are `screen` (BGRX, `frameWidth * 4` bytes a
 * row): blends the cursor over the screen pixels of the 2x2-aligned area it covers and converts
 * that area again. `screen` is not changed. Returns false when the cursor is off the frame.
 */
export function drawCursor(frame: Uint8Array, screen: Uint8Array, frameWidth: number, frameHeight: number, cursor: CursorSprite): boolean {
  const x0 = Math.max(0, cursor.left) & ~1;
  const y0 = Math.max(0, cursor.top) & ~1;
  const x1 = Math.min(frameWidth, (cursor.left + cursor.width + 1) & ~1);
  const y1 = Math.min(frameHeight, (cursor.top + cursor.height + 1) & ~1);
  if (x1 <= x0 || y1 <= y0) return false;
  const w = x1 - x0;
  const h = y1 - y0;
  const stride = w * 4;
  const area = new Uint8Array(stride * h);
  const screenStride = frameWidth * 4;
  for (let row = 0; row < h; row++) {
    const from = (y0 + row) * screenStride + x0 * 4;
    area.set(screen.subarray(from, from + stride), row * stride);
  }
  for (let row = 0; row < h; row++) {
    const cy = y0 + row - cursor.top;
    if (cy < 0 || cy >= cursor.height) continue;
    for (let col = 0; col < w; col++) {
      const cx = x0 + col - cursor.left;
      if (cx < 0 || cx >= cursor.width) continue;
      const c = (cy * cursor.width + cx) * 4;
      const alpha = cursor.pixels[c + 3]!;
      if (alpha === 0) continue;
      const a = row * stride + col * 4;
      const keep = 255 - alpha;
      for (let k = 0; k < 3; k++) area[a + k] = Math.min(255, cursor.pixels[c + k]! + Math.floor((area[a + k]! * keep + 127) / 255));
    }
  }
  bgrxToI420({ pixels: area, offset: 0, stride }, frame, frameWidth, frameHeight, x0, y0, w, h);
  return true;
}

let warmedUp = false;

/**
 * Runs the conversion a few times on a small block, once per process: V8 then compiles it before
 * the first full-screen frame, which otherwise takes ~30 ms instead of ~8 ms to convert. Costs ~5 ms.
 */
export function warmUpBgrxToI420(): void {
  if (warmedUp) return;
  warmedUp = true;
  const pixels = new Uint8Array(64 * 64 * 4);
  const frame = new Uint8Array((64 * 64 * 3) / 2);
  for (let i = 0; i < 10; i++) bgrxToI420({ pixels, offset: 0, stride: 64 * 4 }, frame, 64, 64, 0, 0, 64, 64);
}
