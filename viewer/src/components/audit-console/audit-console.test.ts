import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { toBase64Url } from '@wardlink/protocol';
import { auditorRecipient, createRecording, generateAuditorKeyPair } from '@wardlink/recordings';
import type { AuditorKeyStore } from '../../audit/AuditorKeyStore.ts';
import { keyFor, type RecordingSource } from '../../audit/source.ts';
import * as ja from '../../localization/ja.ts';
import { stubFetch, type StubAnswer } from '../../testing/fetchStub.ts';
import { applyLocale, configureLocales } from '../../ui-kit/localization.ts';
import { REC_COMPLETE, page, testKeyStore } from './fixtures.ts';
import './audit-console.ts';
import type { AuditConsole } from './audit-console.ts';
import type { RecordingListView } from './recording-list.ts';

// What the viewer's main.ts does through startPage().
configureLocales({ ja });

const ME = { id: 'user-audit-01', username: 'audit1', name: 'Audit One', organisation: 'Hospital', role: 'auditor' };
const HOST_KEY = new Uint8Array(32).map((_, i) => i + 1);
const HEADER = new Uint8Array([1, 2, 3, 4]);
const MANIFEST = new Uint8Array([9, 9]);
const SEGMENT_1 = new Uint8Array([7, 7, 7]);

/** The player's element as the console fills it in (the element itself is another component). */
type Player = HTMLElement & { source?: RecordingSource; auditorKey?: CryptoKey };

function broker(overrides: (url: string) => StubAnswer | undefined = () => undefined) {
  return stubFetch((url) => {
    const special = overrides(url);
    if (special) return special;
    const path = url.split('?')[0];
    switch (path) {
      case '/api/auditor/keys':
        return [200, { ok: true, data: { keys: [] } }];
      case '/api/recordings':
        return [200, { ok: true, data: page([REC_COMPLETE]) }];
      case `/api/recordings/${REC_COMPLETE.id}`:
        return [
          200,
          {
            ok: true,
            data: { recording: REC_COMPLETE, hostPublicKey: toBase64Url(HOST_KEY), parts: { header: true, manifest: true, segmentCount: 3, storedSegments: 3 } },
          },
        ];
      case `/api/recordings/${REC_COMPLETE.id}/header`:
        return [200, HEADER];
      case `/api/recordings/${REC_COMPLETE.id}/manifest`:
        return [200, MANIFEST];
      case `/api/recordings/${REC_COMPLETE.id}/segment-000001`:
        return [200, SEGMENT_1];
      default:
        return [404, { ok: false, error: { code: 'not_found', message: 'Not found.' } }];
    }
  });
}

function list(el: AuditConsole): RecordingListView {
  return el.shadowRoot!.querySelector('wl-recording-list')!;
}

async function openFirst(el: AuditConsole): Promise<void> {
  await waitUntil(() => list(el).shadowRoot!.querySelector('tbody button'), 'the list shows a recording');
  list(el).shadowRoot!.querySelector<HTMLButtonElement>('tbody button')!.click();
}

/** Whether two X25519 private keys are the same key: both derive the same secret with one public key. */
async function sameKey(a: CryptoKey, b: CryptoKey): Promise<boolean> {
  const other = (await crypto.subtle.generateKey({ name: 'X25519' }, true, ['deriveBits'])) as CryptoKeyPair;
  const bits = (k: CryptoKey) => crypto.subtle.deriveBits({ name: 'X25519', public: other.publicKey }, k, 256);
  return toBase64Url(new Uint8Array(await bits(a))) === toBase64Url(new Uint8Array(await bits(b)));
}

