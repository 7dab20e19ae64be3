import { expect } from '@open-wc/testing';
import { MAX_JSON_CHARS, compactJson, viewEvent } from './events.ts';

describe('viewEvent', () => {
  it('reads the event types the host writes', () => {
    expect(viewEvent({ t: 0, type: 'input:key', data: { key: 'C', modifiers: ['Ctrl'] } })).to.deep.equal({ kind: 'input:key', combo: 'Ctrl+C' });
    expect(viewEvent({ t: 0, type: 'input:click', data: { x: 3, y: 4, button: 2 } })).to.deep.equal({ kind: 'input:click', x: 3, y: 4, button: 2 });
    expect(viewEvent({ t: 0, type: 'recording:resumed', data: {} })).to.deep.equal({ kind: 'recording:resumed' });
    expect(viewEvent({ t: 0, type: 'consent', data: { decision: 'unattended', permissions: ['view'] } })).to.deep.equal({
      kind: 'consent',
      decision: 'unattended',
      permissions: ['view'],
    });
    expect(viewEvent({ t: 0, type: 'file:transfer', data: { name: 'a.txt', size: 5, sha256: 'x', direction: 'download' } })).to.deep.equal({
      kind: 'file:transfer',
      name: 'a.txt',
      size: 5,
      direction: 'download',
    });
  });

  it('shows unknown types and known types with unexpected data as type and compact JSON', () => {
    expect(viewEvent({ t: 0, type: 'x-new', data: { a: [1, 2] } })).to.deep.equal({ kind: 'other', type: 'x-new', json: '{"a":[1,2]}' });
    expect(viewEvent({ t: 0, type: 'input:text', data: { text: 5 } })).to.deep.equal({ kind: 'other', type: 'input:text', json: '{"text":5}' });
    expect(viewEvent({ t: 0, type: 'session:start' })).to.deep.equal({ kind: 'other', type: 'session:start', json: '' });
    expect(viewEvent({ t: 0, type: 'permissions', data: { permissions: [1] } }).kind).to.equal('other');
  });

  it('cuts long JSON', () => {
    const json = compactJson({ text: 'x'.repeat(500) });
    expect(json.length).to.equal(MAX_JSON_CHARS);
    expect(json.endsWith('…')).to.equal(true);
  });
});
