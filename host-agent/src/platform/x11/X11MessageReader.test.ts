import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { X11MessageReader } from './X11MessageReader.ts';

/** An X11 message: kind 1 (reply) and 35 (GenericEvent) carry `extraWords` more 4-byte units. */
function message(kind: number, extraWords: number, fill: number): Buffer {
  const m = Buffer.alloc(32 + extraWords * 4, fill);
  m[0] = kind;
  if (kind === 1 || kind === 35) m.writeUInt32LE(extraWords, 4);
  return m;
}

/** Splits `data` into chunks of pseudo-random sizes between 1 and `max` bytes. */
function chunksOf(data: Buffer, max: number): Buffer[] {
  const out: Buffer[] = [];
  let n = 7;
  for (let pos = 0; pos < data.length; ) {
    n = (n * 1103515245 + 12345) & 0x7fffffff;
    const len = 1 + (n % max);
    out.push(data.subarray(pos, pos + len));
    pos += len;
  }
  return out;
}

describe('X11MessageReader', () => {
  it('cuts replies, errors, events and generic events apart whatever the chunk boundaries', () => {
    const messages = [message(1, 0, 0xa1), message(0, 0, 0xb2), message(22, 0, 0xc3), message(1, 300, 0xd4), message(35, 2, 0xe5), message(1, 1, 0xf6)];
    const stream = Buffer.concat(messages);
    for (const max of [1, 5, 31, 32, 33, 100, 5000]) {
      const seen: Buffer[] = [];
      const reader = new X11MessageReader((m) => seen.push(Buffer.from(m)));
      for (const chunk of chunksOf(stream, max)) reader.push(chunk);
      assert.deepEqual(seen, messages, `chunks of up to ${max} bytes`);
      assert.equal(reader.pendingBytes, 0);
    }
  });

  it('hands out a message inside one chunk as a view, and one spanning chunks as its own buffer', () => {
    const small = message(1, 0, 1);
    const big = message(1, 1000, 2);
    const got: Array<{ owned: boolean; length: number }> = [];
    const reader = new X11MessageReader((m, owned) => got.push({ owned, length: m.length }));
    const stream = Buffer.concat([small, big]);
    reader.push(stream.subarray(0, 100));
    reader.push(stream.subarray(100));
    assert.deepEqual(got, [
      { owned: false, length: 32 },
      { owned: true, length: 32 + 4000 },
    ]);
  });

  it('assembles a large reply in linear time (no re-concatenation per chunk)', () => {
    // 64 MiB in 64 KiB chunks: copying the inbox on every chunk would move ~32 GiB (minutes here);
    // queuing the chunks moves 64 MiB once (tens of milliseconds).
    const reply = message(1, (64 * 1024 * 1024) / 4, 9);
    let got: Buffer | undefined;
    const reader = new X11MessageReader((m) => (got = m));
    const started = performance.now();
    for (let pos = 0; pos < reply.length; pos += 65_536) reader.push(reply.subarray(pos, pos + 65_536));
    const ms = performance.now() - started;
    assert.ok(got?.equals(reply), 'the reply arrives whole');
    assert.ok(ms < 2000, `took ${ms.toFixed(0)} ms`);
  });
});
