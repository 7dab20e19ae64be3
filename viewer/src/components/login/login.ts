import { LitElement, css, html } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { ErrorCode, type Me } from '@wardlink/protocol';
import { login } from '../../api/http.ts';
import { errorText } from '../../localization/messages.ts';
import { pageStyles, theme } from '../../ui-kit/theme.ts';
import '../../ui-kit/language-switch/language-switch.ts';

/** Detail of the `wl-signed-in` event: the technician who signed in. */
export type SignedInEvent = CustomEvent<Me>;

/**
 * `<wl-login>`: username and password form. Posts to `/api/login`; on
 * success fires `wl-signed-in` (detail: `Me`), otherwise shows why in an
 * alert region. `notice` shows a reason the user was sent here (for
 * instance an expired sign-in).
 */
export class Login extends LitElement {
  static override properties = {
    notice: { attribute: false },
    busy: { state: true },
    errorCode: { state: true },
  };

  static override styles = [
    theme,
    pageStyles,
    css`
      .top {
        display: flex;
        justify-content: flex-end;
        padding: 1rem 1.5rem;
      }
      main {
        max-width: 28rem;
        margin: 4vh auto 0;
        padding: 2rem;
        background: var(--wl-surface);
        border: 1px solid var(--wl-border);
        border-radius: 12px;
      }
      h1 {
        margin: 0 0 0.25rem;
        font-size: 1.75rem;
      }
      .lead {
        margin: 0 0 1.5rem;
        color: var(--wl-muted);
      }
      form {
        display: grid;
        gap: 0.5rem;
      }
      input {
        width: 100%;
        margin-bottom: 0.75rem;
      }
      button {
        margin-top: 0.5rem;
        width: 100%;
        font-size: 1.125rem;
      }
    `,
  ];

  /** Why the user is on this page, if not by choice. */
  notice: ErrorCode | undefined = undefined;
  private busy = false;
  private errorCode: ErrorCode | 'missing' | undefined = undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    const error = this.errorMessage();
    return html`
      <div class="top"><wl-language-switch></wl-language-switch></div>
      <main>
        <h1>wardlink</h1>
        <p class="lead">${msg('Remote support console', { id: 'app.subtitle' })}</p>
        <form @submit=${this.onSubmit} novalidate>
          <label for="username">${msg('Username', { id: 'login.username' })}</label>
          <input
            id="username"
            name="username"
            autocomplete="username"
            autocapitalize="off"
            spellcheck="false"
            required
          />
          <label for="password">${msg('Password', { id: 'login.password' })}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <p class=${error ? 'alert' : 'alert quiet'} role="alert">${error}</p>
          <button type="submit" ?disabled=${this.busy}>${msg('Sign in', { id: 'login.submit' })}</button>
        </form>
      </main>
    `;
  }

  private errorMessage(): string {
    const code = this.errorCode ?? this.notice;
    switch (code) {
      case undefined:
        return '';
      case 'missing':
        return msg('Enter your username and password.', { id: 'login.missing' });
      case ErrorCode.UNAUTHENTICATED:
      case ErrorCode.BAD_MESSAGE:
        return this.errorCode
          ? msg('The username or password is incorrect.', { id: 'login.incorrect' })
          : msg('Your sign-in has ended. Sign in again.', { id: 'login.expired' });
      default:
        return errorText(code);
    }
  }

  private async onSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) {
      return;
    }
    const username = this.input('username');
    const password = this.input('password');
    const name = username.value.trim().toLowerCase();
    if (name === '' || password.value === '') {
      this.errorCode = 'missing';
      (name === '' ? username : password).focus();
      return;
    }
    this.busy = true;
    this.errorCode = undefined;
    const result = await login(name, password.value);
    this.busy = false;
    if (result.ok) {
      password.value = '';
      this.dispatchEvent(new CustomEvent('wl-signed-in', { detail: result.data, bubbles: true, composed: true }));
      return;
    }
    this.errorCode = result.error.code;
    password.value = '';
    password.focus();
  }

  private input(id: string): HTMLInputElement {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)!;
  }
}

customElements.define('wl-login', Login);

declare global {
  interface HTMLElementTagNameMap {
    'wl-login': Login;
  }
}
