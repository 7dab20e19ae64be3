import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { WardState } from '@wardlink/protocol';
import { applyLocale, configureLocales, LOCALE_STORAGE_KEY } from '@wardlink/viewer/ui-kit';
import * as ja from '../../localization/ja.ts';
import type { WardApi, WardResult, WardSubscriber } from '../../WardApi.ts';
import './ward-app.ts';
import type { WardApp } from './ward-app.ts';

// What the page's main.ts does through startPage().
configureLocales({ ja });

/** The agent's API, answering from a state the test sets. */
class FakeApi {
  subscriber: WardSubscriber | undefined;
  readonly calls: string[] = [];

  constructor(
    public current: WardState,
    public next: WardResult | undefined = undefined,
  ) {}

  async state(): Promise<WardResult> {
    return { ok: true, data: this.current };
  }

  async help(): Promise<WardResult> {
    this.calls.push('help');
    return this.next ?? { ok: true, data: this.current };
  }

  async end(): Promise<WardResult> {
    this.calls.push('end');
    return this.next ?? { ok: true, data: this.current };
  }

  subscribe(subscriber: WardSubscriber): () => void {
    this.subscriber = subscriber;
    return () => (this.subscriber = undefined);
  }

  /** This fake where the component expects the real API. */
  asApi(): WardApi {
    return this as unknown as WardApi;
  }
}

const idle: WardState = { hostName: 'Ward 3 nurse station', broker: 'online', state: 'idle' };
const waiting: WardState = {
  ...idle,
  state: 'waiting',
  code: '123456789',
  expiresAt: new Date(2026, 10, 24, 14, 5).getTime(),
};
const live: WardState = {
  ...idle,
  state: 'live',
  technician: { name: 'Tanaka Ichiro', organisation: 'Vendor KK', from: '10.20.30.40' },
};

async function page(state: WardState, next?: WardResult): Promise<{ el: WardApp; api: FakeApi }> {
  const api = new FakeApi(state, next);
  const el = await fixture<WardApp>(html`<wl-ward-app .api=${api.asApi()}></wl-ward-app>`);
  await waitUntil(() => el.state !== undefined, 'no state was loaded');
  await el.updateComplete;
  return { el, api };
}

function $(el: WardApp, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(selector);
}

function text(el: WardApp, selector: string): string {
  return $(el, selector)?.textContent?.trim() ?? '';
}

function buttons(el: WardApp): string[] {
  return [...el.shadowRoot!.querySelectorAll('button')].map((b) => b.textContent!.trim());
}

describe('wl-ward-app', () => {
  afterEach(async () => {
    await applyLocale('en', false);
    localStorage.removeItem(LOCALE_STORAGE_KEY);
  });

  it('is accessible while showing a session code', async () => {
    const { el } = await page(waiting);
    await expect(el).to.be.accessible();
  });

  it('shows the code as 123 456 789 under the label "Session code", with its expiry', async () => {
    const { el } = await page(waiting);
    const code = $(el, '#code')!;
    expect(code.textContent).to.equal('123 456 789');
    const labelId = code.getAttribute('aria-labelledby')!;
    expect(el.shadowRoot!.getElementById(labelId)!.textContent).to.equal('Session code');
    expect(text(el, '[role=status]')).to.equal('Waiting for the technician');
    expect(text(el, '.expiry')).to.equal('Read this code to the technician. It is valid until 14:05.');
    expect(buttons(el)).to.deep.equal(['End session']);
  });

  it('asks for help with the Get help button', async () => {
    const { el, api } = await page(idle, { ok: true, data: waiting });
    expect(text(el, '[role=status]')).to.equal('No one is connected to this PC.');
    el.shadowRoot!.querySelector('button')!.click();
    await waitUntil(() => $(el, '#code') !== null);
    expect(api.calls).to.deep.equal(['help']);
    expect(el.shadowRoot!.activeElement?.textContent?.trim()).to.equal('End session');
  });

  it('says who is connected and offers End session when live', async () => {
    const { el, api } = await page(live, { ok: true, data: { ...idle, state: 'ended', endReason: 'ended_by_host' } });
    await expect(el).to.be.accessible();
    expect(text(el, '[role=status]')).to.equal('Connected: Tanaka Ichiro (Vendor KK) from 10.20.30.40');
    expect(buttons(el)).to.deep.equal(['End session']);
    el.shadowRoot!.querySelector('button')!.click();
    await waitUntil(() => text(el, '[role=status]').startsWith('The session has ended'));
    expect(api.calls).to.deep.equal(['end']);
    expect(text(el, '[role=status]')).to.equal('The session has ended: you ended it.');
    expect(buttons(el)).to.deep.equal(['Get help']);
  });

  it('follows state pushed by the agent', async () => {
    const { el, api } = await page(idle);
    api.subscriber!.state(waiting);
    await el.updateComplete;
    expect(text(el, '#code')).to.equal('123 456 789');
  });

  it('shows an alert when the agent refuses', async () => {
    const { el } = await page(idle, { ok: false, error: { code: 'unavailable', message: 'x' } });
    el.shadowRoot!.querySelector('button')!.click();
    await waitUntil(() => text(el, '[role=alert]') !== '');
    expect(text(el, '[role=alert]')).to.equal('Could not ask for help. Try again in a moment.');
  });

  it('explains when the support server is offline and disables Get help', async () => {
    const { el } = await page({ ...idle, broker: 'offline' });
    expect(text(el, '.notice')).to.contain('The support server cannot be reached.');
    expect(el.shadowRoot!.querySelector('button')!.disabled).to.equal(true);
  });

  it('renders a hostile PC name as text', async () => {
    const hostile = '<img src=x onerror="window.__pwned = true">';
    const { el } = await page({ ...idle, hostName: hostile });
    expect(text(el, 'h1')).to.equal(hostile);
    expect($(el, 'img')).to.equal(null);
    expect((window as { __pwned?: boolean }).__pwned).to.equal(undefined);
  });

  it('switches to Japanese and back', async () => {
    const { el } = await page(waiting);
    const select = $(el, 'wl-language-switch')!.shadowRoot!.querySelector('select')!;
    select.value = 'ja';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => text(el, '[role=status]') === 'サポート担当者の接続を待っています');
    expect(buttons(el)).to.deep.equal(['セッションを終了']);
    expect(text(el, '#code-label')).to.equal('セッションコード');
    expect(select.labels![0]!.textContent).to.equal('言語 (Language)');
    expect(document.documentElement.lang).to.equal('ja');
    select.value = 'en';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => text(el, '[role=status]') === 'Waiting for the technician');
  });
});
