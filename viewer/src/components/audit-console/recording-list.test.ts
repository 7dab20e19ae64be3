import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { recordingQuery } from '../../api/auditor.ts';
import { stubFetch } from '../../testing/fetchStub.ts';
import { REC_COMPLETE, REC_INCOMPLETE, page } from './fixtures.ts';
import { formatDuration } from './recording-list.ts';
import './recording-list.ts';
import type { OpenRecordingEvent, RecordingListView } from './recording-list.ts';

function rows(el: RecordingListView): string[][] {
  return [...el.shadowRoot!.querySelectorAll('tbody tr')].map((row) =>
    [...row.querySelectorAll('td')].map((cell) => cell.textContent!.replace(/\s+/g, ' ').trim()),
  );
}

function query(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url, 'https://broker.test').searchParams);
}

describe('recordingQuery', () => {
  it('REP1: turns form values into the broker\'s query; calendar days become local midnights, `to` the one after', () => {
    expect(recordingQuery({})).to.equal('');
    const q = query(
      `/api/recordings${recordingQuery({ fromDate: '2025-04-01', toDate: '2025-04-30', hostId: 'host-0000001', technician: 'user-tech-01', organisation: 'Help Desk', complete: false, limit: 50, offset: 100 })}`,
    );
    expect(q).to.deep.equal({
      from: String(new Date(2025, 3, 1).getTime()),
      to: String(new Date(2025, 4, 1).getTime()),
      hostId: 'host-0000001',
      technician: 'user-tech-01',
      organisation: 'Help Desk',
      complete: 'false',
      limit: '50',
      offset: '100',
    });
    expect(recordingQuery({ fromDate: 'not a date', offset: 0 })).to.equal('');
  });
});

