import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { fromBase64Url } from '@wardlink/protocol';
import { auditorKeyId } from '@wardlink/recordings';
import { AuditorKeyStore } from '../../audit/AuditorKeyStore.ts';
import { stubFetch } from '../../testing/fetchStub.ts';
import { testKeyStore } from './fixtures.ts';
import { defaultLabel } from './key-panel.ts';
import './key-panel.ts';
import type { AuditorKeyPanel } from './key-panel.ts';

const ME = { id: 'user-audit-01', username: 'audit1', name: 'Audit One', organisation: 'Hospital', role: 'auditor' };

/** A broker that keeps registered keys, with the status a test sets. */
function fakeBroker() {
  const keys: Array<{ keyId: string; publicKey: string; label: string; status: string; createdAt: number }> = [];
  let nextStatus = 'pending';
  const stub = stubFetch((url, method, body) => {
    if (url === '/api/auditor/keys' && method === 'GET') return [200, { ok: true, data: { keys } }];
    if (url === '/api/auditor/keys' && method === 'POST') {
      const { publicKey, label } = body as { publicKey: string; label: string };
      const keyId = auditorKeyId(fromBase64Url(publicKey));
      keys.push({ keyId, publicKey, label, status: nextStatus, createdAt: Date.now() });
      return [200, { ok: true, data: { keyId, status: nextStatus } }];
    }
    return [404, { ok: false, error: { code: 'not_found', message: 'x' } }];
  });
  return { ...stub, keys, setStatus: (s: string) => (nextStatus = s) };
}

