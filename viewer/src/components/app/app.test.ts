import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { stubFetch } from '../../testing/fetchStub.ts';
import { FakeSocket } from '../../testing/fakes.ts';
import './app.ts';
import type { App } from './app.ts';

const ME = { id: 'user-0001', username: 'tanaka', name: 'Tanaka Ichiro', organisation: 'Vendor KK', role: 'vendor' };

function view(el: App): string | undefined {
  return el.shadowRoot!.querySelector('wl-login, wl-console, wl-totp-enrol, wl-audit-console')?.localName;
}

describe('wl-app', () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  it('shows the sign-in form when nobody is signed in, accessibly', async () => {
    restore = stubFetch(() => [401, { ok: false, error: { code: 'unauthenticated', message: 'Not signed in.' } }]).restore;
    const el = await fixture<App>(html`<wl-app .connectSocket=${() => new FakeSocket()}></wl-app>`);
    await waitUntil(() => view(el) === 'wl-login');
    await expect(el).to.be.accessible();
  });

  it('opens the console for a signed-in technician and goes back to sign-in when the broker refuses the socket', async () => {
    restore = stubFetch(() => [200, { ok: true, data: ME }]).restore;
    const socket = new FakeSocket(() => undefined);
    const el = await fixture<App>(html`<wl-app .connectSocket=${() => socket}></wl-app>`);
    await waitUntil(() => view(el) === 'wl-console');

    socket.serverEmit('connect_error', new Error('unauthenticated'));
    await waitUntil(() => view(el) === 'wl-login');
    const login = el.shadowRoot!.querySelector('wl-login')!;
    await login.updateComplete;
    expect(login.shadowRoot!.querySelector('[role=alert]')!.textContent!.trim()).to.equal(
      'Your sign-in has ended. Sign in again.',
    );
    expect(socket.connected).to.equal(false);
  });

  it('signs out through the API and closes the socket', async () => {
    const stub = stubFetch((url) => (url === '/api/me' ? [200, { ok: true, data: ME }] : [200, { ok: true, data: {} }]));
    restore = stub.restore;
    const socket = new FakeSocket(() => undefined);
    const el = await fixture<App>(html`<wl-app .connectSocket=${() => socket}></wl-app>`);
    await waitUntil(() => view(el) === 'wl-console');
    el.shadowRoot!.querySelector('wl-console')!.dispatchEvent(new CustomEvent('wl-sign-out'));
    await waitUntil(() => stub.calls.some((c) => c.url === '/api/logout' && c.method === 'POST'));
    expect(view(el)).to.equal('wl-login');
    expect(socket.connected).to.equal(false);
  });

  it('AUTH8: a sign-in that must set up TOTP shows enrolment, and the console once it is confirmed', async () => {
    restore = stubFetch((url) =>
      url === '/api/me'
        ? [403, { ok: false, error: { code: 'totp_required', message: 'x' } }]
        : [200, { ok: true, data: {} }],
    ).restore;
    const socket = new FakeSocket(() => undefined);
    let sockets = 0;
    const el = await fixture<App>(html`<wl-app .connectSocket=${() => (sockets++, socket)}></wl-app>`);
    await waitUntil(() => view(el) === 'wl-totp-enrol');
    expect(sockets).to.equal(0);
    el.shadowRoot!.querySelector('wl-totp-enrol')!.dispatchEvent(new CustomEvent('wl-totp-enrolled', { detail: ME }));
    await waitUntil(() => view(el) === 'wl-console');
    expect(sockets).to.equal(1);
  });

  it('AUTH8: a first sign-in from the form goes to enrolment instead of the console', async () => {
    restore = stubFetch(() => [401, { ok: false, error: { code: 'unauthenticated', message: 'x' } }]).restore;
    const el = await fixture<App>(html`<wl-app .connectSocket=${() => new FakeSocket()}></wl-app>`);
    await waitUntil(() => view(el) === 'wl-login');
    restore();
    restore = stubFetch(() => [200, { ok: true, data: {} }]).restore;
    el.shadowRoot!.querySelector('wl-login')!.dispatchEvent(
      new CustomEvent('wl-signed-in', { detail: { user: ME, next: 'enrol_totp' } }),
    );
    await waitUntil(() => view(el) === 'wl-totp-enrol');
  });

  it('ROLE3: an auditor gets the recording console and no /tech socket', async () => {
    const auditor = { ...ME, id: 'user-audit-01', role: 'auditor' };
    restore = stubFetch((url) => {
      if (url === '/api/me') return [200, { ok: true, data: auditor }];
      if (url === '/api/auditor/keys') return [200, { ok: true, data: { keys: [] } }];
      return [200, { ok: true, data: { recordings: [], total: 0, limit: 50, offset: 0, facets: { hosts: [], technicians: [], organisations: [] } } }];
    }).restore;
    let sockets = 0;
    const el = await fixture<App>(html`<wl-app .connectSocket=${() => (sockets++, new FakeSocket())}></wl-app>`);
    await waitUntil(() => view(el) === 'wl-audit-console');
    expect(sockets).to.equal(0);
    expect(el.shadowRoot!.querySelector('wl-audit-console')!.me).to.deep.equal(auditor);
  });

  it('an auditor whose sign-in the broker no longer accepts goes back to sign-in', async () => {
    restore = stubFetch((url) =>
      url === '/api/me'
        ? [200, { ok: true, data: { ...ME, role: 'auditor' } }]
        : [401, { ok: false, error: { code: 'unauthenticated', message: 'x' } }],
    ).restore;
    const el = await fixture<App>(html`<wl-app .connectSocket=${() => new FakeSocket()}></wl-app>`);
    await waitUntil(() => view(el) === 'wl-login');
  });
});
