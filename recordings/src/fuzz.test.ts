import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ByteReader, ByteWriter } from './bytes.ts';
import { decodeHeader, decodeSegment } from './format.ts';
import { decodeManifest } from './manifest.ts';
import { RecordingError, inspectHeader, inspectManifest, inspectSegment, openRecording, verifyRecording, type RecordingReader } from './index.ts';
import { decodePayload, encodePayload } from './payload.ts';
import { testRecording, testSegment } from './testing/builders.ts';

/** xorshift32: reproducible randomness; a failure message carries the case number. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

/** A mutation of `bytes`: flips, overwrites, insertions, deletions, truncation or extension. */
function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const int = (n: number): number => Math.floor(random() * n);
  let out = bytes.slice();
  for (let k = 1 + int(4); k > 0; k--) {
    const at = int(out.length + 1);
    switch (int(6)) {
      case 0:
        if (out.length) out[Math.min(at, out.length - 1)]! ^= 1 << int(8);
        break;
      case 1:
        if (out.length) out[Math.min(at, out.length - 1)] = [0, 0xff, 0x7f, 0x80][int(4)]!;
        break;
      case 2:
        out = Uint8Array.from([...out.subarray(0, at), int(256), ...out.subarray(at)]);
        break;
      case 3:
        out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + 1 + int(8))]);
        break;
      case 4:
        out = out.slice(0, at);
        break;
      default:
        out = Uint8Array.from([...out, ...Array.from({ length: 1 + int(16) }, () => int(256))]);
    }
  }
  return out;
}

function randomBytes(random: () => number, max: number): Uint8Array {
  return Uint8Array.from({ length: Math.floor(random() * max) }, () => Math.floor(random() * 256));
}

/** Runs `fn`; it may return or throw a RecordingError, nothing else. */
function onlyRecordingErrors(label: string, fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof RecordingError, `${label}: threw ${String(err)}`);
  }
}

async function onlyRecordingErrorsAsync(label: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof RecordingError, `${label}: threw ${String(err)}`);
  }
}

