import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { applyLocale, configureLocales, currentLocale, LOCALE_STORAGE_KEY } from '../localization.ts';
import './language-switch.ts';
import type { LanguageSwitch } from './language-switch.ts';

/** A page's own text, as a page passes it to configureLocales(). */
configureLocales({ ja: { templates: { 'test.greeting': 'こんにちは' } } });

/** A page component with one message of its own. */
class Greeting extends LitElement {
  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    return html`<p>${msg('Hello', { id: 'test.greeting' })}</p>`;
  }
}
customElements.define('test-greeting', Greeting);

async function choose(select: HTMLSelectElement, value: string): Promise<void> {
  select.value = value;
  select.dispatchEvent(new Event('change'));
  // The switch awaits setLocale; give it a turn, then let components re-render.
  await new Promise((resolve) => setTimeout(resolve, 0));
}

function parts(el: LanguageSwitch): { select: HTMLSelectElement; label: string } {
  const root = el.shadowRoot!;
  return { select: root.querySelector('select')!, label: root.querySelector('label')!.textContent! };
}

describe('wl-language-switch', () => {
  afterEach(async () => {
    await applyLocale('en', false);
    localStorage.removeItem(LOCALE_STORAGE_KEY);
  });

  it('is accessible', async () => {
    const el = await fixture<LanguageSwitch>(html`<wl-language-switch></wl-language-switch>`);
    await expect(el).to.be.accessible();
  });

  it("switches the page's text and its own label to Japanese and back, and remembers the choice", async () => {
    const page = await fixture<HTMLElement>(
      html`<div><wl-language-switch></wl-language-switch><test-greeting></test-greeting></div>`,
    );
    const el = page.querySelector('wl-language-switch')!;
    const greeting = page.querySelector<Greeting>('test-greeting')!;
    const greetingText = () => greeting.shadowRoot!.querySelector('p')!.textContent;
    expect(parts(el).label).to.equal('Language');
    expect(greetingText()).to.equal('Hello');

    await choose(parts(el).select, 'ja');
    await Promise.all([el.updateComplete, greeting.updateComplete]);
    expect(currentLocale()).to.equal('ja');
    expect(parts(el).label).to.equal('言語 (Language)');
    expect(parts(el).select.value).to.equal('ja');
    expect(greetingText()).to.equal('こんにちは');
    expect(document.documentElement.lang).to.equal('ja');
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).to.equal('ja');

    await choose(parts(el).select, 'en');
    await Promise.all([el.updateComplete, greeting.updateComplete]);
    expect(parts(el).label).to.equal('Language');
    expect(greetingText()).to.equal('Hello');
    expect(document.documentElement.lang).to.equal('en');
  });

  it('ignores a value that is not a supported language', async () => {
    const el = await fixture<LanguageSwitch>(html`<wl-language-switch></wl-language-switch>`);
    const { select } = parts(el);
    select.append(Object.assign(document.createElement('option'), { value: 'fr' }));
    await choose(select, 'fr');
    expect(currentLocale()).to.equal('en');
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).to.equal(null);
  });
});
