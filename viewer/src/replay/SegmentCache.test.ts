import { expect } from '@open-wc/testing';
import type { SegmentContent } from '@wardlink/recordings';
import { mapLimit } from './concurrency.ts';
import { SegmentCache } from './SegmentCache.ts';
import { formatTime } from './timeFormat.ts';

const content = (i: number): SegmentContent => ({ startMs: i, endMs: i, frames: [], events: [] });

describe('SegmentCache', () => {
  it('loads once, shares concurrent loads and drops the least recently used', async () => {
    const loads: number[] = [];
    const cache = new SegmentCache({ capacity: 2, load: (i) => (loads.push(i), Promise.resolve(content(i))) });
    const [a, b] = await Promise.all([cache.get(0), cache.get(0)]);
    expect(a).to.equal(b);
    await cache.get(1);
    await cache.get(0);
    await cache.get(2);
    expect(cache.has(1)).to.equal(false);
    expect(cache.has(0)).to.equal(true);
    expect(loads).to.deep.equal([0, 1, 2]);
  });

  it('forgets a failed load so it can be retried, and prefetch swallows the failure', async () => {
    let fail = true;
    const cache = new SegmentCache({ capacity: 4, load: (i) => (fail ? Promise.reject(new Error('offline')) : Promise.resolve(content(i))) });
    cache.prefetch(3);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cache.has(3)).to.equal(false);
    fail = false;
    expect((await cache.get(3)).startMs).to.equal(3);
  });
});

describe('mapLimit', () => {
  it('runs at most `limit` jobs at once and keeps the order', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit(10, 3, async (i) => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running--;
      return i * 2;
    });
    expect(out).to.deep.equal([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(peak).to.equal(3);
  });

  it('rejects with the first failure and starts nothing after it', async () => {
    const started: number[] = [];
    let error: unknown;
    try {
      await mapLimit(10, 2, async (i) => {
        started.push(i);
        if (i === 1) throw new Error('segment 1');
        await new Promise((resolve) => setTimeout(resolve, 5));
      });
    } catch (err) {
      error = err;
    }
    expect((error as Error).message).to.equal('segment 1');
    expect(started).to.deep.equal([0, 1]);
  });
});

describe('formatTime', () => {
  it('reads mm:ss below an hour and h:mm:ss from an hour', () => {
    expect(formatTime(0)).to.equal('00:00');
    expect(formatTime(65_999)).to.equal('01:05');
    expect(formatTime(3_600_000 + 61_000)).to.equal('1:01:01');
  });
});
