import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { TechClient } from '../../api/TechClient.ts';
import { FakeSession, FakeSocket } from '../../testing/fakes.ts';
import './console.ts';
import type { Console } from './console.ts';

const ME = { id: 'user-0001', username: 'tanaka', name: 'Tanaka Ichiro', organisation: 'Vendor KK', role: 'vendor' as const };
const HOSTS = [{ id: 'host-0001', name: 'Ward 3 PC', online: true }];

function client(): { client: TechClient; socket: FakeSocket } {
  const socket = new FakeSocket((event) => (event === 'hosts:list' ? { ok: true, data: { hosts: HOSTS } } : undefined));
  return { client: new TechClient(socket), socket };
}

async function consolePage(session = new FakeSession()): Promise<{ el: Console; session: FakeSession; socket: FakeSocket }> {
  const { client: c, socket } = client();
  const el = await fixture<Console>(
    html`<wl-console .me=${ME} .client=${c} .createSession=${() => session}></wl-console>`,
  );
  return { el, session, socket };
}

function hostRows(el: Console): number {
  return el.shadowRoot!.querySelector('wl-host-list')!.shadowRoot!.querySelectorAll('tbody tr').length;
}

describe('wl-console', () => {
  it('is accessible', async () => {
    const { el } = await consolePage();
    await waitUntil(() => hostRows(el) === 1);
    await expect(el).to.be.accessible();
  });

  it('shows who is signed in and the PCs from the broker, and signs out', async () => {
    const { el } = await consolePage();
    await waitUntil(() => hostRows(el) === 1, 'the host list never arrived');
    expect(el.shadowRoot!.querySelector('.who')!.textContent!.trim()).to.equal('Signed in as Tanaka Ichiro (Vendor KK)');
    const signOut = oneEvent(el, 'wl-sign-out');
    [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Sign out')!.click();
    await signOut;
  });

  it('starts a session with the entered code and returns to the console when it is closed', async () => {
    const { el, session } = await consolePage();
    const form = el.shadowRoot!.querySelector('wl-connect-form')!;
    form.shadowRoot!.querySelector<HTMLInputElement>('#code')!.value = '123 456 789';
    form.shadowRoot!.querySelector<HTMLInputElement>('#pin')!.value = '8765 4321';
    form.shadowRoot!.querySelector('button')!.click();
    await el.updateComplete;
    expect(session.startedWith).to.equal('123456789');
    expect(session.startedWithPin).to.equal('87654321');
    const screen = el.shadowRoot!.querySelector('wl-remote-screen')!;
    expect(screen.session).to.equal(session);

    session.set({ phase: 'ended', host: { id: 'host-0001', name: 'Ward 3 PC' }, reason: 'ended_by_host' });
    await screen.updateComplete;
    screen.shadowRoot!.querySelector<HTMLButtonElement>('#back')!.click();
    await el.updateComplete;
    expect(session.closed).to.equal(true);
    expect(el.shadowRoot!.querySelector('wl-remote-screen')).to.equal(null);
    expect(el.shadowRoot!.querySelector('wl-connect-form')).to.not.equal(null);
  });

  it('says when the connection to the broker is lost', async () => {
    const { el, socket } = await consolePage();
    socket.serverEmit('disconnect', 'transport close');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.connection')!.textContent!.trim()).to.equal(
      'The connection to the server was lost. Reconnecting…',
    );
  });
});