describe('wl-audit-console', () => {
  let restore: (() => void) | undefined;
  let store: AuditorKeyStore;
  let removeStore: () => Promise<void>;

  beforeEach(() => {
    ({ store, remove: removeStore } = testKeyStore());
  });
  afterEach(async () => {
    restore?.();
    await removeStore();
  });

  async function withKey() {
    const pair = await generateAuditorKeyPair();
    await store.add({ ...pair, userId: ME.id, label: 'Test key', createdAt: Date.now() });
    return pair;
  }

  it('shows the key panel and the recording list, accessibly', async () => {
    restore = broker().restore;
    const el = await fixture<AuditConsole>(html`<wl-audit-console .me=${ME} .keyStore=${store}></wl-audit-console>`);
    await waitUntil(() => list(el).shadowRoot!.querySelector('tbody button'));
    expect(el.shadowRoot!.querySelector('h1')!.textContent).to.equal('Recordings');
    expect(el.shadowRoot!.querySelector('wl-auditor-key-panel')).to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  it('Open hands the player a source over the broker\'s parts and this browser\'s private key', async () => {
    const pair = await withKey();
    const stub = broker();
    restore = stub.restore;
    const el = await fixture<AuditConsole>(html`<wl-audit-console .me=${ME} .keyStore=${store}></wl-audit-console>`);
    await openFirst(el);
    await waitUntil(() => el.shadowRoot!.querySelector('wl-recording-player'), 'the player is shown');
    const player = el.shadowRoot!.querySelector<Player>('wl-recording-player')!;
    const source = player.source!;
    expect([...source.header]).to.deep.equal([...HEADER]);
    expect([...source.manifest!]).to.deep.equal([...MANIFEST]);
    expect(source.segmentCount).to.equal(3);
    expect([...source.hostPublicKey]).to.deep.equal([...HOST_KEY]);
    expect(player.auditorKey!.extractable).to.equal(false);
    expect(await sameKey(player.auditorKey!, pair.privateKey)).to.equal(true);

    const before = stub.calls.length;
    expect([...(await source.fetchSegment(1))]).to.deep.equal([...SEGMENT_1]);
    expect(stub.calls.slice(before).map((c) => c.url)).to.deep.equal([`/api/recordings/${REC_COMPLETE.id}/segment-000001`]);
    let refused: unknown;
    await source.fetchSegment(2).catch((err: unknown) => (refused = err));
    expect((refused as Error).name).to.equal('SegmentFetchError');
    await source.fetchSegment(3).catch((err: unknown) => (refused = err));
    expect(stub.calls.at(-1)!.url, 'an index past the end is not fetched').to.equal(`/api/recordings/${REC_COMPLETE.id}/segment-000002`);

    const heading = el.shadowRoot!.querySelector('#player-heading')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(heading).to.match(/^Recording of Ward 3 PC, started /);
    expect(el.shadowRoot!.activeElement?.textContent?.trim()).to.equal('Back to the list');
    await expect(el).to.be.accessible({ ignoredTags: ['wl-recording-player'] });
  });

  it('Back returns to the list as it was, and removes the player', async () => {
    await withKey();
    const stub = broker();
    restore = stub.restore;
    const el = await fixture<AuditConsole>(html`<wl-audit-console .me=${ME} .keyStore=${store}></wl-audit-console>`);
    await openFirst(el);
    await waitUntil(() => el.shadowRoot!.querySelector('button.back'));
    const listCalls = stub.calls.filter((c) => c.url.startsWith('/api/recordings?')).length;
    el.shadowRoot!.querySelector<HTMLButtonElement>('button.back')!.click();
    await waitUntil(() => !el.shadowRoot!.querySelector('wl-recording-player'));
    expect(el.shadowRoot!.querySelector('main > div')!.hasAttribute('hidden')).to.equal(false);
    expect(stub.calls.filter((c) => c.url.startsWith('/api/recordings?')).length, 'the list is kept, not reloaded').to.equal(listCalls);
  });

  it('without a key in this browser, says so and fetches nothing', async () => {
    const stub = broker();
    restore = stub.restore;
    const el = await fixture<AuditConsole>(html`<wl-audit-console .me=${ME} .keyStore=${store}></wl-audit-console>`);
    await openFirst(el);
    await waitUntil(() => el.shadowRoot!.querySelector('[role=alert]')!.textContent !== '');
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent).to.equal(
      'You have no recording key in this browser yet. Create one above and ask the administrator to approve it.',
    );
    expect(stub.calls.some((c) => c.url.startsWith(`/api/recordings/${REC_COMPLETE.id}`))).to.equal(false);
    expect(el.shadowRoot!.querySelector('wl-recording-player')).to.equal(null);
  });

  it('reports a recording the broker does not have, or one without its header', async () => {
    await withKey();
    let detail: StubAnswer = [404, { ok: false, error: { code: 'not_found', message: 'x' } }];
    restore = broker((url) => (url === `/api/recordings/${REC_COMPLETE.id}` ? detail : undefined)).restore;
    const el = await fixture<AuditConsole>(html`<wl-audit-console .me=${ME} .keyStore=${store}></wl-audit-console>`);
    const alert = () => el.shadowRoot!.querySelector('[role=alert]')!.textContent;
    await openFirst(el);
    await waitUntil(() => alert() === 'This recording is not stored on the server.');
    detail = [200, { ok: true, data: { recording: REC_COMPLETE, hostPublicKey: null, parts: { header: false, manifest: false, segmentCount: 0, storedSegments: 0 } } }];
    await openFirst(el);
    await waitUntil(() => alert() === 'The beginning of this recording has not reached the server yet, so it cannot be opened.');
  });

  it('speaks Japanese: the key panel, the filters, the table and the Open buttons', async () => {
    await withKey();
    restore = broker().restore;
    await applyLocale('ja', false);
    try {
      const el = await fixture<AuditConsole>(html`<wl-audit-console .me=${ME} .keyStore=${store}></wl-audit-console>`);
      await waitUntil(() => list(el).shadowRoot!.querySelector('tbody button'));
      const panel = el.shadowRoot!.querySelector('wl-auditor-key-panel')!;
      await waitUntil(() => panel.shadowRoot!.querySelector('[role=status]'));
      expect(el.shadowRoot!.querySelector('h1')!.textContent).to.equal('録画');
      expect(panel.shadowRoot!.querySelector('h2')!.textContent).to.equal('あなたの録画鍵');
      expect(panel.shadowRoot!.querySelector('[role=status]')!.textContent!.trim()).to.equal('まだサーバーに登録されていません。');
      const root = list(el).shadowRoot!;
      const labels = [...root.querySelectorAll('form label')].map((l) => l.textContent!.trim());
      expect(labels).to.deep.equal(['開始日（この日以降）', '開始日（この日以前）', 'PC', '技術者', '所属', '完全性']);
      const headers = [...root.querySelectorAll('th')].map((th) => th.textContent!.trim());
      expect(headers).to.deep.equal(['開始', '長さ', 'PC', '技術者', '所属', 'サイズ', '状態', '操作']);
      expect(root.querySelector('tbody button')!.getAttribute('aria-label')).to.match(/^Ward 3 PC の録画（開始：.+）を開く$/);
    } finally {
      await applyLocale('en', false);
    }
  });

  it('keyFor picks the stored key the header is sealed to, also an older one', async () => {
    const older = await withKey();
    await new Promise((r) => setTimeout(r, 5));
    const newer = await withKey();
    const host = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    const writer = await createRecording(
      {
        recordingId: REC_COMPLETE.id,
        sessionId: REC_COMPLETE.sessionId,
        hostId: REC_COMPLETE.hostId,
        technician: { id: 'user-tech-01', name: 'Sato Hanako', organisation: 'Help Desk' },
        startedAt: REC_COMPLETE.startedAt,
        video: { codec: 'vp09.00.10.08', width: 1280, height: 800 },
      },
      [auditorRecipient(older.rawPublicKey)],
      {
        publicKey: new Uint8Array(await crypto.subtle.exportKey('raw', host.publicKey)),
        sign: async (message) => new Uint8Array(await crypto.subtle.sign('Ed25519', host.privateKey, message as Uint8Array<ArrayBuffer>)),
      },
    );
    const keys = await store.keys(ME.id);
    expect(keys[0]!.keyId).to.equal(newer.keyId);
    expect(keyFor(writer.header, keys)!.keyId).to.equal(older.keyId);
  });

  it('keyFor falls back to the current key when the header does not decode', async () => {
    const pair = await withKey();
    const keys = await store.keys(ME.id);
    expect(keyFor(new Uint8Array([1, 2, 3]), keys)!.keyId).to.equal(pair.keyId);
    expect(keyFor(new Uint8Array(0), [])).to.equal(undefined);
  });
});
