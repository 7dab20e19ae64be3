import { expect } from '@open-wc/testing';
import { configureLocales, preferredLocale } from './localization.ts';

describe('localization', () => {
  it('prefers a stored choice, then a Japanese browser language, else English', () => {
    expect(preferredLocale(['en-US'], 'ja')).to.equal('ja');
    expect(preferredLocale(['ja-JP', 'en'], null)).to.equal('ja');
    expect(preferredLocale(['ja'], 'fr')).to.equal('ja');
    expect(preferredLocale(['en-GB', 'ja'], null)).to.equal('en');
    expect(preferredLocale([], null)).to.equal('en');
  });

  it('is configured once per page', () => {
    configureLocales({ ja: { templates: {} } });
    expect(() => configureLocales({ ja: { templates: {} } })).to.throw('already called');
  });
});
