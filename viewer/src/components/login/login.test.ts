import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import * as ja from '../../localization/ja.ts';
import { stubFetch } from '../../testing/fetchStub.ts';
import { applyLocale, configureLocales, LOCALE_STORAGE_KEY } from '../../ui-kit/localization.ts';
import './login.ts';
import type { Login, SignedInEvent } from './login.ts';

// What the viewer's main.ts does through startPage().
configureLocales({ ja });

const ME = { id: 'user-0001', username: 'tanaka', name: 'Tanaka Ichiro', organisation: 'Vendor KK', role: 'vendor' };

function fill(el: Login, username: string, password: string): void {
  el.shadowRoot!.querySelector<HTMLInputElement>('#username')!.value = username;
  el.shadowRoot!.querySelector<HTMLInputElement>('#password')!.value = password;
}

function submit(el: Login): void {
  el.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
}

function alertText(el: Login): string {
  return el.shadowRoot!.querySelector('[role=alert]')!.textContent!.trim();
}

async function choose(select: HTMLSelectElement, value: string): Promise<void> {
  select.value = value;
  select.dispatchEvent(new Event('change'));
  // The switch awaits setLocale; give it a turn, then let components re-render.
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('wl-login', () => {
  let restore: (() => void) | undefined;
  afterEach(async () => {
    restore?.();
    restore = undefined;
    await applyLocale('en', false);
    localStorage.removeItem(LOCALE_STORAGE_KEY);
  });

  it('is accessible', async () => {
    const el = await fixture<Login>(html`<wl-login></wl-login>`);
    await expect(el).to.be.accessible();
  });

  it('posts the credentials as JSON and fires wl-signed-in with the technician', async () => {
    const stub = stubFetch(() => [200, { ok: true, data: ME }]);
    restore = stub.restore;
    const el = await fixture<Login>(html`<wl-login></wl-login>`);
    fill(el, ' Tanaka ', 's3cret pass');
    const signedIn = oneEvent(el, 'wl-signed-in') as Promise<SignedInEvent>;
    submit(el);
    const event = await signedIn;
    expect(event.detail).to.deep.equal(ME);
    expect(stub.calls).to.have.length(1);
    expect(stub.calls[0]).to.deep.include({
      url: '/api/login',
      method: 'POST',
      body: { username: 'tanaka', password: 's3cret pass' },
    });
    expect(stub.calls[0]!.headers['content-type']).to.equal('application/json');
  });

  it('shows an alert when the broker answers 401', async () => {
    const stub = stubFetch(() => [401, { ok: false, error: { code: 'unauthenticated', message: 'Not signed in.' } }]);
    restore = stub.restore;
    const el = await fixture<Login>(html`<wl-login></wl-login>`);
    fill(el, 'tanaka', 'wrong');
    submit(el);
    await waitUntil(() => alertText(el) !== '', 'no alert appeared');
    expect(alertText(el)).to.equal('The username or password is incorrect.');
    expect(el.shadowRoot!.querySelector<HTMLInputElement>('#password')!.value).to.equal('');
  });

  it('asks for both fields before posting anything', async () => {
    const stub = stubFetch(() => [500, {}]);
    restore = stub.restore;
    const el = await fixture<Login>(html`<wl-login></wl-login>`);
    submit(el);
    await el.updateComplete;
    expect(alertText(el)).to.equal('Enter your username and password.');
    expect(stub.calls).to.have.length(0);
  });

  it('explains rate limiting', async () => {
    restore = stubFetch(() => [429, { ok: false, error: { code: 'rate_limited', message: 'x' } }]).restore;
    const el = await fixture<Login>(html`<wl-login></wl-login>`);
    fill(el, 'tanaka', 'pw');
    submit(el);
    await waitUntil(() => alertText(el) !== '');
    expect(alertText(el)).to.equal('Too many attempts. Wait a moment and try again.');
  });

  it('switches the form to Japanese and back with its language switch', async () => {
    const login = await fixture<Login>(html`<wl-login></wl-login>`);
    const root = login.shadowRoot!;
    const select = root.querySelector('wl-language-switch')!.shadowRoot!.querySelector('select')!;
    const button = () => root.querySelector('button[type=submit]')!.textContent!.trim();
    expect(button()).to.equal('Sign in');

    await choose(select, 'ja');
    await login.updateComplete;
    expect(button()).to.equal('ログイン');
    expect(root.querySelector('label[for=username]')!.textContent).to.equal('ユーザー名');
    expect(document.documentElement.lang).to.equal('ja');
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).to.equal('ja');

    await choose(select, 'en');
    await login.updateComplete;
    expect(button()).to.equal('Sign in');
    expect(document.documentElement.lang).to.equal('en');
  });
});
