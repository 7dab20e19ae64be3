import type { Locator } from 'playwright-core';

/** Block size in pixels for {@link blockGrid}. */
export const BLOCK = 32;

/** An image reduced to the mean luma of BLOCKxBLOCK tiles: robust against codec noise, sensitive to layout. */
export interface Grid {
  cols: number;
  rows: number;
  values: number[];
}

/** Mean luma per tile of an RGBA image. */
export function blockGrid(width: number, height: number, rgba: Uint8Array | Uint8ClampedArray): Grid {
  const cols = Math.floor(width / BLOCK);
  const rows = Math.floor(height / BLOCK);
  const values = new Array<number>(cols * rows).fill(0);
  for (let y = 0; y < rows * BLOCK; y++) {
    for (let x = 0; x < cols * BLOCK; x++) {
      const i = (y * width + x) * 4;
      const luma = 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!;
      values[Math.floor(y / BLOCK) * cols + Math.floor(x / BLOCK)]! += luma / (BLOCK * BLOCK);
    }
  }
  return { cols, rows, values };
}

/** Mean absolute difference of two grids of the same shape, shifting `b` by `dx` tiles. */
export function gridDistance(a: Grid, b: Grid, dx = 0): number {
  let sum = 0;
  let n = 0;
  for (let r = 0; r < a.rows; r++) {
    for (let c = 0; c < a.cols; c++) {
      const cb = c + dx;
      if (cb < 0 || cb >= b.cols) continue;
      sum += Math.abs(a.values[r * a.cols + c]! - b.values[r * b.cols + cb]!);
      n++;
    }
  }
  return sum / n;
}

/** Standard deviation of a grid's tiles: proves an image is not uniform. */
export function gridSpread(g: Grid): number {
  const mean = g.values.reduce((s, v) => s + v, 0) / g.values.length;
  return Math.sqrt(g.values.reduce((s, v) => s + (v - mean) ** 2, 0) / g.values.length);
}

/** Grabs the current decoded frame of a `<video>` in the page as RGBA. */
export async function grabVideoFrame(video: Locator): Promise<{ width: number; height: number; data: Uint8Array }> {
  const { width, height, base64 } = await video.evaluate((el) => {
    const v = el as HTMLVideoElement;
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(v, 0, 0);
    const bytes = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { width: canvas.width, height: canvas.height, base64: btoa(binary) };
  });
  return { width, height, data: new Uint8Array(Buffer.from(base64, 'base64')) };
}

/** Page coordinates of the centre of host pixel (x, y) in a letterboxed, scaled `<video>`. */
export async function pagePointForHostPixel(video: Locator, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await video.boundingBox())!;
  const { vw, vh } = await video.evaluate((el) => ({
    vw: (el as HTMLVideoElement).videoWidth,
    vh: (el as HTMLVideoElement).videoHeight,
  }));
  const scale = Math.min(box.width / vw, box.height / vh);
  const left = box.x + (box.width - vw * scale) / 2;
  const top = box.y + (box.height - vh * scale) / 2;
  return { x: left + (x + 0.5) * scale, y: top + (y + 0.5) * scale };
}
