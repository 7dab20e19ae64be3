import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { x25519 } from '@noble/curves/ed25519.js';
import {
  RecordingError,
  auditorKeyId,
  createRecording,
  generateAuditorKeyPair,
  importAuditorPrivateKey,
  inspectHeader,
  inspectManifest,
  inspectSegment,
  openRecording,
  verifyRecording,
  type SegmentContent,
} from './index.ts';
import { testBytes, testHostSigner, testInfo, testRecording, testSegment } from './testing/builders.ts';

/** Asserts that `promise` rejects with a RecordingError of `code` (and segment, if given). */
async function rejectsWith(promise: Promise<unknown>, code: string, segment?: number): Promise<RecordingError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof RecordingError, `expected a RecordingError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (segment !== undefined) assert.equal(err.segment, segment);
    return err;
  }
  assert.fail(`expected a ${code} error`);
}

function withoutIndex(content: SegmentContent & { index?: number }): SegmentContent {
  const { index: _index, ...rest } = content;
  return rest;
}

describe('recording round trip (REC3-REC17)', () => {
  it('REC15: every auditor opens every segment independently and gets the content back', async () => {
    const r = await testRecording(4);
    for (const auditor of r.auditors) {
      const reader = await openRecording(r.header, auditor);
      assert.equal(reader.keyId, auditor.keyId);
      assert.deepEqual(reader.info, testInfo());
      for (const i of [3, 0, 2, 1]) {
        const content = await reader.openSegment(r.segments[i]!, i);
        assert.equal(content.index, i);
        assert.deepEqual(withoutIndex(content), r.contents[i]);
      }
    }
  });

  it('REC16: the manifest lists count, times, flags and ends the chain; the report is complete', async () => {
    const r = await testRecording(3);
    const reader = await openRecording(r.header, r.auditors[0]!);
    const manifest = await reader.openManifest(r.manifest!);
    assert.equal(manifest.segmentCount, 3);
    assert.equal(manifest.endReason, 'ended');
    assert.deepEqual(
      manifest.segments.map((s) => [s.index, s.startMs, s.endMs, s.hasKeyFrame, s.hasStill]),
      [
        [0, 0, 10_000, true, true],
        [1, 10_000, 20_000, false, true],
        [2, 20_000, 30_000, false, true],
      ],
    );
    assert.deepEqual(inspectManifest(r.manifest!), manifest);
    const report = await verifyRecording(r, r.signer.publicKey);
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
    assert.equal(report.complete, true);
    assert.equal(report.verifiedSegments, 3);
  });

  it('REC9: content without stills, frames or events round-trips', async () => {
    const signer = await testHostSigner();
    const auditor = await generateAuditorKeyPair();
    const writer = await createRecording(testInfo(), [{ keyId: auditor.keyId, publicKey: auditor.rawPublicKey }], signer);
    const empty = { startMs: 0, endMs: 0, frames: [], events: [] };
    const sealed = await writer.sealSegment(empty);
    const reader = await openRecording(writer.header, auditor);
    assert.deepEqual(withoutIndex(await reader.openSegment(sealed.bytes)), empty);
    assert.deepEqual(inspectSegment(sealed.bytes), { index: 0, startMs: 0, endMs: 0, hasKeyFrame: false, hasStill: false });
  });

  it('REC16: a recording that ends before its first segment verifies complete with zero segments', async () => {
    const r = await testRecording(0);
    const report = await verifyRecording(r, r.signer.publicKey);
    assert.equal(report.ok, true);
    assert.equal(report.complete, true);
    assert.equal(report.segmentCount, 0);
    const reader = await openRecording(r.header, r.auditors[0]!);
    assert.equal((await reader.openManifest(r.manifest!)).segmentCount, 0);
  });

  it('REC4: inspectHeader shows the public metadata, recipients and host key without any key', async () => {
    const r = await testRecording(0);
    const summary = inspectHeader(r.header);
    assert.deepEqual(summary.info, testInfo());
    assert.deepEqual(summary.recipients, r.auditors.map((a) => a.keyId));
    assert.deepEqual(summary.hostPublicKey, r.signer.publicKey);
    assert.match(summary.headerHash, /^[0-9a-f]{64}$/);
  });

  it('REC5: a raw private key with its key id opens the recording', async () => {
    const raw = testBytes(32, 7);
    const publicKey = x25519.getPublicKey(raw);
    const keyId = auditorKeyId(publicKey);
    const signer = await testHostSigner();
    const writer = await createRecording(testInfo(), [{ keyId, publicKey }], signer);
    const sealed = await writer.sealSegment(testSegment(0));
    const reader = await openRecording(writer.header, { keyId, privateKey: raw });
    assert.equal((await reader.openSegment(sealed.bytes, 0)).frames.length, 10);
    const imported = await importAuditorPrivateKey(raw);
    assert.equal(imported.keyId, keyId);
    assert.equal(imported.privateKey.extractable, false);
  });

  it('REC5: a non-extractable WebCrypto key pair opens the recording, also under a key id of another convention', async () => {
    const auditor = await generateAuditorKeyPair();
    assert.equal(auditor.privateKey.extractable, false);
    const signer = await testHostSigner();
    const writer = await createRecording(testInfo(), [{ keyId: 'auditor-1', publicKey: auditor.rawPublicKey }], signer);
    const sealed = await writer.sealSegment(testSegment(0));
    const pairOnly: CryptoKeyPair = { privateKey: auditor.privateKey, publicKey: auditor.publicKey };
    const reader = await openRecording(writer.header, pairOnly);
    assert.equal(reader.keyId, 'auditor-1');
    assert.equal((await reader.openSegment(sealed.bytes, 0)).index, 0);
  });

  it('REC5: a key that is not among the recipients is refused as not_recipient', async () => {
    const r = await testRecording(1);
    const stranger = await generateAuditorKeyPair();
    const err = await rejectsWith(openRecording(r.header, stranger), 'not_recipient');
    assert.match(err.message, new RegExp(stranger.keyId));
  });

  it('REC5: a wrong private key under a recipient key id is refused as wrong_key', async () => {
    const r = await testRecording(1);
    await rejectsWith(openRecording(r.header, { keyId: r.auditors[0]!.keyId, privateKey: testBytes(32, 99) }), 'wrong_key');
    const stranger = await generateAuditorKeyPair();
    await rejectsWith(openRecording(r.header, { ...stranger, keyId: r.auditors[1]!.keyId }), 'wrong_key');
  });

  it('REC6: openRecording refuses a header signed by another key than the pinned one', async () => {
    const r = await testRecording(0);
    const other = await testHostSigner();
    await rejectsWith(openRecording(r.header, r.auditors[0]!, { hostPublicKey: other.publicKey }), 'signature');
    await openRecording(r.header, r.auditors[0]!, { hostPublicKey: r.signer.publicKey });
  });

  it('REC8: a segment of one recording does not open under another recording of the same host and auditor', async () => {
    const signer = await testHostSigner();
    const auditor = await generateAuditorKeyPair();
    const recipients = [{ keyId: auditor.keyId, publicKey: auditor.rawPublicKey }];
    const a = await createRecording(testInfo(), recipients, signer);
    const b = await createRecording(testInfo(), recipients, signer);
    const segment = await a.sealSegment(testSegment(0));
    const reader = await openRecording(b.header, auditor);
    await rejectsWith(reader.openSegment(segment.bytes, 0), 'tampered', 0);
  });

  it('REC3: sealing is serialised in call order even when calls overlap', async () => {
    const signer = await testHostSigner();
    const auditor = await generateAuditorKeyPair();
    const writer = await createRecording(testInfo(), [{ keyId: auditor.keyId, publicKey: auditor.rawPublicKey }], signer);
    const sealed = await Promise.all([0, 1, 2, 3].map((i) => writer.sealSegment(testSegment(i))));
    assert.deepEqual(sealed.map((s) => s.index), [0, 1, 2, 3]);
    const manifest = await writer.finish(Date.now(), 'ended');
    const report = await verifyRecording({ header: writer.header, segments: sealed.map((s) => s.bytes), manifest }, signer.publicKey);
    assert.equal(report.ok, true);
    assert.equal(report.complete, true);
  });
});

describe('writer input checks (REC4, REC9)', () => {
  it('refuses a recording without recipients, with duplicate key ids or a malformed key', async () => {
    const signer = await testHostSigner();
    const a = await generateAuditorKeyPair();
    await rejectsWith(createRecording(testInfo(), [], signer), 'invalid_input');
    const entry = { keyId: a.keyId, publicKey: a.rawPublicKey };
    await rejectsWith(createRecording(testInfo(), [entry, entry], signer), 'invalid_input');
    await rejectsWith(createRecording(testInfo(), [{ keyId: 'k1', publicKey: new Uint8Array(31) }], signer), 'invalid_input');
    await rejectsWith(createRecording(testInfo(), [{ keyId: 'k1', publicKey: new Uint8Array(32) }], signer), 'invalid_input');
    await rejectsWith(createRecording(testInfo(), [{ keyId: 'bad id', publicKey: a.rawPublicKey }], signer), 'invalid_input');
  });

  it('refuses ids outside the alphabet, control characters in names and impossible video sizes', async () => {
    const signer = await testHostSigner();
    const a = await generateAuditorKeyPair();
    const recipients = [{ keyId: a.keyId, publicKey: a.rawPublicKey }];
    const tech = testInfo().technician;
    for (const info of [
      testInfo({ recordingId: '../etc' }),
      testInfo({ hostId: '' }),
      testInfo({ technician: { ...tech, name: 'evil\u001b[2J' } }),
      testInfo({ technician: { ...tech, organisation: 'x'.repeat(129) } }),
      testInfo({ video: { codec: 'vp9 ', width: 1280, height: 800 } }),
      testInfo({ video: { codec: 'vp9', width: 0, height: 800 } }),
      testInfo({ startedAt: -1 }),
    ]) {
      await rejectsWith(createRecording(info, recipients, signer), 'invalid_input');
    }
  });

  it('refuses segments out of time order, items outside the segment, bad data; a refused call leaves the writer usable', async () => {
    const signer = await testHostSigner();
    const a = await generateAuditorKeyPair();
    const writer = await createRecording(testInfo(), [{ keyId: a.keyId, publicKey: a.rawPublicKey }], signer);
    await writer.sealSegment(testSegment(1));
    const bad: SegmentContent[] = [
      testSegment(0),
      { ...testSegment(2), frames: [{ t: 5, key: true, data: new Uint8Array(1) }] },
      { ...testSegment(2), frames: [{ t: 20_500, key: true, data: new Uint8Array(1) }, { t: 20_100, key: false, data: new Uint8Array(1) }] },
      { ...testSegment(2), frames: [{ t: 20_500.5, key: true, data: new Uint8Array(1) }] },
      { ...testSegment(2), frames: [{ t: 20_500, key: true, data: new Uint8Array(0) }] },
      { ...testSegment(2), stills: [{ t: 20_000, mime: 'text/html; x', data: new Uint8Array(1) }] },
      { ...testSegment(2), events: [{ t: 20_000, type: '' }] },
      { ...testSegment(2), events: [{ t: 20_000, type: 'x', data: [] as unknown as Record<string, unknown> }] },
      { ...testSegment(2), events: [{ t: 20_000, type: 'x', data: { n: 1n } }] },
      { ...testSegment(2), index: 7 },
    ];
    for (const content of bad) await rejectsWith(writer.sealSegment(content), 'invalid_input');
    assert.equal((await writer.sealSegment(testSegment(2))).index, 1);
  });

  it('refuses sealing or finishing twice after finish', async () => {
    const r = await testHostSigner();
    const a = await generateAuditorKeyPair();
    const writer = await createRecording(testInfo(), [{ keyId: a.keyId, publicKey: a.rawPublicKey }], r);
    await writer.finish(Date.now(), 'ended');
    assert.equal(writer.finished, true);
    await rejectsWith(writer.sealSegment(testSegment(0)), 'finished');
    await rejectsWith(writer.finish(Date.now(), 'ended'), 'finished');
  });

  it('refuses a signer that returns something other than a 64-byte signature', async () => {
    const a = await generateAuditorKeyPair();
    const signer = { publicKey: new Uint8Array(32), sign: () => new Uint8Array(10) };
    await rejectsWith(createRecording(testInfo(), [{ keyId: a.keyId, publicKey: a.rawPublicKey }], signer), 'invalid_input');
  });
});

describe('the broker cannot open recordings (REC22)', () => {
  it('header, segments and manifest alone open with no key in the header: every recipient entry resists a broker key', async () => {
    const r = await testRecording(2);
    const summary = inspectHeader(r.header);
    // The broker only has its own keys; try it under every recipient key id the header lists.
    const broker = await generateAuditorKeyPair();
    for (const keyId of summary.recipients) {
      await rejectsWith(openRecording(r.header, { ...broker, keyId }), 'wrong_key');
      await rejectsWith(openRecording(r.header, { keyId, privateKey: testBytes(32, keyId.length) }), 'wrong_key');
    }
    // Nothing in the stored header is usable as a key: try every 32-byte window of it (encapsulated
    // keys, wrapped keys, MAC, signature, host key...) as a private key, under the recipients in turn.
    for (let offset = 0; offset + 32 <= r.header.length; offset++) {
      const candidate = r.header.slice(offset, offset + 32);
      const keyId = summary.recipients[offset % summary.recipients.length]!;
      await assert.rejects(openRecording(r.header, { keyId, privateKey: candidate }), RecordingError);
    }
  });

  it('segment plaintext does not appear in the stored bytes', async () => {
    const r = await testRecording(1);
    const needle = r.contents[0]!.frames[0]!.data.subarray(0, 16);
    const hay = Buffer.concat([r.header, ...r.segments, r.manifest!]);
    assert.equal(hay.indexOf(Buffer.from(needle)), -1);
    assert.equal(hay.indexOf(Buffer.from('input:pointer')), -1);
  });
});
