import { expect } from '@open-wc/testing';
import { readWardState, readWardStateEvent } from './wardState.ts';

const live = {
  hostName: 'Ward 3 PC',
  broker: 'online',
  state: 'live',
  technician: { name: 'Tanaka', organisation: 'Vendor KK', from: '10.0.0.5' },
};

describe('readWardState', () => {
  it('accepts a full live state and drops unknown fields', () => {
    const state = readWardState({ ...live, technician: { ...live.technician, extra: 1 }, extra: true });
    expect(state).to.deep.equal(live);
  });

  it('accepts a waiting state with its code and expiry, and an ended state with its reason', () => {
    const waiting = { hostName: 'PC', broker: 'offline', state: 'waiting', code: '123456789', expiresAt: 1_764_000_000_000 };
    expect(readWardState(waiting)).to.deep.equal(waiting);
    const ended = { hostName: 'PC', broker: 'online', state: 'ended', endReason: 'ended_by_technician' };
    expect(readWardState(ended)).to.deep.equal(ended);
  });

  it('refuses malformed states', () => {
    const base = { hostName: 'PC', broker: 'online', state: 'waiting' };
    expect(readWardState(null)).to.equal(null);
    expect(readWardState({ ...base, state: 'dancing' })).to.equal(null);
    expect(readWardState({ ...base, broker: 'maybe' })).to.equal(null);
    expect(readWardState({ ...base, code: '12345' })).to.equal(null);
    expect(readWardState({ ...base, expiresAt: 'soon' })).to.equal(null);
    expect(readWardState({ ...base, hostName: 'bad\u0000name' })).to.equal(null);
    expect(readWardState({ ...base, hostName: 'x'.repeat(129) })).to.equal(null);
    expect(readWardState({ ...base, technician: { name: 'x' } })).to.equal(null);
    expect(readWardState({ ...base, state: 'ended', endReason: 'because' })).to.equal(null);
  });
});

describe('readWardStateEvent', () => {
  it('reads the JSON text of a state event', () => {
    expect(readWardStateEvent(JSON.stringify({ ...live, extra: true }))).to.deep.equal(live);
  });

  it('refuses text that is not JSON, not a state, or too large', () => {
    expect(readWardStateEvent('{')).to.equal(null);
    expect(readWardStateEvent(JSON.stringify({ hostName: 'PC' }))).to.equal(null);
    expect(readWardStateEvent(JSON.stringify({ ...live, padding: 'x'.repeat(20_000) }))).to.equal(null);
  });
});