describe('wl-recording-list', () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  it('REP1: lists recordings in a table with headers, as text only, accessibly', async () => {
    restore = stubFetch(() => [200, { ok: true, data: page([REC_COMPLETE, REC_INCOMPLETE]) }]).restore;
    const el = await fixture<RecordingListView>(html`<wl-recording-list></wl-recording-list>`);
    await waitUntil(() => rows(el).length === 2);
    const headers = [...el.shadowRoot!.querySelectorAll('th[scope=col]')].map((th) => th.textContent!.trim());
    expect(headers).to.deep.equal(['Start', 'Duration', 'PC', 'Technician', 'Organisation', 'Size', 'Status', 'Actions']);
    const [first, second] = rows(el);
    expect(first!.slice(1)).to.deep.equal(['12:05', 'Ward 3 PC', 'Sato Hanako', 'Help Desk', '12.3 MB', 'Complete', 'Open']);
    expect(second!.slice(1)).to.deep.equal(['1:01:01', REC_INCOMPLETE.hostName, 'user-tech-02', 'Vendor KK', '900 byte', 'Incomplete', 'Open']);
    expect((window as { __pwned?: boolean }).__pwned).to.equal(undefined);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('REP1: every filter is a labelled control; its choices come from the broker\'s facets', async () => {
    restore = stubFetch(() => [200, { ok: true, data: page([REC_COMPLETE]) }]).restore;
    const el = await fixture<RecordingListView>(html`<wl-recording-list></wl-recording-list>`);
    await waitUntil(() => rows(el).length === 1);
    const labels = [...el.shadowRoot!.querySelectorAll('form label')].map((l) => [l.textContent!.trim(), l.getAttribute('for')]);
    expect(labels).to.deep.equal([
      ['Started on or after', 'filter-from'],
      ['Started on or before', 'filter-to'],
      ['PC', 'filter-host'],
      ['Technician', 'filter-technician'],
      ['Organisation', 'filter-organisation'],
      ['Completeness', 'filter-complete'],
    ]);
    const options = (id: string) => [...el.shadowRoot!.querySelectorAll(`#${id} option`)].map((o) => o.textContent!.trim());
    expect(options('filter-host')).to.deep.equal(['All PCs', 'Ward 3 PC', 'Ward 5 PC']);
    expect(options('filter-technician')).to.deep.equal(['All technicians', 'Sato Hanako', 'user-tech-02']);
    expect(options('filter-organisation')).to.deep.equal(['All organisations', 'Help Desk', 'Vendor KK']);
    expect(options('filter-complete')).to.deep.equal(['Complete and incomplete', 'Complete only', 'Incomplete only']);
  });

  it('REP1: applying the filters asks the broker with them, from the first page', async () => {
    const stub = stubFetch(() => [200, { ok: true, data: page([REC_COMPLETE]) }]);
    restore = stub.restore;
    const el = await fixture<RecordingListView>(html`<wl-recording-list></wl-recording-list>`);
    await waitUntil(() => rows(el).length === 1);
    expect(query(stub.calls[0]!.url)).to.deep.equal({ limit: '50' });
    const root = el.shadowRoot!;
    root.querySelector<HTMLInputElement>('#filter-from')!.value = '2025-04-01';
    root.querySelector<HTMLInputElement>('#filter-to')!.value = '2025-04-02';
    root.querySelector<HTMLSelectElement>('#filter-host')!.value = 'host-0000002';
    root.querySelector<HTMLSelectElement>('#filter-technician')!.value = 'user-tech-01';
    root.querySelector<HTMLSelectElement>('#filter-organisation')!.value = 'Vendor KK';
    root.querySelector<HTMLSelectElement>('#filter-complete')!.value = 'false';
    root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitUntil(() => stub.calls.length === 2);
    expect(query(stub.calls[1]!.url)).to.deep.equal({
      from: String(new Date(2025, 3, 1).getTime()),
      to: String(new Date(2025, 3, 3).getTime()),
      hostId: 'host-0000002',
      technician: 'user-tech-01',
      organisation: 'Vendor KK',
      complete: 'false',
      limit: '50',
    });
    root.querySelector<HTMLButtonElement>('button[type=reset]')!.click();
    await waitUntil(() => stub.calls.length === 3);
    expect(query(stub.calls[2]!.url)).to.deep.equal({ limit: '50' });
  });

  it('REP2: pages through more recordings than fit on one page', async () => {
    const stub = stubFetch((url) => {
      const offset = Number(query(url)['offset'] ?? 0);
      return [200, { ok: true, data: page([offset ? REC_INCOMPLETE : REC_COMPLETE], { total: 2, limit: 1, offset }) }];
    });
    restore = stub.restore;
    const el = await fixture<RecordingListView>(html`<wl-recording-list .pageSize=${1}></wl-recording-list>`);
    await waitUntil(() => rows(el).length === 1);
    const nav = el.shadowRoot!.querySelector('nav')!;
    expect(nav.getAttribute('aria-label')).to.equal('Pages of recordings');
    expect(nav.querySelector('p')!.textContent).to.equal('Recordings 1–1 of 2');
    const [previous, next] = [...nav.querySelectorAll('button')];
    expect(previous!.disabled).to.equal(true);
    next!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('nav p')?.textContent === 'Recordings 2–2 of 2');
    expect(query(stub.calls.at(-1)!.url)).to.deep.equal({ limit: '1', offset: '1' });
    expect([...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('nav button')].map((b) => b.disabled)).to.deep.equal([false, true]);
  });

  it('Open names the PC and the start time, and hands the row over', async () => {
    restore = stubFetch(() => [200, { ok: true, data: page([REC_COMPLETE]) }]).restore;
    const el = await fixture<RecordingListView>(html`<wl-recording-list></wl-recording-list>`);
    await waitUntil(() => rows(el).length === 1);
    const open = el.shadowRoot!.querySelector<HTMLButtonElement>('tbody button')!;
    const start = el.shadowRoot!.querySelector('tbody td')!.textContent!.trim();
    expect(open.getAttribute('aria-label')).to.equal(`Open the recording of Ward 3 PC started ${start}`);
    setTimeout(() => open.click());
    const event = (await oneEvent(el, 'wl-open-recording')) as OpenRecordingEvent;
    expect(event.detail.id).to.equal(REC_COMPLETE.id);
  });

  it('says when nothing matches, and shows broker errors', async () => {
    let answer: [number, unknown] = [200, { ok: true, data: page([]) }];
    restore = stubFetch(() => answer).restore;
    const el = await fixture<RecordingListView>(html`<wl-recording-list></wl-recording-list>`);
    await waitUntil(() => el.shadowRoot!.textContent!.includes('No recordings match these filters.'));
    expect(el.shadowRoot!.querySelector('table')).to.equal(null);
    answer = [400, { ok: false, error: { code: 'bad_message', message: 'Invalid field: to.' } }];
    await el.reload();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent).to.equal('The request was not understood.');
  });

  it('hands over to sign-in when the broker no longer knows the sign-in', async () => {
    restore = stubFetch(() => [401, { ok: false, error: { code: 'unauthenticated', message: 'x' } }]).restore;
    const el = document.createElement('wl-recording-list');
    setTimeout(() => document.body.append(el));
    const event = (await oneEvent(el, 'wl-signed-out')) as CustomEvent<string>;
    expect(event.detail).to.equal('unauthenticated');
    el.remove();
  });

  it('formats durations as m:ss or h:mm:ss', () => {
    expect(formatDuration(0)).to.equal('0:00');
    expect(formatDuration(65_000)).to.equal('1:05');
    expect(formatDuration(3_723_400)).to.equal('1:02:03');
  });
});
