import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bgrxToI420, drawCursor } from './bgrxToI420.ts';

type Rgb = [number, number, number];

/** A BGRX screen of one colour. */
function screenOf(width: number, height: number, [r, g, b]: Rgb): Uint8Array {
  const s = new Uint8Array(width * height * 4);
  for (let i = 0; i < s.length; i += 4) s.set([b, g, r, 0], i);
  return s;
}

function setPixel(s: Uint8Array, width: number, x: number, y: number, [r, g, b]: Rgb): void {
  s.set([b, g, r, 0], (y * width + x) * 4);
}

function convertAll(s: Uint8Array, width: number, height: number): Uint8Array {
  const frame = new Uint8Array((width * height * 3) / 2);
  bgrxToI420({ pixels: s, offset: 0, stride: width * 4 }, frame, width, height, 0, 0, width, height);
  return frame;
}

function yuvAt(f: Uint8Array, width: number, height: number, x: number, y: number): [number, number, number] {
  const c = (y >> 1) * (width / 2) + (x >> 1);
  return [f[y * width + x]!, f[width * height + c]!, f[width * height + (width / 2) * (height / 2) + c]!];
}

describe('bgrxToI420', () => {
  it('converts with BT.709 limited range, as ffmpeg does for X11Grab', () => {
    // The values the X11ScreenCapture tests read from ffmpeg's output.
    const cases: Array<[Rgb, [number, number, number]]> = [
      [[255, 0, 0], [63, 102, 240]],
      [[0, 0, 255], [32, 240, 118]],
      [[0, 255, 0], [173, 42, 26]],
      [[255, 255, 255], [235, 128, 128]],
      [[0, 0, 0], [16, 128, 128]],
      [[128, 128, 128], [126, 128, 128]],
    ];
    for (const [rgb, want] of cases) {
      const f = convertAll(screenOf(4, 2, rgb), 4, 2);
      assert.deepEqual(yuvAt(f, 4, 2, 3, 1), want, `rgb ${rgb.join(',')}`);
    }
  });

  it('takes each chroma sample as the average of its 2x2 block', () => {
    const s = screenOf(2, 2, [255, 0, 0]);
    setPixel(s, 2, 1, 1, [0, 0, 255]);
    const f = convertAll(s, 2, 2);
    // Three red pixels and one blue average to R 191.25, B 63.75:
    // U = 128 + 224/255 (-.1146 R + .5 B) = 136.75, V = 128 + 224/255 (.5 R - .0458 B) = 209.4.
    assert.deepEqual([f[4], f[5]], [137, 209]);
    assert.deepEqual([...f.subarray(0, 4)], [63, 63, 63, 32]);
  });

  it('writes only the rectangle it converts', () => {
    const width = 8;
    const height = 6;
    const frame = new Uint8Array((width * height * 3) / 2).fill(7);
    const s = screenOf(width, height, [255, 255, 255]);
    bgrxToI420({ pixels: s, offset: (2 * width + 4) * 4, stride: width * 4 }, frame, width, height, 4, 2, 2, 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const inside = x >= 4 && x < 6 && y >= 2 && y < 6;
        assert.deepEqual(yuvAt(frame, width, height, x, y), inside ? [235, 128, 128] : [7, 7, 7], `pixel ${x},${y}`);
      }
    }
  });

  it('refuses a rectangle that is not 2x2 aligned or leaves the frame', () => {
    const frame = new Uint8Array(24);
    const src = { pixels: new Uint8Array(64), offset: 0, stride: 16 };
    assert.throws(() => bgrxToI420(src, frame, 4, 4, 1, 0, 2, 2), RangeError);
    assert.throws(() => bgrxToI420(src, frame, 4, 4, 0, 0, 3, 2), RangeError);
    assert.throws(() => bgrxToI420(src, frame, 4, 4, 2, 2, 4, 2), RangeError);
  });
});

describe('drawCursor', () => {
  it('blends a premultiplied cursor over the screen and leaves the screen as it was', () => {
    const width = 8;
    const height = 8;
    const screen = screenOf(width, height, [0, 0, 255]);
    const before = Uint8Array.from(screen);
    const frame = convertAll(screen, width, height);
    // 3x1 cursor at (3, 3): opaque white, half-transparent black (premultiplied), fully transparent.
    const pixels = new Uint8Array([255, 255, 255, 255, 0, 0, 0, 128, 0, 0, 0, 0]);
    assert.equal(drawCursor(frame, screen, width, height, { left: 3, top: 3, width: 3, height: 1, pixels }), true);
    assert.deepEqual(screen, before);
    assert.equal(yuvAt(frame, width, height, 3, 3)[0], 235, 'opaque white');
    assert.equal(yuvAt(frame, width, height, 4, 3)[0], 24, 'blue at half brightness: 16 + (32 - 16) / 2');
    assert.equal(yuvAt(frame, width, height, 5, 3)[0], 32, 'transparent: blue');
    assert.equal(yuvAt(frame, width, height, 3, 4)[0], 32, 'below the cursor: blue');
  });

  it('clips a cursor at the frame edge and ignores one off the frame', () => {
    const screen = screenOf(4, 4, [0, 0, 0]);
    const frame = convertAll(screen, 4, 4);
    const pixels = new Uint8Array(4 * 4 * 4).fill(255);
    assert.equal(drawCursor(frame, screen, 4, 4, { left: -2, top: 3, width: 4, height: 4, pixels }), true);
    assert.deepEqual([yuvAt(frame, 4, 4, 0, 3)[0], yuvAt(frame, 4, 4, 1, 3)[0], yuvAt(frame, 4, 4, 2, 3)[0], yuvAt(frame, 4, 4, 1, 2)[0]], [235, 235, 16, 16]);
    assert.equal(drawCursor(frame, screen, 4, 4, { left: 4, top: 0, width: 4, height: 4, pixels }), false);
    assert.equal(drawCursor(frame, screen, 4, 4, { left: 0, top: -4, width: 4, height: 4, pixels }), false);
  });
});
