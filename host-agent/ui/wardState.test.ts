import { expect } from '@open-wc/testing';
import { readWardState } from './wardState.ts';

describe('readWardState', () => {
  it('accepts a full live state and drops unknown fields', () => {
    const state = readWardState({
      hostName: 'Ward 3 PC',
      broker: 'online',
      state: 'live',
      technician: { name: 'Tanaka', organisation: 'Vendor KK', from: '10.0.0.5', extra: 1 },
      extra: true,
    });
    expect(state).to.deep.equal({
      hostName: 'Ward 3 PC',
      broker: 'online',
      state: 'live',
      technician: { name: 'Tanaka', organisation: 'Vendor KK', from: '10.0.0.5' },
    });
  });

  it('refuses malformed states', () => {
    const base = { hostName: 'PC', broker: 'online', state: 'waiting' };
    expect(readWardState(null)).to.equal(null);
    expect(readWardState({ ...base, state: 'dancing' })).to.equal(null);
    expect(readWardState({ ...base, broker: 'maybe' })).to.equal(null);
    expect(readWardState({ ...base, code: '12345' })).to.equal(null);
    expect(readWardState({ ...base, expiresAt: 'soon' })).to.equal(null);
    expect(readWardState({ ...base, hostName: 'bad\u0000name' })).to.equal(null);
    expect(readWardState({ ...base, technician: { name: 'x' } })).to.equal(null);
  });
});
