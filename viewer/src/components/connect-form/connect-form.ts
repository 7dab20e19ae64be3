import { LitElement, css, html } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { SessionCode, parse } from '@wardlink/protocol';
import { theme } from '../../ui-kit/theme.ts';

/** Detail of the `wl-connect` event: the session code as 9 digits. */
export type ConnectEvent = CustomEvent<{ code: string }>;

/**
 * `<wl-connect-form>`: the session code the ward user reads out
 * (`123 456 789`; spaces and dashes are fine) and a Connect button. Fires
 * `wl-connect` with the normalised code.
 */
export class ConnectForm extends LitElement {
  static override properties = {
    disabled: { type: Boolean },
    invalid: { state: true },
  };

  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      form {
        display: grid;
        gap: 0.375rem;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.75rem 1rem;
      }
      input {
        font-size: 1.5rem;
        letter-spacing: 0.08em;
        width: 15ch;
        min-height: 52px;
        font-variant-numeric: tabular-nums;
      }
      .hint {
        margin: 0;
        color: var(--wl-muted);
        font-size: 0.9375rem;
      }
      button {
        min-height: 52px;
        min-width: 8rem;
        font-size: 1.125rem;
      }
    `,
  ];

  /** Disables Connect (the code can still be typed), for instance while the broker is unreachable. */
  disabled = false;
  private invalid = false;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    return html`
      <form @submit=${this.onSubmit} novalidate>
        <label for="code">${msg('Session code', { id: 'connect.code' })}</label>
        <div class="row">
          <input
            id="code"
            name="code"
            inputmode="numeric"
            autocomplete="off"
            maxlength="32"
            placeholder="123 456 789"
            aria-describedby="code-hint code-error"
            aria-invalid=${this.invalid ? 'true' : 'false'}
          />
          <button type="submit" ?disabled=${this.disabled}>${msg('Connect', { id: 'connect.submit' })}</button>
        </div>
        <p class="hint" id="code-hint">${msg('9 digits, as read out by the ward user.', { id: 'connect.hint' })}</p>
        <p class=${this.invalid ? 'alert' : 'alert quiet'} role="alert" id="code-error">${this.invalid
          ? msg('Enter the 9-digit session code.', { id: 'connect.invalid' })
          : ''}</p>
      </form>
    `;
  }

  private onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    if (this.disabled) {
      return;
    }
    const input = this.renderRoot.querySelector<HTMLInputElement>('#code')!;
    const parsed = parse(SessionCode, input.value);
    this.invalid = !parsed.ok;
    if (!parsed.ok) {
      input.focus();
      return;
    }
    this.dispatchEvent(
      new CustomEvent('wl-connect', { detail: { code: parsed.value }, bubbles: true, composed: true }),
    );
    input.value = '';
  }
}

customElements.define('wl-connect-form', ConnectForm);

declare global {
  interface HTMLElementTagNameMap {
    'wl-connect-form': ConnectForm;
  }
}
