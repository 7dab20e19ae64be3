import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IvfReader, type IvfFrame, type IvfHeader } from './IvfReader.ts';

function ivf(frames: Array<{ pts: number; data: number[] }>): Buffer {
  const header = Buffer.alloc(32);
  header.write('DKIF', 0, 'ascii');
  header.writeUInt16LE(32, 6);
  header.write('AV01', 8, 'ascii');
  header.writeUInt16LE(640, 12);
  header.writeUInt16LE(480, 14);
  header.writeUInt32LE(1000, 16);
  header.writeUInt32LE(1, 20);
  const parts = [header];
  for (const f of frames) {
    const h = Buffer.alloc(12);
    h.writeUInt32LE(f.data.length, 0);
    h.writeBigUInt64LE(BigInt(f.pts), 4);
    parts.push(h, Buffer.from(f.data));
  }
  return Buffer.concat(parts);
}

const FRAMES = [
  { pts: 0, data: [1, 2, 3] },
  { pts: 7, data: [] },
  { pts: 2 ** 40, data: Array.from({ length: 300 }, (_, i) => i & 255) },
];

describe('IvfReader', () => {
  it('cuts frames whatever the chunk boundaries', () => {
    const stream = ivf(FRAMES);
    for (const size of [1, 5, 13, 31, 1000]) {
      const got: IvfFrame[] = [];
      let header: IvfHeader | undefined;
      const reader = new IvfReader((f, h) => {
        got.push(f);
        header = h;
      });
      for (let i = 0; i < stream.length; i += size) reader.push(stream.subarray(i, i + size));
      assert.deepEqual(header, { fourcc: 'AV01', width: 640, height: 480, timebase: { num: 1, den: 1000 } });
      assert.deepEqual(got.map((f) => ({ pts: f.pts, data: [...f.data] })), FRAMES, `chunks of ${size}`);
      assert.equal(reader.pendingBytes, 0);
    }
  });

  it('rejects a stream that is not IVF', () => {
    const reader = new IvfReader(() => undefined);
    assert.throws(() => reader.push(Buffer.alloc(40)), /not an IVF stream/);
  });
});
