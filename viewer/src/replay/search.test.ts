import { expect } from '@open-wc/testing';
import type { RecordedEvent } from './events.ts';
import { HIT_SETTLE_MS, SearchIndex } from './search.ts';

const ev = (t: number, type: string, data?: Record<string, unknown>): RecordedEvent => ({ t, type, segment: 0, ...(data ? { data } : {}) });

describe('SearchIndex', () => {
  it('finds typed text case-insensitively and seeks a second after the burst holding the match', () => {
    const index = new SearchIndex([ev(5000, 'input:text', { text: 'Patient ZEBRA' })]);
    expect(index.search('zebra')).to.deep.equal([{ kind: 'typed', t: 5000, seekMs: 5000 + HIT_SETTLE_MS, snippet: 'Patient ZEBRA' }]);
    expect(index.search('  ')).to.deep.equal([]);
    expect(index.search('zebras')).to.deep.equal([]);
  });

  it('joins consecutive bursts: the hit time is the burst of the first character, the seek after the last', () => {
    const index = new SearchIndex([ev(1000, 'input:text', { text: 'hello wor' }), ev(4000, 'input:text', { text: 'ld' })]);
    const [hit] = index.search('WORLD');
    expect(hit).to.deep.include({ t: 1000, seekMs: 4000 + HIT_SETTLE_MS, snippet: 'hello world' });
  });

  it('seeks to the first frame grabbed after the match was typed, timed within the burst by its duration', () => {
    const events = [ev(5000, 'input:text', { text: 'Patient ZEBRA and more', durationMs: 2100 })];
    // "ZEBRA" ends at character 12 of 22: typed about 5000 + 2100 * 12 / 21 = 6200 ms.
    const withFrames = new SearchIndex(events, [4000, 6100, 6240, 6900, 9000]);
    expect(withFrames.search('zebra')[0]).to.deep.include({ t: 5000 + 800, seekMs: 6900 });
    // No frame within a second after it (a screen that did not change): a second after it.
    const noFrame = new SearchIndex(events, [4000, 9000]);
    expect(noFrame.search('zebra')[0]!.seekMs).to.equal(6200 + HIT_SETTLE_MS);
  });

  it('does not join text across another event (a key, a click)', () => {
    const index = new SearchIndex([
      ev(1000, 'input:text', { text: 'wor' }),
      ev(1500, 'input:key', { key: 'Enter' }),
      ev(2000, 'input:text', { text: 'ld' }),
    ]);
    expect(index.search('world')).to.deep.equal([]);
    expect(index.search('ld')[0]!.t).to.equal(2000);
  });

  it('searches file names, window titles, chat and prints, in time order, not other fields', () => {
    const index = new SearchIndex([
      ev(9000, 'chat', { from: 'tech', text: 'see report.pdf' }),
      ev(1000, 'file:transfer', { name: 'report.pdf', size: 3, sha256: 'ab', direction: 'upload' }),
      ev(3000, 'window', { title: 'Report viewer' }),
      ev(4000, 'print', { name: 'report.pdf' }),
      ev(5000, 'clipboard', { direction: 'in', length: 6, note: 'report' }),
      ev(6000, 'x-unknown', { text: 'report' }),
    ]);
    expect(index.search('report').map((h) => [h.kind, h.t])).to.deep.equal([
      ['file', 1000],
      ['window', 3000],
      ['print', 4000],
      ['chat', 9000],
    ]);
  });

  it('finds every occurrence, cuts long context, and leaves out hits past the playable end', () => {
    const long = `${'a'.repeat(60)} needle ${'b'.repeat(60)} needle`;
    const index = new SearchIndex([ev(1000, 'input:text', { text: long }), ev(50_000, 'window', { title: 'needle' })]);
    const hits = index.search('needle', 20_000);
    expect(hits.length).to.equal(2);
    expect(hits[0]!.snippet.startsWith('…')).to.equal(true);
    expect(hits[0]!.snippet.endsWith('…')).to.equal(true);
    expect(hits[0]!.snippet.length).to.be.lessThan(60);
  });

  it('ignores malformed events', () => {
    const index = new SearchIndex([ev(1, 'input:text', { text: 42 }), ev(2, 'window'), ev(3, 'chat', { text: ['x'] })]);
    expect(index.search('4')).to.deep.equal([]);
  });
});
