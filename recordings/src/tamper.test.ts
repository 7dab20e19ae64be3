import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { concat } from './bytes.ts';
import { CONTEXT, SEGMENT_CLEAR_BYTES, decodeHeader } from './format.ts';
import { decodeManifest } from './manifest.ts';
import {
  RecordingError,
  createRecording,
  formatVerdict,
  openRecording,
  verdictLine,
  verifyRecording,
  type RecordingWriter,
  type VerifyReport,
} from './index.ts';
import { testInfo, testRecording, testSegment } from './testing/builders.ts';

type Recording = Awaited<ReturnType<typeof testRecording>>;

const COUNT = 6;

function flip(bytes: Uint8Array, position: number): Uint8Array {
  const out = bytes.slice();
  out[position]! ^= 0x01;
  return out;
}

function findings(report: VerifyReport): Array<[string, number | undefined]> {
  return report.problems.map((p) => [p.kind, p.segment]);
}

async function rejection(promise: Promise<unknown>): Promise<RecordingError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof RecordingError, `expected a RecordingError, got ${String(err)}`);
    return err;
  }
  return assert.fail('expected a rejection');
}

describe('tampering is detected and located (REC20, REC21)', () => {
  let r: Recording;
  before(async () => {
    r = await testRecording(COUNT);
  });

  it('REC6: flipping any byte of the header gives a header (or signature) problem, and the player refuses to open it', async () => {
    for (let position = 0; position < r.header.length; position++) {
      const header = flip(r.header, position);
      const report = await verifyRecording({ ...r, header }, r.signer.publicKey);
      assert.equal(report.ok, false, `flip at ${position}`);
      assert.ok(['header', 'signature'].includes(report.problems[0]!.kind), `flip at ${position}: ${formatVerdict(report)}`);
      assert.ok(report.problems.every((p) => p.segment === undefined), `flip at ${position}: ${formatVerdict(report)}`);
      const err = await rejection(openRecording(header, r.auditors[0]!));
      assert.ok(['header', 'signature', 'format', 'unsupported_version'].includes(err.code), `flip at ${position}: ${err.code}`);
    }
  });

  it('REC6, REC7: a recipient entry swapped in from another recording fails the signature; re-signed by the host it still fails the MAC', async () => {
    // A second recording with the same info, host key and auditors: its recipient entries have the same size.
    const otherHeader = (await sameHostWriter(r)).header;
    const a = decodeHeader(r.header);
    const b = decodeHeader(otherHeader);
    const spliced = concat(r.header.subarray(0, a.publicEnd), otherHeader.subarray(b.publicEnd, b.macOffset), r.header.subarray(a.macOffset));
    const report = await verifyRecording({ ...r, header: spliced }, r.signer.publicKey);
    assert.deepEqual(findings(report)[0], ['header', undefined]);
    assert.equal((await rejection(openRecording(spliced, r.auditors[0]!))).code, 'header');

    // A holder of the host key (but not of this file key) re-signs the spliced header: the entry
    // opens to the other recording's file key, and the MAC made with this one does not verify.
    const unsigned = spliced.subarray(0, a.signatureOffset);
    const resigned = concat(unsigned, await r.signer.sign(concat(CONTEXT.headerSignature, unsigned)));
    const err = await rejection(openRecording(resigned, r.auditors[0]!));
    assert.equal(err.code, 'header');
    assert.match(err.message, /MAC/);
  });

  it('REC11-REC13: a flipped byte anywhere in a segment names that segment, in the verifier and in the player', async () => {
    const reader = await openRecording(r.header, r.auditors[0]!);
    for (const target of [0, 3, COUNT - 1]) {
      const bytes = r.segments[target]!;
      const positions = new Set<number>();
      for (let p = 0; p < SEGMENT_CLEAR_BYTES; p++) positions.add(p);
      for (let p = bytes.length - 128; p < bytes.length; p++) positions.add(p);
      for (let p = SEGMENT_CLEAR_BYTES; p < bytes.length - 128; p += 37) positions.add(p);
      for (const position of positions) {
        const segments = r.segments.slice();
        segments[target] = flip(bytes, position);
        const report = await verifyRecording({ ...r, segments }, r.signer.publicKey);
        const first = report.problems[0]!;
        assert.equal(first.segment, target, `segment ${target}, flip at ${position}: ${formatVerdict(report)}`);
        // A wrong length in the last record looks like an interrupted write; anywhere else it is an edit.
        const lengthOfLast = target === COUNT - 1 && position >= 18 && position < SEGMENT_CLEAR_BYTES;
        assert.ok(first.kind === 'tampered' || (lengthOfLast && first.kind === 'truncated'), `flip at ${position}: ${first.kind}`);
        assert.equal(report.verifiedSegments, target);
        const err = await rejection(reader.openSegment(segments[target]!, target));
        assert.ok(['tampered', 'reordered'].includes(err.code), `flip at ${position}: ${err.code}`);
        assert.equal(err.segment, target);
      }
    }
  });

  it('REC14: two swapped segments are reported as reordered with both indices; the player refuses the wrong one', async () => {
    const segments = r.segments.slice();
    [segments[2], segments[3]] = [segments[3]!, segments[2]!];
    const report = await verifyRecording({ ...r, segments }, r.signer.publicKey);
    assert.deepEqual(findings(report), [['reordered', 2]]);
    assert.match(report.problems[0]!.message, /2 and 3/);
    assert.equal(report.verifiedSegments, 2);
    const reader = await openRecording(r.header, r.auditors[0]!);
    const err = await rejection(reader.openSegment(segments[2]!, 2));
    assert.equal(err.code, 'reordered');
    assert.equal(err.segment, 2);
    assert.match(err.message, /segment 3/);
  });

  it('REC16, REC21: dropping the last segment is reported as truncated at that index; the manifest tells the player it is missing', async () => {
    const segments = r.segments.slice(0, COUNT - 1);
    const report = await verifyRecording({ ...r, segments }, r.signer.publicKey);
    assert.deepEqual(findings(report), [['truncated', COUNT - 1]]);
    assert.equal(report.complete, false);
    assert.equal(report.verifiedSegments, COUNT - 1);
    assert.match(verdictLine(report), /^FAILED: segment 5 truncated/);
    const reader = await openRecording(r.header, r.auditors[0]!);
    const manifest = await reader.openManifest(r.manifest!);
    assert.equal(manifest.segmentCount, COUNT);
  });

  it('REC21: dropping a middle segment is reported as missing at that index', async () => {
    const segments = r.segments.filter((_, i) => i !== 2);
    const report = await verifyRecording({ ...r, segments }, r.signer.publicKey);
    assert.deepEqual(findings(report), [['missing', 2]]);
    assert.equal(report.verifiedSegments, 2);
  });

  it('REC21: a segment stored twice is reported as duplicate', async () => {
    const segments = [...r.segments.slice(0, 3), r.segments[2]!, ...r.segments.slice(3)];
    const report = await verifyRecording({ ...r, segments }, r.signer.publicKey);
    assert.deepEqual(findings(report), [['duplicate', 2]]);
  });

  it('REC11: a valid segment of another recording spliced in is reported at its index', async () => {
    const other = await testRecordingSameHost(r);
    const segments = r.segments.slice();
    segments[3] = other[3]!;
    const report = await verifyRecording({ ...r, segments }, r.signer.publicKey);
    assert.equal(report.ok, false);
    assert.equal(report.problems[0]!.segment, 3);
    assert.equal(report.problems[0]!.kind, 'tampered');
    const reader = await openRecording(r.header, r.auditors[0]!);
    assert.equal((await rejection(reader.openSegment(segments[3]!, 3))).segment, 3);
  });

  it('REC16: an edited manifest is a signature problem and not complete; the player refuses it', async () => {
    const reader = await openRecording(r.header, r.auditors[0]!);
    for (const position of [0, 5, 6, 40, 50, r.manifest!.length - 100, r.manifest!.length - 1]) {
      const manifest = flip(r.manifest!, position);
      const report = await verifyRecording({ ...r, manifest }, r.signer.publicKey);
      assert.equal(report.ok, false);
      assert.equal(report.complete, false);
      assert.ok(['signature', 'manifest'].includes(report.problems[0]!.kind), `flip at ${position}`);
      const err = await rejection(reader.openManifest(manifest));
      assert.ok(['manifest', 'format', 'unsupported_version'].includes(err.code), `flip at ${position}: ${err.code}`);
    }
  });

  it('REC16: the manifest of another recording is a manifest problem', async () => {
    const other = await testRecording(COUNT);
    const report = await verifyRecording({ ...r, manifest: other.manifest! }, r.signer.publicKey);
    assert.equal(report.ok, false);
    assert.equal(report.complete, false);
    assert.ok(['manifest', 'signature'].includes(report.problems[0]!.kind));
  });

  it('REC17: a manifest re-signed by the host key but without the file key fails the STREAM terminator for auditors', async () => {
    const m = decodeManifest(r.manifest!);
    const edited = flip(r.manifest!.subarray(0, m.signatureOffset), m.endTagOffset);
    const resigned = concat(edited, await r.signer.sign(concat(CONTEXT.manifestSignature, edited)));
    const reader = await openRecording(r.header, r.auditors[0]!);
    assert.equal((await rejection(reader.openManifest(resigned))).code, 'manifest');
  });

  it('REC18: without a manifest the recording is ok but incomplete, verified up to the last segment', async () => {
    const report = await verifyRecording({ header: r.header, segments: r.segments }, r.signer.publicKey);
    assert.equal(report.ok, true);
    assert.equal(report.complete, false);
    assert.equal(report.verifiedSegments, COUNT);
    assert.equal(verdictLine(report), 'OK incomplete: no manifest (the recorder stopped early); verified up to segment 5 (6 segments).');
  });

  it('REC18: a last segment cut short by a crash is truncated at its index; the prefix still verifies', async () => {
    const segments = r.segments.slice();
    segments[COUNT - 1] = segments[COUNT - 1]!.subarray(0, 700);
    const report = await verifyRecording({ header: r.header, segments }, r.signer.publicKey);
    assert.deepEqual(findings(report), [['truncated', COUNT - 1]]);
    assert.equal(report.verifiedSegments, COUNT - 1);
    assert.match(report.problems[0]!.message, /cut short/);
  });

  it('REC6: a recording checked against another host key fails with a signature problem', async () => {
    const other = await testRecording(0);
    const report = await verifyRecording(r, other.signer.publicKey);
    assert.deepEqual(findings(report), [['signature', undefined]]);
  });

  it('REC20: an unreadable header is a header problem', async () => {
    const report = await verifyRecording({ ...r, header: new Uint8Array([1, 2, 3]) }, r.signer.publicKey);
    assert.deepEqual(findings(report), [['header', undefined]]);
  });
});

/** A second recording by the same host key, with the same info and auditors. */
function sameHostWriter(r: Recording): Promise<RecordingWriter> {
  return createRecording(
    testInfo(),
    r.auditors.map((a) => ({ keyId: a.keyId, publicKey: a.rawPublicKey })),
    r.signer,
  );
}

/** Segments of a second recording by the same host key with the same recording id. */
async function testRecordingSameHost(r: Recording): Promise<Uint8Array[]> {
  const writer = await sameHostWriter(r);
  const out: Uint8Array[] = [];
  for (let i = 0; i < COUNT; i++) out.push((await writer.sealSegment({ ...testSegment(i), events: [] })).bytes);
  return out;
}
