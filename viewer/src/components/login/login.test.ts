import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { stubFetch } from '../../testing/fetchStub.ts';
import './login.ts';
import type { Login, SignedInEvent } from './login.ts';

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

describe('wl-login', () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

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
});
