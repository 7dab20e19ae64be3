import { LitElement, css, html } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { ErrorCode, type Me, type TotpEnrolment } from '@wardlink/protocol';
import { confirmTotp, enrolTotp } from '../../api/http.ts';
import { errorText } from '../../localization/messages.ts';
import { pageStyles, theme } from '../../ui-kit/theme.ts';
import '../../ui-kit/language-switch/language-switch.ts';

/** Detail of the `wl-totp-enrolled` event: the technician, now fully signed in. */
export type TotpEnrolledEvent = CustomEvent<Me>;

/**
 * `<wl-totp-enrol>`: sets up two-step sign-in after a first sign-in (SPEC
 * AUTH8). Asks the broker for a new secret, shows its QR code (an <img> of
 * the SVG, so nothing in it can run), the secret for typing by hand and the
 * ten recovery codes, then activates it with a first code from the app.
 * Fires `wl-totp-enrolled` (detail: `Me`) on success, `wl-sign-out` when the
 * technician gives up, and `wl-signed-out` (detail: the error code) when
 * the broker no longer accepts the sign-in.
 */
export class TotpEnrol extends LitElement {
  static override properties = {
    enrolment: { state: true },
    loadError: { state: true },
    confirmError: { state: true },
    busy: { state: true },
  };

  static override styles = [
    theme,
    pageStyles,
    css`
      main {
        max-width: 44rem;
        margin: 2rem auto;
        padding: 2rem;
        background: var(--wl-surface);
        border: 1px solid var(--wl-border);
        border-radius: 12px;
      }
      header {
        justify-content: space-between;
      }
      h1 {
        margin: 0 0 0.5rem;
        font-size: 1.75rem;
      }
      h2 {
        margin: 0 0 0.5rem;
        font-size: 1.25rem;
      }
      ol.steps {
        padding-left: 1.5rem;
        display: grid;
        gap: 1.5rem;
      }
      .qr {
        width: 14rem;
        height: 14rem;
        image-rendering: pixelated;
        border: 1px solid var(--wl-border);
      }
      code,
      .codes {
        font-family: ui-monospace, 'DejaVu Sans Mono', monospace;
        font-size: 1.125rem;
      }
      .secret {
        word-break: break-all;
        letter-spacing: 0.05em;
      }
      .codes {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
        gap: 0.25rem 1.5rem;
        margin: 0.5rem 0;
        padding: 0.75rem 1rem;
        list-style: none;
        background: var(--wl-bg);
        border-radius: var(--wl-radius);
      }
      form {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: 0.75rem 1rem;
      }
      .field {
        display: grid;
        gap: 0.25rem;
      }
      #confirm-code {
        font-size: 1.5rem;
        width: 10ch;
        letter-spacing: 0.1em;
        font-variant-numeric: tabular-nums;
      }
      .alert {
        margin-top: 0.75rem;
      }
    `,
  ];