describe('decoders refuse garbage with RecordingError only (REC2)', () => {
  let r: Awaited<ReturnType<typeof testRecording>>;
  let reader: RecordingReader;
  before(async () => {
    r = await testRecording(3);
    reader = await openRecording(r.header, r.auditors[0]!);
  });

  it('random bytes into every synchronous decoder', () => {
    const random = rng(1);
    for (let i = 0; i < 3000; i++) {
      const bytes = randomBytes(random, 600);
      for (const [name, decode] of [
        ['header', decodeHeader],
        ['segment', decodeSegment],
        ['manifest', decodeManifest],
        ['inspectHeader', inspectHeader],
        ['inspectSegment', inspectSegment],
        ['inspectManifest', inspectManifest],
      ] as const) {
        onlyRecordingErrors(`${name} case ${i}`, () => decode(bytes));
      }
    }
  });

  it('mutations of valid records into the synchronous decoders', () => {
    const random = rng(2);
    for (let i = 0; i < 3000; i++) {
      onlyRecordingErrors(`header case ${i}`, () => decodeHeader(mutate(r.header, random)));
      onlyRecordingErrors(`segment case ${i}`, () => decodeSegment(mutate(r.segments[i % 3]!, random)));
      onlyRecordingErrors(`manifest case ${i}`, () => decodeManifest(mutate(r.manifest!, random)));
    }
  });

  it('records with a valid magic and version but random fields', () => {
    const random = rng(3);
    for (let i = 0; i < 3000; i++) {
      for (const valid of [r.header, r.segments[0]!, r.manifest!]) {
        const bytes = Uint8Array.from([...valid.subarray(0, 5), ...randomBytes(random, valid.length + 64)]);
        onlyRecordingErrors(`case ${i}`, () => {
          decodeHeader(bytes);
        });
        onlyRecordingErrors(`case ${i}`, () => decodeSegment(bytes));
        onlyRecordingErrors(`case ${i}`, () => decodeManifest(bytes));
      }
    }
  });

  it('decrypted payloads: random and mutated plaintext', () => {
    const random = rng(4);
    const content = testSegment(2);
    const plaintext = encodePayload(content);
    const clear = { index: 2, startMs: content.startMs, endMs: content.endMs, flags: 2 };
    assert.equal(decodePayload(plaintext, clear).frames.length, 10);
    for (let i = 0; i < 5000; i++) {
      onlyRecordingErrors(`payload case ${i}`, () => decodePayload(mutate(plaintext, random), clear));
      onlyRecordingErrors(`random payload case ${i}`, () => decodePayload(randomBytes(random, 200), clear));
    }
  });

  it('huge declared counts and lengths fail at once instead of allocating or looping', () => {
    const clear = { index: 0, startMs: 0, endMs: 1000, flags: 0 };
    const huge = new ByteWriter().varint(0xffff_ffff).finish();
    const started = performance.now();
    for (let i = 0; i < 1000; i++) {
      assert.throws(() => decodePayload(huge, clear), RecordingError);
      assert.throws(() => decodeSegment(Uint8Array.from([...r.segments[0]!.subarray(0, 18), 0xff, 0xff, 0xff, 0xff])), RecordingError);
    }
    assert.ok(performance.now() - started < 5000);
  });

  it('varints: non-minimal, too long and out-of-range encodings are refused', () => {
    const read = (bytes: number[]): number => new ByteReader(Uint8Array.from(bytes), 'test').varint('v');
    assert.equal(read([0x7f]), 127);
    assert.equal(read([0x80, 0x01]), 128);
    assert.equal(read([0xff, 0xff, 0xff, 0xff, 0x0f]), 0xffff_ffff);
    for (const bad of [[0x80, 0x00], [0xff, 0xff, 0xff, 0xff, 0x1f], [0x80, 0x80, 0x80, 0x80, 0x80, 0x01], [0x80]]) {
      assert.throws(() => read(bad), RecordingError, JSON.stringify(bad));
    }
  });

  it('the verifier and the player take mutated parts with RecordingError only', { timeout: 120_000 }, async () => {
    const random = rng(5);
    for (let i = 0; i < 300; i++) {
      const which = i % 3;
      const header = which === 0 ? mutate(r.header, random) : r.header;
      const segments = r.segments.map((s, k) => (which === 1 && k === i % 3 ? mutate(s, random) : s));
      const manifest = which === 2 ? mutate(r.manifest!, random) : r.manifest!;
      const report = await verifyRecording({ header, segments, manifest }, r.signer.publicKey);
      const changed = header !== r.header || segments.some((s, k) => s !== r.segments[k]) || manifest !== r.manifest;
      if (changed && report.ok) {
        // A mutation can be a no-op (e.g. truncating nothing); then the bytes are equal.
        assert.ok(Buffer.compare(Buffer.concat([header, ...segments, manifest]), Buffer.concat([r.header, ...r.segments, r.manifest!])) === 0, `case ${i} passed`);
      }
      await onlyRecordingErrorsAsync(`open case ${i}`, () => openRecording(header, r.auditors[1]!));
      await onlyRecordingErrorsAsync(`segment case ${i}`, () => reader.openSegment(segments[i % 3]!, i % 3));
      await onlyRecordingErrorsAsync(`manifest case ${i}`, () => reader.openManifest(manifest));
    }
  });

  it('the verifier takes non-byte values and random parts with RecordingError or a failed report', async () => {
    const random = rng(6);
    for (let i = 0; i < 200; i++) {
      const report = await verifyRecording(
        { header: randomBytes(random, 300), segments: [randomBytes(random, 300), randomBytes(random, 30)], manifest: randomBytes(random, 300) },
        r.signer.publicKey,
      );
      assert.equal(report.ok, false);
    }
    const odd = { header: 'x', segments: [null, 5, 'y'], manifest: {} } as unknown as Parameters<typeof verifyRecording>[0];
    assert.equal((await verifyRecording(odd, r.signer.publicKey)).ok, false);
    const oddSegments = { header: r.header, segments: [null, 5, {}] } as unknown as Parameters<typeof verifyRecording>[0];
    assert.equal((await verifyRecording(oddSegments, r.signer.publicKey)).ok, false);
    await assert.rejects(verifyRecording(null as never, r.signer.publicKey), RecordingError);
    await assert.rejects(verifyRecording(r, new Uint8Array(3)), RecordingError);
  });
});
