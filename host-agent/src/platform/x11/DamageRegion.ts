import type { X11Rect } from './captureRequests.ts';

/** Options of {@link DamageRegion}. */
export interface DamageRegionOptions {
  /** At most this many rectangles are kept (each costs one GetImage round trip). Default 8. */
  maxRects?: number;
  /**
   * Pixels: two rectangles become their bounding box when that adds at most this many pixels
   * that did not change. Default 4096 (64x64).
   */
  mergeSlackPixels?: number;
}

const area = (r: X11Rect): number => r.width * r.height;

function union(a: X11Rect, b: X11Rect): X11Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

function overlap(a: X11Rect, b: X11Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Pixels the bounding box of a and b covers that neither of them does. */
const waste = (a: X11Rect, b: X11Rect): number => area(union(a, b)) - area(a) - area(b) + overlap(a, b);

/**
 * The part of the screen that changed since the last grab, kept as a few rectangles aligned to
 * 2x2 pixels (so that each covers whole I420 chroma samples) and clipped to the frame.
 * Rectangles close to each other are merged, and so is the cheapest pair whenever there are too
 * many: a few slightly larger GetImage requests cost less than many tiny ones.
 */
export class DamageRegion {
  private rects: X11Rect[] = [];
  private readonly maxRects: number;
  private readonly slack: number;

  constructor(
    /** Pixels (even). */
    private readonly width: number,
    /** Pixels (even). */
    private readonly height: number,
    options: DamageRegionOptions = {},
  ) {
    this.maxRects = Math.max(1, options.maxRects ?? 8);
    this.slack = options.mergeSlackPixels ?? 4096;
  }

  /** True when nothing changed since the last {@link take}. */
  get empty(): boolean {
    return this.rects.length === 0;
  }

  /** Adds a changed rectangle (any coordinates; it is widened to even edges and clipped). */
  add(r: X11Rect): void {
    const x0 = Math.max(0, r.x) & ~1;
    const y0 = Math.max(0, r.y) & ~1;
    const x1 = Math.min(this.width, (r.x + r.width + 1) & ~1);
    const y1 = Math.min(this.height, (r.y + r.height + 1) & ~1);
    if (x1 <= x0 || y1 <= y0) return;
    let rect: X11Rect = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    for (let i = 0; i < this.rects.length; ) {
      const other = this.rects[i]!;
      if (overlap(other, rect) === area(rect)) return;
      if (waste(rect, other) <= this.slack) {
        rect = union(rect, other);
        this.rects.splice(i, 1);
        // The grown rectangle may now absorb one checked before.
        i = 0;
      } else {
        i++;
      }
    }
    this.rects.push(rect);
    while (this.rects.length > this.maxRects) this.mergeCheapestPair();
  }

  /** The changed rectangles; the region is empty afterwards. */
  take(): X11Rect[] {
    const out = this.rects;
    this.rects = [];
    return out;
  }

  private mergeCheapestPair(): void {
    let best = [0, 1];
    let bestWaste = Infinity;
    for (let i = 0; i < this.rects.length; i++) {
      for (let j = i + 1; j < this.rects.length; j++) {
        const w = waste(this.rects[i]!, this.rects[j]!);
        if (w < bestWaste) {
          bestWaste = w;
          best = [i, j];
        }
      }
    }
    const [i, j] = best as [number, number];
    const merged = union(this.rects[i]!, this.rects[j]!);
    this.rects.splice(j, 1);
    this.rects[i] = merged;
  }
}