function text(el: AuditorKeyPanel, selector: string): string {
  return el.shadowRoot!.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

function button(el: AuditorKeyPanel, name: RegExp): HTMLButtonElement {
  const found = [...el.shadowRoot!.querySelectorAll('button')].find((b) => name.test(b.textContent!.trim()));
  if (!found) throw new Error(`no button ${name}`);
  return found;
}

describe('wl-auditor-key-panel', () => {
  let broker: ReturnType<typeof fakeBroker> | undefined;
  let store: AuditorKeyStore;
  let databaseName: string;
  let removeStore: () => Promise<void>;

  beforeEach(() => {
    ({ store, databaseName, remove: removeStore } = testKeyStore());
  });
  afterEach(async () => {
    broker?.restore();
    await removeStore();
  });

  it('POL1: without a key it offers to make one, with a labelled, editable key name, accessibly', async () => {
    broker = fakeBroker();
    const el = await fixture<AuditorKeyPanel>(html`<wl-auditor-key-panel .me=${ME} .keyStore=${store}></wl-auditor-key-panel>`);
    await waitUntil(() => el.shadowRoot!.querySelector('#key-label'));
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('#key-label')!;
    expect(el.shadowRoot!.querySelector('label[for=key-label]')!.textContent).to.equal('Key name (shown to the administrator)');
    expect(input.value).to.match(/^\w+ \d{4}-\d{2}-\d{2}$/);
    expect(button(el, /^Create a recording key$/).type).to.equal('submit');
    await expect(el).to.be.accessible();
  });

  it('POL1: makes a non-extractable X25519 key, stores it, registers its public half and shows the pending status', async () => {
    broker = fakeBroker();
    const el = await fixture<AuditorKeyPanel>(html`<wl-auditor-key-panel .me=${ME} .keyStore=${store}></wl-auditor-key-panel>`);
    await waitUntil(() => el.shadowRoot!.querySelector('#key-label'));
    el.shadowRoot!.querySelector<HTMLInputElement>('#key-label')!.value = 'Ward office PC';
    button(el, /^Create a recording key$/).click();
    await waitUntil(() => text(el, '[role=status]').startsWith('Waiting'), 'pending status shown', { timeout: 5000 });

    const [stored] = await store.keys(ME.id);
    expect(stored!.privateKey.extractable).to.equal(false);
    expect(stored!.privateKey.algorithm.name).to.equal('X25519');
    expect(stored!.label).to.equal('Ward office PC');
    const post = broker.calls.find((c) => c.method === 'POST')!;
    expect(post.url).to.equal('/api/auditor/keys');
    expect(post.body).to.deep.equal({ publicKey: toBase64Url(stored!.rawPublicKey), label: 'Ward office PC' });
    const keyId = broker.keys[0]!.keyId;
    expect(text(el, 'code')).to.equal(stored!.keyId);
    expect(text(el, '[role=status]')).to.equal(`Waiting for the administrator's approval — run wardlink policy approve ${keyId}`);
    await expect(el).to.be.accessible();
  });

  it('keeps the key in IndexedDB: a new element (a reload) shows the same key and registers nothing again', async () => {
    broker = fakeBroker();
    const first = await fixture<AuditorKeyPanel>(html`<wl-auditor-key-panel .me=${ME} .keyStore=${store}></wl-auditor-key-panel>`);
    await waitUntil(() => first.shadowRoot!.querySelector('#key-label'));
    button(first, /^Create a recording key$/).click();
    await waitUntil(() => text(first, 'code') !== '', 'key shown', { timeout: 5000 });
    const keyId = text(first, 'code');
    first.remove();
    store.close();

    const reopened = new AuditorKeyStore({ databaseName });
    const posts = broker.calls.filter((c) => c.method === 'POST').length;
    const again = await fixture<AuditorKeyPanel>(html`<wl-auditor-key-panel .me=${ME} .keyStore=${reopened}></wl-auditor-key-panel>`);
    await waitUntil(() => text(again, 'code') !== '');
    expect(text(again, 'code')).to.equal(keyId);
    expect(broker.calls.filter((c) => c.method === 'POST').length).to.equal(posts);
    reopened.close();
  });

  it('REP6: shows Approved and Revoked from the broker', async () => {
    broker = fakeBroker();
    broker.setStatus('approved');
    const el = await fixture<AuditorKeyPanel>(html`<wl-auditor-key-panel .me=${ME} .keyStore=${store}></wl-auditor-key-panel>`);
    await waitUntil(() => el.shadowRoot!.querySelector('#key-label'));
    button(el, /^Create a recording key$/).click();
    await waitUntil(() => text(el, '[role=status]').startsWith('Approved'), 'approved', { timeout: 5000 });
    expect(el.shadowRoot!.querySelector('.status.approved')).to.not.equal(null);

    broker.keys[0]!.status = 'revoked';
    el.remove();
    const again = await fixture<AuditorKeyPanel>(html`<wl-auditor-key-panel .me=${ME} .keyStore=${store}></wl-auditor-key-panel>`);
    await waitUntil(() => text(again, '[role=status]').startsWith('Revoked'), 'revoked');
  });

  it('a key the broker does not know yet (registration failed) can be registered again', async () => {
    broker = fakeBroker();
    const el = await fixture<AuditorKeyPanel>(html`<wl-auditor-key-panel .me=${ME} .keyStore=${store}></wl-auditor-key-panel>`);
    await waitUntil(() => el.shadowRoot!.querySelector('#key-label'));
    button(el, /^Create a recording key$/).click();
    await waitUntil(() => text(el, '[role=status]').startsWith('Waiting'), 'registered', { timeout: 5000 });
    broker.keys.splice(0);
    el.remove();
    const again = await fixture<AuditorKeyPanel>(html`<wl-auditor-key-panel .me=${ME} .keyStore=${store}></wl-auditor-key-panel>`);
    await waitUntil(() => text(again, '[role=status]') === 'Not registered with the server yet.');
    button(again, /^Register the key$/).click();
    await waitUntil(() => text(again, '[role=status]').startsWith('Waiting'));
    expect(broker.calls.filter((c) => c.method === 'POST').length).to.equal(2);
  });

  it('a new key needs confirmation; the old key stays in the browser and the new one becomes current', async () => {
    broker = fakeBroker();
    const el = await fixture<AuditorKeyPanel>(html`<wl-auditor-key-panel .me=${ME} .keyStore=${store}></wl-auditor-key-panel>`);
    await waitUntil(() => el.shadowRoot!.querySelector('#key-label'));
    button(el, /^Create a recording key$/).click();
    await waitUntil(() => text(el, 'code') !== '', 'first key', { timeout: 5000 });
    const oldId = text(el, 'code');

    button(el, /^Make a new key…$/).click();
    await el.updateComplete;
    expect(text(el, '#new-key-warning')).to.contain('can only be opened with that key');
    await expect(el).to.be.accessible();
    button(el, /^Cancel$/).click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#new-key-warning')).to.equal(null);

    button(el, /^Make a new key…$/).click();
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLInputElement>('#key-label')!.value = 'Second key';
    button(el, /^Make the new key$/).click();
    await waitUntil(() => text(el, 'code') !== oldId && text(el, '[role=status]').startsWith('Waiting'), 'second key', { timeout: 5000 });
    const keys = await store.keys(ME.id);
    expect(keys.map((k) => k.label)).to.deep.equal(['Second key', keys[1]!.label]);
    expect(keys[1]!.keyId).to.equal(oldId);
  });

  it('refuses an empty key name', async () => {
    broker = fakeBroker();
    const el = await fixture<AuditorKeyPanel>(html`<wl-auditor-key-panel .me=${ME} .keyStore=${store}></wl-auditor-key-panel>`);
    await waitUntil(() => el.shadowRoot!.querySelector('#key-label'));
    el.shadowRoot!.querySelector<HTMLInputElement>('#key-label')!.value = '   ';
    button(el, /^Create a recording key$/).click();
    await el.updateComplete;
    expect(text(el, '[role=alert]')).to.equal('Enter a key name of up to 64 characters.');
    expect(await store.keys(ME.id)).to.deep.equal([]);
  });

  it('names the browser and the day in the default key name', () => {
    const day = new Date(2025, 3, 1);
    expect(defaultLabel('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36', day)).to.equal('Chromium 2025-04-01');
    expect(defaultLabel('Mozilla/5.0 Chrome/140.0 Safari/537.36 Edg/140.0', day)).to.equal('Edge 2025-04-01');
    expect(defaultLabel('curl/8', day)).to.equal('Browser 2025-04-01');
  });
});

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
