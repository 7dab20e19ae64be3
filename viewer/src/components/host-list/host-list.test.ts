import { expect, fixture, html } from '@open-wc/testing';
import './host-list.ts';
import type { HostList } from './host-list.ts';

const hosts = [
  { id: 'host-0001', name: 'Ward 3 nurse station', online: true },
  { id: 'host-0002', name: 'Lab server', online: false },
];

describe('wl-host-list', () => {
  it('is accessible', async () => {
    const el = await fixture<HostList>(html`<wl-host-list .hosts=${hosts}></wl-host-list>`);
    await expect(el).to.be.accessible();
  });

  it('lists host names with their status as text', async () => {
    const el = await fixture<HostList>(html`<wl-host-list .hosts=${hosts}></wl-host-list>`);
    const rows = [...el.shadowRoot!.querySelectorAll('tbody tr')].map((row) =>
      [...row.querySelectorAll('td')].map((cell) => cell.textContent!.trim()),
    );
    expect(rows).to.deep.equal([
      ['Ward 3 nurse station', 'Online'],
      ['Lab server', 'Offline'],
    ]);
  });

  it('renders hostile host names as text, never as markup', async () => {
    const hostile = '<img src=x onerror="window.__pwned = true">';
    const el = await fixture<HostList>(html`<wl-host-list .hosts=${[{ id: 'host-0666', name: hostile, online: true }]}></wl-host-list>`);
    const cell = el.shadowRoot!.querySelector('td.name')!;
    expect(cell.textContent!.trim()).to.equal(hostile);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect((window as { __pwned?: boolean }).__pwned).to.equal(undefined);
  });

  it('says so when no PCs are registered', async () => {
    const el = await fixture<HostList>(html`<wl-host-list .hosts=${[]}></wl-host-list>`);
    expect(el.shadowRoot!.textContent!.trim()).to.equal('No PCs are registered.');
  });
});
