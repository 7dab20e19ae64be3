import { expect } from '@open-wc/testing';
import type { VerifyReport } from '@wardlink/recordings';
import { readVerdict } from './integrity.ts';

const end = (i: number) => (i + 1) * 10_000;
const report = (r: Partial<VerifyReport>): VerifyReport => ({ ok: true, complete: true, segmentCount: 4, verifiedSegments: 4, problems: [], ...r });
const manifest = { segmentCount: 4, endedAt: 0, endReason: 'ended', segments: [], finalChain: '' };

describe('readVerdict', () => {
  it('REC20: a complete, clean recording is verified and fully playable', () => {
    expect(readVerdict(report({ manifest }), end)).to.deep.equal({ status: { state: 'verified' }, playableSegments: 4, manifestUsable: true });
  });

  it('REC18: without a manifest it is incomplete and ends after the last verified segment', () => {
    const v = readVerdict(report({ complete: false, verifiedSegments: 3, segmentCount: 3 }), end);
    expect(v).to.deep.equal({ status: { state: 'incomplete', lastSegment: 2 }, playableSegments: 3, manifestUsable: false });
  });

  it('REC21: names the lowest segment with a problem and plays the verified prefix', () => {
    const v = readVerdict(
      report({
        ok: false,
        complete: false,
        verifiedSegments: 1,
        manifest,
        problems: [
          { kind: 'tampered', segment: 3, message: '' },
          { kind: 'missing', segment: 1, message: '' },
        ],
      }),
      end,
    );
    expect(v).to.deep.equal({ status: { state: 'tampered', segment: 1, kind: 'missing', playableEndMs: 10_000 }, playableSegments: 1, manifestUsable: true });
  });

  it('REC21: a manifest problem names no segment and the manifest is not used', () => {
    const v = readVerdict(report({ ok: false, complete: false, problems: [{ kind: 'signature', message: '' }] }), end);
    expect(v.status).to.deep.equal({ state: 'tampered', kind: 'signature', playableEndMs: 40_000 });
    expect(v.manifestUsable).to.equal(false);
  });

  it('REC21: a header problem plays nothing', () => {
    const v = readVerdict(report({ ok: false, complete: false, verifiedSegments: 0, problems: [{ kind: 'header', message: '' }] }), end);
    expect(v).to.deep.equal({ status: { state: 'failed', reason: 'header' }, playableSegments: 0, manifestUsable: false });
  });
});
