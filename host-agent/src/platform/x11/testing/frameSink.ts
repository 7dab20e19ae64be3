// Test helper shared by the screen capture tests.
import type { CapturedFrame } from '../../types.ts';

/** Collects frames and lets a test wait for one that matches. */
export function frameSink(): {
  onFrame: (f: CapturedFrame) => void;
  frames: CapturedFrame[];
  count: () => number;
  next: (match: (f: CapturedFrame) => boolean, timeoutMs?: number) => Promise<CapturedFrame>;
} {
  const frames: CapturedFrame[] = [];
  let count = 0;
  const waiters = new Set<(f: CapturedFrame) => void>();
  return {
    frames,
    count: () => count,
    onFrame: (f) => {
      count++;
      frames.push(f);
      if (frames.length > 50) frames.shift();
      for (const w of waiters) w(f);
    },
    next: (match, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error('no matching frame'));
        }, timeoutMs);
        const check = (f: CapturedFrame): void => {
          if (!match(f)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(f);
        };
        waiters.add(check);
      }),
  };
}

/** Y, U and V of the pixel at (x, y) of an I420 frame. */
export function yuvAt(f: CapturedFrame, x: number, y: number): { y: number; u: number; v: number } {
  const chromaW = f.width / 2;
  const uBase = f.width * f.height;
  const vBase = uBase + chromaW * (f.height / 2);
  const c = (y >> 1) * chromaW + (x >> 1);
  return { y: f.data[y * f.width + x]!, u: f.data[uBase + c]!, v: f.data[vBase + c]! };
}
