import { expect } from '@open-wc/testing';
import { formatCode, formatPin, formatTime } from './format.ts';

describe('formatting', () => {
  it('groups a session code in threes for reading aloud', () => {
    expect(formatCode('123456789')).to.equal('123 456 789');
    expect(formatCode('123 456-789')).to.equal('123 456 789');
    expect(formatCode('')).to.equal('');
  });

  it('groups a PIN in fours for reading aloud', () => {
    expect(formatPin('12345678')).to.equal('1234 5678');
    expect(formatPin('1234 5678')).to.equal('1234 5678');
    expect(formatPin('')).to.equal('');
  });

  it('shows the expiry as a time of day', () => {
    const at = new Date(2026, 10, 24, 14, 5).getTime();
    expect(formatTime(at, 'en')).to.equal('14:05');
    expect(formatTime(at, 'ja')).to.equal('14:05');
  });
});
