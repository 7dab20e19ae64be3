import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromBase64Url, inspectHeader, openRecording, verifyRecording } from './index.ts';
import { testSegment } from './testing/builders.ts';
import { FIXTURE_V1 } from './testing/fixtureV1.ts';

describe('version-1 files stay readable (REC2)', () => {
  const parts = {
    header: fromBase64Url(FIXTURE_V1.header),
    segments: FIXTURE_V1.segments.map(fromBase64Url),
    manifest: fromBase64Url(FIXTURE_V1.manifest),
  };

  it('REC2: the kept version-1 recording verifies complete against its host key', async () => {
    const report = await verifyRecording(parts, fromBase64Url(FIXTURE_V1.hostPublicKey));
    assert.deepEqual(report.problems, []);
    assert.equal(report.complete, true);
    assert.equal(report.headerHash, FIXTURE_V1.headerHash);
    assert.equal(inspectHeader(parts.header).headerHash, FIXTURE_V1.headerHash);
  });

  it('REC2: the kept version-1 recording opens with its auditor key and gives the original content', async () => {
    const reader = await openRecording(parts.header, { keyId: FIXTURE_V1.auditorKeyId, privateKey: fromBase64Url(FIXTURE_V1.auditorPrivateKey) });
    await reader.openManifest(parts.manifest);
    for (let i = 0; i < 2; i++) {
      const { index: _index, ...content } = await reader.openSegment(parts.segments[i]!, i);
      assert.deepEqual(content, testSegment(i, { frameBytes: 40 }));
    }
  });
});
