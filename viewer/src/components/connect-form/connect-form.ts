import { LitElement, css, html } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { SessionCode, parse } from '@wardlink/protocol';
import { normalisePin } from '../../session/PinAttempts.ts';
import { theme } from '../../ui-kit/theme.ts';

/** Detail of the `wl-connect` event: the session code as 9 digits and the PIN as 8 digits. */
export type ConnectEvent = CustomEvent<{ code: string; pin: string }>;

/**
 * `<wl-connect-form>`: the session code and the PIN the ward user reads out
 * (`123 456 789` and `1234 5678`; spaces and dashes are fine) and a Connect
 * button. Fires `wl-connect` with both normalised. The PIN never leaves this
 * console: it only feeds the handshake with the PC.
 */
export class ConnectForm extends LitElement {
  static override properties = {
    disabled: { type: Boolean },
    invalid: { state: true },
  };

  /** Which field failed validation on the last submit. */
  declare private invalid: 'code' | 'pin' | undefined;

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
      .fields {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: 0.75rem 1rem;
      }
      .field {
        display: grid;
        gap: 0.25rem;
      }
      input {
        font-size: 1.5rem;
        letter-spacing: 0.08em;
        width: 12ch;
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

  constructor() {
    super();
    this.invalid = undefined;
    updateWhenLocaleChanges(this);
  }

  override render() {
    return html`
      <form @submit=${this.onSubmit} novalidate>
        <div class="fields">
          <div class="field">
            <label for="code">${msg('Session code', { id: 'connect.code' })}</label>
            <input
              id="code"
              name="code"
              inputmode="numeric"
              autocomplete="off"
              maxlength="32"
              placeholder="123 456 789"
              aria-describedby="code-hint form-error"
              aria-invalid=${this.invalid === 'code' ? 'true' : 'false'}
            />
          </div>
          <div class="field">
            <label for="pin">${msg('PIN', { id: 'connect.pin' })}</label>
            <input
              id="pin"
              name="pin"
              type="password"
              inputmode="numeric"
              autocomplete="off"
              maxlength="32"
              placeholder="1234 5678"
              aria-describedby="code-hint form-error"
              aria-invalid=${this.invalid === 'pin' ? 'true' : 'false'}
            />
          </div>
          <button type="submit" ?disabled=${this.disabled}>${msg('Connect', { id: 'connect.submit' })}</button>
        </div>
        <p class="hint" id="code-hint">
          ${msg('The 9-digit code and the 8-digit PIN, as read out by the ward user.', { id: 'connect.hint' })}
        </p>
        <p class=${this.invalid ? 'alert' : 'alert quiet'} role="alert" id="form-error">${this.invalidText()}</p>
      </form>
    `;
  }

  private invalidText(): string {
    switch (this.invalid) {
      case 'code':
        return msg('Enter the 9-digit session code.', { id: 'connect.invalid' });
      case 'pin':
        return msg('Enter the 8-digit PIN.', { id: 'connect.invalidPin' });
      default:
        return '';
    }
  }

  private onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    if (this.disabled) {
      return;
    }
    const codeInput = this.renderRoot.querySelector<HTMLInputElement>('#code')!;
    const pinInput = this.renderRoot.querySelector<HTMLInputElement>('#pin')!;
    const code = parse(SessionCode, codeInput.value);
    const pin = normalisePin(pinInput.value);
    this.invalid = !code.ok ? 'code' : pin === undefined ? 'pin' : undefined;
    if (!code.ok || pin === undefined) {
      (code.ok ? pinInput : codeInput).focus();
      return;
    }
    this.dispatchEvent(new CustomEvent('wl-connect', { detail: { code: code.value, pin }, bubbles: true, composed: true }));
    codeInput.value = '';
    pinInput.value = '';
  }
}

customElements.define('wl-connect-form', ConnectForm);

declare global {
  interface HTMLElementTagNameMap {
    'wl-connect-form': ConnectForm;
  }
}