  private enrolment: TotpEnrolment | undefined = undefined;
  private loadError: ErrorCode | undefined = undefined;
  private confirmError: ErrorCode | 'bad_code' | undefined = undefined;
  private busy = false;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.enrolment) {
      void this.load();
    }
  }

  override render() {
    return html`
      <header>
        <span class="brand">wardlink</span>
        <wl-language-switch></wl-language-switch>
        <button type="button" class="secondary" @click=${this.onSignOut}>${msg('Sign out', { id: 'console.signOut' })}</button>
      </header>
      <main>
        <h1>${msg('Set up two-step sign-in', { id: 'totp.title' })}</h1>
        <p>
          ${msg(
            'From now on, signing in also needs a 6-digit code from an authenticator app on your phone. Set it up once, here.',
            { id: 'totp.lead' },
          )}
        </p>
        ${this.enrolment ? this.renderSteps(this.enrolment) : this.renderLoading()}
      </main>
    `;
  }

  private renderLoading() {
    if (this.loadError !== undefined) {
      return html`<p class="alert" role="alert">${errorText(this.loadError)}</p>`;
    }
    return html`<p role="status">${msg('Loading…', { id: 'app.loading' })}</p>`;
  }

  private renderSteps(enrolment: TotpEnrolment) {
    const qrUrl = `data:image/svg+xml;base64,${btoa(enrolment.qrSvg)}`;
    return html`
      <ol class="steps">
        <li>
          <h2>${msg('Scan the QR code with your authenticator app', { id: 'totp.scanHeading' })}</h2>
          <img class="qr" src=${qrUrl} alt=${msg('QR code for your authenticator app', { id: 'totp.qrAlt' })} />
          <p>
            ${msg('No camera? Enter this key in the app by hand (time-based):', { id: 'totp.manual' })}<br />
            <code class="secret">${groups(enrolment.secret)}</code>
          </p>
        </li>
        <li>
          <h2>${msg('Save your recovery codes', { id: 'totp.codesHeading' })}</h2>
          <p>
            ${msg(
              'If you lose your phone, each of these codes signs you in once. Write them down or print them and keep them safe: they are not shown again.',
              { id: 'totp.codesLead' },
            )}
          </p>
          <ul class="codes" aria-label=${msg('Recovery codes', { id: 'totp.codesLabel' })}>
            ${enrolment.recoveryCodes.map((code) => html`<li>${code}</li>`)}
          </ul>
        </li>
        <li>
          <h2>${msg('Enter the code the app shows', { id: 'totp.confirmHeading' })}</h2>
          <form @submit=${this.onConfirm} novalidate>
            <div class="field">
              <label for="confirm-code">${msg('Code from the app', { id: 'totp.confirmLabel' })}</label>
              <input
                id="confirm-code"
                name="code"
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength="8"
                aria-invalid=${this.confirmError ? 'true' : 'false'}
              />
            </div>
            <button type="submit" ?disabled=${this.busy}>${msg('Turn on two-step sign-in', { id: 'totp.confirm' })}</button>
          </form>
          <p class=${this.confirmError ? 'alert' : 'alert quiet'} role="alert">${this.confirmText()}</p>
        </li>
      </ol>
    `;
  }

  private confirmText(): string {
    switch (this.confirmError) {
      case undefined:
        return '';
      case 'bad_code':
        return msg('Enter the 6-digit code from your authenticator app.', { id: 'login.badCode' });
      case ErrorCode.FORBIDDEN:
        return msg('That code does not match. Check that the time on your phone is right and enter the newest code.', {
          id: 'totp.wrongCode',
        });
      default:
        return errorText(this.confirmError);
    }
  }

  private async load(): Promise<void> {
    const result = await enrolTotp();
    if (result.ok) {
      this.enrolment = result.data;
      return;
    }
    if (this.signedOut(result.error.code)) {
      return;
    }
    this.loadError = result.error.code;
  }

  private async onConfirm(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) {
      return;
    }
    const input = this.renderRoot.querySelector<HTMLInputElement>('#confirm-code')!;
    const code = input.value.replace(/\s/g, '');
    if (!/^\d{6}$/.test(code)) {
      this.confirmError = 'bad_code';
      input.focus();
      return;
    }
    this.busy = true;
    this.confirmError = undefined;
    const result = await confirmTotp(code);
    this.busy = false;
    if (result.ok) {
      this.dispatchEvent(new CustomEvent('wl-totp-enrolled', { detail: result.data, bubbles: true, composed: true }));
      return;
    }
    if (this.signedOut(result.error.code)) {
      return;
    }
    this.confirmError = result.error.code;
    input.value = '';
    input.focus();
  }

  /** Hands over to sign-in when the broker no longer knows this sign-in. */
  private signedOut(code: ErrorCode): boolean {
    if (code !== ErrorCode.UNAUTHENTICATED && code !== ErrorCode.CLIENT_CERT_REQUIRED) {
      return false;
    }
    this.dispatchEvent(new CustomEvent('wl-signed-out', { detail: code, bubbles: true, composed: true }));
    return true;
  }

  private onSignOut(): void {
    this.dispatchEvent(new CustomEvent('wl-sign-out', { bubbles: true, composed: true }));
  }
}

/** `ABCDEFGH...` as `ABCD EFGH ...`, easier to copy by eye. */
function groups(secret: string): string {
  return secret.match(/.{1,4}/g)!.join(' ');
}

customElements.define('wl-totp-enrol', TotpEnrol);

declare global {
  interface HTMLElementTagNameMap {
    'wl-totp-enrol': TotpEnrol;
  }
}
