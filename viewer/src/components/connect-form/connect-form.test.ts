import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import './connect-form.ts';
import type { ConnectEvent, ConnectForm } from './connect-form.ts';

function enter(el: ConnectForm, value: string): void {
  el.shadowRoot!.querySelector<HTMLInputElement>('#code')!.value = value;
  el.shadowRoot!.querySelector<HTMLButtonElement>('button')!.click();
}

describe('wl-connect-form', () => {
  it('is accessible', async () => {
    const el = await fixture<ConnectForm>(html`<wl-connect-form></wl-connect-form>`);
    await expect(el).to.be.accessible();
  });

  it('accepts a code read out with spaces and fires wl-connect with the digits', async () => {
    const el = await fixture<ConnectForm>(html`<wl-connect-form></wl-connect-form>`);
    const event = oneEvent(el, 'wl-connect') as Promise<ConnectEvent>;
    enter(el, ' 123 456 789 ');
    expect((await event).detail).to.deep.equal({ code: '123456789' });
  });

  it('refuses a code that is not 9 digits and says why', async () => {
    const el = await fixture<ConnectForm>(html`<wl-connect-form></wl-connect-form>`);
    let fired = false;
    el.addEventListener('wl-connect', () => (fired = true));
    enter(el, '123 456');
    await el.updateComplete;
    expect(fired).to.equal(false);
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent!.trim()).to.equal('Enter the 9-digit session code.');
    expect(el.shadowRoot!.querySelector('#code')!.getAttribute('aria-invalid')).to.equal('true');
  });
});
