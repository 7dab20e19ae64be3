import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { Permission, WardTechnician } from '@wardlink/protocol';
import { accessibleDescription, byRole, namesByRole } from '../../testing/queries.ts';
import './consent-prompt.ts';
import type { ConsentEvent, ConsentPrompt } from './consent-prompt.ts';

const technician: WardTechnician = { name: 'Tanaka Ichiro', organisation: 'Vendor KK', from: '10.20.30.40' };

async function prompt(requested: Permission[], recording?: boolean): Promise<ConsentPrompt> {
  return fixture<ConsentPrompt>(
    html`<wl-consent-prompt .technician=${technician} .requested=${requested} .recording=${recording}></wl-consent-prompt>`,
  );
}

function checkbox(el: ConsentPrompt, name: string): HTMLInputElement {
  return byRole<HTMLInputElement>(el.shadowRoot!, 'checkbox', name);
}

function button(el: ConsentPrompt, name: string): HTMLButtonElement {
  return byRole<HTMLButtonElement>(el.shadowRoot!, 'button', name);
}

async function click(el: ConsentPrompt, control: HTMLElement): Promise<void> {
  control.click();
  await el.updateComplete;
}

describe('wl-consent-prompt', () => {
  it('is accessible, with a control that needs the screen disabled', async () => {
    const el = await prompt(['view', 'control', 'chat'], true);
    await click(el, checkbox(el, 'See your screen'));
    await expect(el).to.be.accessible();
  });

  it('shows only what was requested, in a fixed order, and says when the session is not recorded', async () => {
    const el = await prompt(['chat', 'view'], false);
    expect(namesByRole(el.shadowRoot!, 'checkbox')).to.deep.equal(['See your screen', 'Chat with you']);
    expect(el.shadowRoot!.querySelector('.recording')!.textContent).to.equal('This session is not recorded.');
  });

  it('says nothing about recording when the agent does not tell', async () => {
    const el = await prompt(['view']);
    expect(el.shadowRoot!.querySelector('.recording')).to.equal(null);
  });

  it('unticking "See your screen" also unticks and disables "Use your mouse and keyboard"', async () => {
    const el = await prompt(['view', 'control']);
    await click(el, checkbox(el, 'See your screen'));
    const control = checkbox(el, 'Use your mouse and keyboard');
    expect(control.checked).to.equal(false);
    expect(control.disabled).to.equal(true);
    expect(accessibleDescription(control)).to.equal('Needs “See your screen”.');
    await click(el, checkbox(el, 'See your screen'));
    expect(control.disabled).to.equal(false);
    expect(control.checked).to.equal(false);
  });

  it('does not offer "Use your mouse and keyboard" when the screen was not requested', async () => {
    const el = await prompt(['control', 'chat']);
    const control = checkbox(el, 'Use your mouse and keyboard');
    expect(control.checked).to.equal(false);
    expect(control.disabled).to.equal(true);
    const event = oneEvent(el, 'wl-consent') as Promise<ConsentEvent>;
    await click(el, button(el, 'Allow'));
    expect((await event).detail).to.deep.equal({ accept: true, permissions: ['chat'] });
  });

  it('cannot Allow with nothing ticked, and says why', async () => {
    const el = await prompt(['view', 'control']);
    let fired = false;
    el.addEventListener('wl-consent', () => (fired = true));
    await click(el, checkbox(el, 'See your screen'));
    const allow = button(el, 'Allow');
    expect(allow.disabled).to.equal(true);
    expect(namesByRole(el.shadowRoot!, 'status')).to.deep.equal(['Tick at least one thing to allow, or press Decline.']);
    allow.click();
    expect(fired).to.equal(false);
  });

  it('fires wl-consent with the ticked permissions on Allow, and accept false on Decline', async () => {
    const el = await prompt(['view', 'control', 'print']);
    await click(el, checkbox(el, 'Print from this PC'));
    const allowed = oneEvent(el, 'wl-consent') as Promise<ConsentEvent>;
    await click(el, button(el, 'Allow'));
    expect((await allowed).detail).to.deep.equal({ accept: true, permissions: ['view', 'control'] });
    const declined = oneEvent(el, 'wl-consent') as Promise<ConsentEvent>;
    await click(el, button(el, 'Decline'));
    expect((await declined).detail).to.deep.equal({ accept: false, permissions: [] });
  });

  it("keeps the ward user's ticks when the same request comes again, and resets them for a new one", async () => {
    const el = await prompt(['view', 'chat']);
    await click(el, checkbox(el, 'Chat with you'));
    el.requested = ['chat', 'view'];
    await el.updateComplete;
    expect(checkbox(el, 'Chat with you').checked).to.equal(false);
    el.requested = ['view', 'chat', 'print'];
    await el.updateComplete;
    expect(checkbox(el, 'Chat with you').checked).to.equal(true);
  });

  it('disables both buttons while busy', async () => {
    const el = await prompt(['view']);
    el.busy = true;
    await el.updateComplete;
    expect([button(el, 'Allow').disabled, button(el, 'Decline').disabled]).to.deep.equal([true, true]);
  });
});
