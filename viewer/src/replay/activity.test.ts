import { expect } from '@open-wc/testing';
import { ActivityIndex, IDLE_HOLD_MS, IDLE_LEAD_MS, upperBound } from './activity.ts';

describe('ActivityIndex', () => {
  const index = new ActivityIndex([10_000, 0, 1000, 1500, 30_000]);

  it('finds the activity around a time', () => {
    expect(index.lastAtOrBefore(1500)).to.equal(1500);
    expect(index.lastAtOrBefore(-1)).to.equal(undefined);
    expect(index.firstAfter(1500)).to.equal(10_000);
    expect(index.firstAfter(30_000)).to.equal(undefined);
    expect(upperBound([1, 2, 2, 3], 2)).to.equal(3);
  });

  it('skips an idle stretch once the last change was on screen for a while, landing just before the next', () => {
    expect(index.idleSkipTarget(1600)).to.equal(undefined);
    expect(index.idleSkipTarget(1500 + IDLE_HOLD_MS)).to.equal(10_000 - IDLE_LEAD_MS);
    expect(index.idleSkipTarget(9600)).to.equal(undefined);
    expect(index.idleSkipTarget(11_000)).to.equal(30_000 - IDLE_LEAD_MS);
  });

  it('does not skip short pauses, nor past the last activity', () => {
    expect(new ActivityIndex([0, 1000, 2900]).idleSkipTarget(1950)).to.equal(undefined);
    expect(index.idleSkipTarget(40_000)).to.equal(undefined);
  });

  it('counts activity per slice of the recording', () => {
    expect(index.density(40_000, 4)).to.deep.equal([3, 1, 0, 1]);
    expect(index.density(0, 2)).to.deep.equal([0, 0]);
  });
});
