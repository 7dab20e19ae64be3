import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { X11Rect } from './captureRequests.ts';
import { DamageRegion } from './DamageRegion.ts';

const rect = (x: number, y: number, width: number, height: number): X11Rect => ({ x, y, width, height });

/** True when every pixel of `inner` lies in one of `rects`. */
function covered(inner: X11Rect, rects: X11Rect[]): boolean {
  for (let y = inner.y; y < inner.y + inner.height; y++) {
    for (let x = inner.x; x < inner.x + inner.width; x++) {
      if (!rects.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height)) return false;
    }
  }
  return true;
}

describe('DamageRegion', () => {
  it('widens a rectangle with odd edges to whole 2x2 blocks', () => {
    const region = new DamageRegion(100, 100);
    region.add(rect(3, 5, 2, 1));
    assert.deepEqual(region.take(), [rect(2, 4, 4, 2)]);
  });

  it('clips to the frame and ignores what lies outside it', () => {
    const region = new DamageRegion(100, 80);
    region.add(rect(-5, 70, 20, 30));
    region.add(rect(120, 10, 5, 5));
    assert.deepEqual(region.take(), [rect(0, 70, 16, 10)]);
  });

  it('merges neighbouring changes such as typed characters into one rectangle', () => {
    const region = new DamageRegion(1280, 800);
    for (let i = 0; i < 10; i++) region.add(rect(100 + 6 * i, 200, 6, 13));
    assert.deepEqual(region.take(), [rect(100, 200, 60, 14)]);
  });

  it('keeps distant changes apart and drops one inside another', () => {
    const region = new DamageRegion(1280, 800);
    region.add(rect(0, 0, 100, 100));
    region.add(rect(1000, 700, 10, 10));
    region.add(rect(20, 20, 10, 10));
    assert.deepEqual(region.take(), [rect(0, 0, 100, 100), rect(1000, 700, 10, 10)]);
  });

  it('never keeps more than maxRects rectangles, and they cover every change', () => {
    const region = new DamageRegion(1280, 800, { maxRects: 4, mergeSlackPixels: 0 });
    const added: X11Rect[] = [];
    for (let i = 0; i < 20; i++) {
      const r = rect((i * 397) % 1200, (i * 211) % 760, 8, 8);
      added.push(r);
      region.add(r);
    }
    const rects = region.take();
    assert.ok(rects.length <= 4, `${rects.length} rectangles`);
    for (const r of added) assert.ok(covered(r, rects), `${JSON.stringify(r)} is covered`);
  });

  it('is empty after take()', () => {
    const region = new DamageRegion(100, 100);
    assert.equal(region.empty, true);
    region.add(rect(0, 0, 2, 2));
    assert.equal(region.empty, false);
    region.take();
    assert.equal(region.empty, true);
    assert.deepEqual(region.take(), []);
  });
});
