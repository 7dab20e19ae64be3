import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import './connect-form.ts';
import type { ConnectEvent, ConnectForm } from './connect-form.ts';

function enter(el: ConnectForm, code: string, pin = '1234 5678'): void {
  el.shadowRoot!.querySelector<HTMLInputElement>('#code')!.value = code;
  el.shadowRoot!.querySelector<HTMLInputElement>('#pin')!.value = pin;
  el.shadowRoot!.querySelector<HTMLButtonElement>('button')!.click();
}

describe('wl-connect-form', () => {
  it('is accessible', async () => {
    const el = await fixture<ConnectForm>(html`<wl-connect-form></wl-connect-form>`);
    await expect(el).to.be.accessible();
  });

  it('accepts a code and PIN read out with spaces and fires wl-connect with the digits', async () => {
    const el = await fixture<ConnectForm>(html`<wl-connect-form></wl-connect-form>`);
    const event = oneEvent(el, 'wl-connect') as Promise<ConnectEvent>;
    enter(el, ' 123 456 789 ', '１２３４ 5678');
    expect((await event).detail).to.deep.equal({ code: '123456789', pin: '12345678' });
    const pin = el.shadowRoot!.querySelector<HTMLInputElement>('#pin')!;
    expect(pin.value).to.equal('');
    expect(pin.type).to.equal('password');
    expect(pin.labels![0]!.textContent!.trim()).to.equal('PIN');
  });

  it('refuses a PIN that is not 8 digits, says why and focuses it', async () => {
    const el = await fixture<ConnectForm>(html`<wl-connect-form></wl-connect-form>`);
    let fired = false;
    el.addEventListener('wl-connect', () => (fired = true));
    enter(el, '123456789', '1234567');
    await el.updateComplete;
    expect(fired).to.equal(false);
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent!.trim()).to.equal('Enter the 8-digit PIN.');
    expect(el.shadowRoot!.querySelector('#pin')!.getAttribute('aria-invalid')).to.equal('true');
    expect(el.shadowRoot!.activeElement?.id).to.equal('pin');
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
