import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRecording, generateAuditorKeyPair, openRecording, verifyRecording } from './index.ts';
import { testBytes, testHostSigner, testInfo } from './testing/builders.ts';

describe('performance sanity (REC25)', () => {
  it('seals, verifies and opens one hour of 10-second segments of 10 KB (timings logged, not asserted)', async (t) => {
    const signer = await testHostSigner();
    const auditor = await generateAuditorKeyPair();
    const frame = testBytes(10 * 1024, 1);
    let started = performance.now();
    const writer = await createRecording(testInfo(), [{ keyId: auditor.keyId, publicKey: auditor.rawPublicKey }], signer);
    const segments: Uint8Array[] = [];
    for (let i = 0; i < 360; i++) {
      const startMs = i * 10_000;
      const sealed = await writer.sealSegment({
        startMs,
        endMs: startMs + 10_000,
        frames: [{ t: startMs, key: i % 6 === 0, data: frame }],
        events: [{ t: startMs + 1, type: 'input:pointer', data: { x: i, y: 2 } }],
      });
      segments.push(sealed.bytes);
    }
    const manifest = await writer.finish(testInfo().startedAt + 3_600_000, 'ended');
    const sealMs = performance.now() - started;

    started = performance.now();
    const report = await verifyRecording({ header: writer.header, segments, manifest }, signer.publicKey);
    const verifyMs = performance.now() - started;
    assert.equal(report.ok, true);
    assert.equal(report.complete, true);

    started = performance.now();
    const reader = await openRecording(writer.header, auditor);
    await reader.openManifest(manifest);
    for (let i = 0; i < segments.length; i++) await reader.openSegment(segments[i]!, i);
    const openMs = performance.now() - started;

    const stored = writer.header.length + manifest.length + segments.reduce((sum, s) => sum + s.length, 0);
    const payload = 360 * frame.length;
    t.diagnostic(
      `1 h of 10 s segments of 10 KB: seal ${sealMs.toFixed(0)} ms, verify ${verifyMs.toFixed(0)} ms, open all ${openMs.toFixed(0)} ms; ` +
        `stored ${stored} bytes for ${payload} bytes of video: overhead ${((stored - payload) / 1024).toFixed(1)} KiB per hour ` +
        `(header ${writer.header.length} B, manifest ${manifest.length} B, ~${Math.round((stored - payload - writer.header.length - manifest.length) / 360)} B per segment)`,
    );
  });
});
