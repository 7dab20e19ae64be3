import { LitElement, css, html } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { applyLocale, currentLocale, isAppLocale } from '../localization.ts';
import { theme } from '../theme.ts';

/**
 * `<wl-language-switch>`: a labelled select that switches the page between
 * English and Japanese and remembers the choice. Used by both pages; the
 * page must have called `configureLocales()` (its `startPage()` does).
 */
export class LanguageSwitch extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: inline-flex;
        align-items: center;
        gap: 0.5rem;
      }
      label {
        font-weight: 600;
      }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    return html`
      <label for="language">${msg('Language', { id: 'language.label' })}</label>
      <select id="language" .value=${currentLocale()} @change=${this.onChange}>
        <option value="en" lang="en">English</option>
        <option value="ja" lang="ja">日本語</option>
      </select>
    `;
  }

  private async onChange(e: Event): Promise<void> {
    const { value } = e.target as HTMLSelectElement;
    if (isAppLocale(value)) {
      await applyLocale(value);
    }
  }
}

// Each page is its own bundle, so the one tag name cannot clash; the guard
// only keeps a second copy of this module (say, loaded by another path)
// from throwing.
if (!customElements.get('wl-language-switch')) {
  customElements.define('wl-language-switch', LanguageSwitch);
}

declare global {
  interface HTMLElementTagNameMap {
    'wl-language-switch': LanguageSwitch;
  }
}
