import { expect, fixture, html } from '@open-wc/testing';
import { applyLocale, LOCALE_STORAGE_KEY, preferredLocale } from '../../localization/locale.ts';
import '../login/login.ts';
import type { Login } from '../login/login.ts';
import './language-switch.ts';
import type { LanguageSwitch } from './language-switch.ts';

async function choose(select: HTMLSelectElement, value: string): Promise<void> {
  select.value = value;
  select.dispatchEvent(new Event('change'));
  // The switch awaits setLocale; give it a turn, then let components re-render.
  await new Promise((resolve) => setTimeout(resolve, 0));
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

  it('switches the text to Japanese and back, and remembers the choice', async () => {
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

  it('prefers a stored choice, then a Japanese browser language, else English', () => {
    expect(preferredLocale(['en-US'], 'ja')).to.equal('ja');
    expect(preferredLocale(['ja-JP', 'en'], null)).to.equal('ja');
    expect(preferredLocale(['ja'], 'fr')).to.equal('ja');
    expect(preferredLocale(['en-GB', 'ja'], null)).to.equal('en');
    expect(preferredLocale([], null)).to.equal('en');
  });
});
