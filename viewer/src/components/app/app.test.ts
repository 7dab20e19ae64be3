import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { stubFetch } from '../../testing/fetchStub.ts';
import { FakeSocket } from '../../testing/fakes.ts';
import './app.ts';
import type { App } from './app.ts';

const ME = { id: 'user-0001', username: 'tanaka', name: 'Tanaka Ichiro', organisation: 'Vendor KK', role: 'vendor' };

function view(el: App): string | undefined {
  return el.shadowRoot!.querySelector('wl-login, wl-console')?.localName;
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
});
