import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RawFrameReader } from './RawFrameReader.ts';

function frameOf(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed * 7) & 0xff;
  return b;
}

/** Splits `data` into chunks of pseudo-random sizes between 1 and `max` bytes. */
function chunksOf(data: Buffer, max: number): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  let n = 17;
  while (pos < data.length) {
    n = (n * 1103515245 + 12345) & 0x7fffffff;
    const len = 1 + (n % max);
    out.push(data.subarray(pos, pos + len));
    pos += len;
  }
  return out;
}

describe('RawFrameReader', () => {
  it('cuts a stream into exact frames whatever the chunk boundaries', () => {
    const size = 1000;
    const frames = [frameOf(size, 1), frameOf(size, 2), frameOf(size, 3)];
    for (const max of [1, 7, 999, 1000, 1001, 2500, 5000]) {
      const seen: Buffer[] = [];
      const reader = new RawFrameReader(size, (f) => seen.push(Buffer.from(f)));
      for (const chunk of chunksOf(Buffer.concat(frames), max)) reader.push(chunk);
      assert.deepEqual(seen, frames, `chunks up to ${max} bytes`);
      assert.equal(reader.pendingBytes, 0);
    }
  });

  it('keeps a partial frame until the rest arrives', () => {
    const seen: Buffer[] = [];
    const reader = new RawFrameReader(8, (f) => seen.push(Buffer.from(f)));
    reader.push(Buffer.from([1, 2, 3]));
    assert.equal(seen.length, 0);
    assert.equal(reader.pendingBytes, 3);
    reader.push(Buffer.from([4, 5, 6, 7, 8, 9]));
    assert.deepEqual(seen, [Buffer.from([1, 2, 3, 4, 5, 6, 7, 8])]);
    assert.equal(reader.pendingBytes, 1);
  });

  it('reports a frame identical to the previous one as unchanged', () => {
    const flags: boolean[] = [];
    const reader = new RawFrameReader(4, (_f, changed) => flags.push(changed));
    const a = Buffer.from([0, 0, 0, 0]);
    const b = Buffer.from([0, 0, 9, 0]);
    for (const f of [a, a, b, b, a]) reader.push(f);
    assert.deepEqual(flags, [true, false, true, false, true]);
  });

  it('notices a change in any chunk of a frame', () => {
    const flags: boolean[] = [];
    const reader = new RawFrameReader(6, (_f, changed) => flags.push(changed));
    reader.push(Buffer.from([1, 2, 3, 4, 5, 6]));
    reader.push(Buffer.from([1, 2]));
    reader.push(Buffer.from([3, 4]));
    reader.push(Buffer.from([5, 7]));
    assert.deepEqual(flags, [true, true]);
  });
});
