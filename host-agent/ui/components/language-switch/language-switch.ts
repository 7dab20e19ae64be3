import { LitElement, css, html } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { applyLocale, currentLocale, isAppLocale } from '../../localization/locale.ts';
import { theme } from '../../styles/theme.ts';

/**
 * `<wl-ward-language-switch>`: a labelled select that switches the ward page
 * between English and Japanese and remembers the choice.
 */
export class WardLanguageSwitch extends LitElement {
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

customElements.define('wl-ward-language-switch', WardLanguageSwitch);

declare global {
  interface HTMLElementTagNameMap {
    'wl-ward-language-switch': WardLanguageSwitch;
  }
}
