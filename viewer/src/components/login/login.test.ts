import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import * as ja from '../../localization/ja.ts';
import { stubFetch } from '../../testing/fetchStub.ts';
import { applyLocale, configureLocales, LOCALE_STORAGE_KEY } from '../../ui-kit/localization.ts';
import './login.ts';
import type { Login, SignedInEvent } from './login.ts';

// What the viewer's main.ts does through startPage().
configureLocales({ ja });

const ME = { id: 'user-0001', username: 'tanaka', name: 'Tanaka Ichiro', organisation: 'Vendor KK', role: 'vendor' };
const SIGNED_IN = { user: ME, next: 'done' };

function fill(el: Login, username: string, password: string, code?: string): void {
  el.shadowRoot!.querySelector<HTMLInputElement>('#username')!.value = username;
  el.shadowRoot!.querySelector<HTMLInputElement>('#password')!.value = password;
  if (code !== undefined) {
    el.shadowRoot!.querySelector<HTMLInputElement>('#code')!.value = code;
  }
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

  it('AUTH5: posts the credentials and the one-time code as JSON and fires wl-signed-in with the result', async () => {
    const stub = stubFetch(() => [200, { ok: true, data: SIGNED_IN }]);
    restore = stub.restore;
    const el = await fixture<Login>(html`<wl-login></wl-login>`);
    fill(el, ' Tanaka ', 's3cret pass', ' 123 456 ');
    const signedIn = oneEvent(el, 'wl-signed-in') as Promise<SignedInEvent>;
    submit(el);
    const event = await signedIn;
    expect(event.detail).to.deep.equal(SIGNED_IN);
    expect(stub.calls).to.have.length(1);
    expect(stub.calls[0]).to.deep.include({
      url: '/api/login',
      method: 'POST',
      body: { username: 'tanaka', password: 's3cret pass', code: '123456' },
    });
    expect(stub.calls[0]!.headers['content-type']).to.equal('application/json');
    expect(el.shadowRoot!.querySelector<HTMLInputElement>('#code')!.value).to.equal('');
  });

  it('AUTH8: leaves the code out on a first sign-in and passes on that TOTP must be set up', async () => {
    const stub = stubFetch(() => [200, { ok: true, data: { user: ME, next: 'enrol_totp' } }]);
    restore = stub.restore;
    const el = await fixture<Login>(html`<wl-login></wl-login>`);
    fill(el, 'tanaka', 's3cret pass');
    const signedIn = oneEvent(el, 'wl-signed-in') as Promise<SignedInEvent>;
    submit(el);
    expect((await signedIn).detail.next).to.equal('enrol_totp');
    expect(stub.calls[0]!.body).to.deep.equal({ username: 'tanaka', password: 's3cret pass' });
  });

  it('offers the code field to password managers and phones as a numeric one-time code', async () => {
    const el = await fixture<Login>(html`<wl-login></wl-login>`);
    const code = el.shadowRoot!.querySelector<HTMLInputElement>('#code')!;
    expect(code.getAttribute('autocomplete')).to.equal('one-time-code');
    expect(code.getAttribute('inputmode')).to.equal('numeric');
    expect(el.shadowRoot!.querySelector('label[for=code]')!.textContent).to.equal('One-time code');
    expect(code.getAttribute('aria-describedby')).to.equal('code-hint');
  });

  it('AUTH5: says the credentials are wrong without saying which one when the broker answers 401', async () => {
    const stub = stubFetch(() => [401, { ok: false, error: { code: 'unauthenticated', message: 'Not signed in.' } }]);
    restore = stub.restore;
    const el = await fixture<Login>(html`<wl-login></wl-login>`);
    fill(el, 'tanaka', 'wrong', '123456');
    submit(el);
    await waitUntil(() => alertText(el) !== '', 'no alert appeared');
    expect(alertText(el)).to.equal('The username, password or code is incorrect.');
    expect(el.shadowRoot!.querySelector<HTMLInputElement>('#password')!.value).to.equal('');
    expect(el.shadowRoot!.querySelector<HTMLInputElement>('#code')!.value).to.equal('');
  });

  it('refuses a code that is not six digits before posting anything', async () => {
    const stub = stubFetch(() => [500, {}]);
    restore = stub.restore;
    const el = await fixture<Login>(html`<wl-login></wl-login>`);
    fill(el, 'tanaka', 'pw', '12345');
    submit(el);
    await el.updateComplete;
    expect(alertText(el)).to.equal('Enter the 6-digit code from your authenticator app.');
    expect(stub.calls).to.have.length(0);
  });

  it('AUTH7: signs in with a recovery code instead, accessibly', async () => {
    const stub = stubFetch(() => [200, { ok: true, data: SIGNED_IN }]);
    restore = stub.restore;
    const el = await fixture<Login>(html`<wl-login></wl-login>`);
    const toggle = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button[type=button]')].find(
      (b) => b.textContent!.trim() === 'Use a recovery code instead',
    )!;
    toggle.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#code')).to.equal(null);
    expect(el.shadowRoot!.querySelector('label[for=recovery]')!.textContent).to.equal('Recovery code');
    expect(el.shadowRoot!.activeElement?.id).to.equal('recovery');
    await expect(el).to.be.accessible();

    fill(el, 'tanaka', 's3cret pass');
    el.shadowRoot!.querySelector<HTMLInputElement>('#recovery')!.value = ' ABCD-EFGH-ijkl-mnop ';
    const signedIn = oneEvent(el, 'wl-signed-in');
    submit(el);
    await signedIn;
    expect(stub.calls[0]!.body).to.deep.equal({ username: 'tanaka', password: 's3cret pass', recoveryCode: 'abcdefghijklmnop' });
  });

  it('refuses a malformed recovery code before posting anything', async () => {
    const stub = stubFetch(() => [500, {}]);
    restore = stub.restore;
    const el = await fixture<Login>(html`<wl-login></wl-login>`);
    el.shadowRoot!.querySelector<HTMLButtonElement>('button.switch')!.click();
    await el.updateComplete;
    fill(el, 'tanaka', 'pw');
    el.shadowRoot!.querySelector<HTMLInputElement>('#recovery')!.value = 'abcd-efgh';
    submit(el);
    await el.updateComplete;
    expect(alertText(el)).to.equal('Enter a recovery code as written, for example abcd-efgh-ijkl-mnop.');
    expect(stub.calls).to.have.length(0);
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

  it('AUTH9: says when to try again after too many failed sign-ins', async () => {
    restore = stubFetch(() => [429, { ok: false, error: { code: 'rate_limited', message: 'x', retryAfter: 600 } }]).restore;
    const el = await fixture<Login>(html`<wl-login></wl-login>`);
    fill(el, 'tanaka', 'pw');
    submit(el);
    await waitUntil(() => alertText(el) !== '');
    const at = new Date(Math.ceil((Date.now() + 600_000) / 60_000) * 60_000);
    const time = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit' }).format(at);
    expect(alertText(el)).to.equal(`Too many failed sign-ins. Try again at ${time}.`);
  });

  it('AUTH11: explains that the account needs its client certificate', async () => {
    restore = stubFetch(() => [403, { ok: false, error: { code: 'client_cert_required', message: 'x' } }]).restore;
    const el = await fixture<Login>(html`<wl-login></wl-login>`);
    fill(el, 'tanaka', 'pw', '123456');
    submit(el);
    await waitUntil(() => alertText(el) !== '');
    expect(alertText(el)).to.contain('client certificate');
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
