import { LitElement, css, html } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { ErrorCode, type LoginResult, type WireError } from '@wardlink/protocol';
import { login, type SecondFactor } from '../../api/http.ts';
import { errorText } from '../../localization/messages.ts';
import { pageStyles, theme } from '../../ui-kit/theme.ts';
import { currentLocale } from '../../ui-kit/localization.ts';
import '../../ui-kit/language-switch/language-switch.ts';

/** Detail of the `wl-signed-in` event: the technician and whether TOTP must be set up first. */
export type SignedInEvent = CustomEvent<LoginResult>;

/** Problems the form finds before anything is sent. */
type LocalProblem = 'missing' | 'bad_code' | 'bad_recovery_code';

/**
 * `<wl-login>`: username, password and one-time code form (SPEC AUTH5).
 * The code comes from the authenticator app, or, through "Use a recovery
 * code", from the list saved at enrolment; it stays empty on the very first
 * sign-in, which then sets up TOTP. Posts to `/api/login`; on success fires
 * `wl-signed-in` (detail: `LoginResult`), otherwise shows why in an alert
 * region without saying which credential was wrong. `notice` shows a reason
 * the user was sent here (for instance an expired sign-in).
 */
export class Login extends LitElement {
  static override properties = {
    notice: { attribute: false },
    busy: { state: true },
    error: { state: true },
    useRecovery: { state: true },
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
      #code {
        font-variant-numeric: tabular-nums;
        letter-spacing: 0.1em;
      }
      .hint {
        margin: -0.5rem 0 0.75rem;
        color: var(--wl-muted);
        font-size: 0.9375rem;
      }
      button {
        margin-top: 0.5rem;
        width: 100%;
        font-size: 1.125rem;
      }
      button.switch {
        margin: 0 0 0.5rem;
        width: auto;
        justify-self: start;
        font-size: 1rem;
      }
    `,
  ];

  /** Why the user is on this page, if not by choice. */
  notice: ErrorCode | undefined = undefined;
  private busy = false;
  private error: WireError | LocalProblem | undefined = undefined;
  private useRecovery = false;

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
          ${this.useRecovery ? this.renderRecoveryField() : this.renderCodeField()}
          <p class=${error ? 'alert' : 'alert quiet'} role="alert">${error}</p>
          <button type="submit" ?disabled=${this.busy}>${msg('Sign in', { id: 'login.submit' })}</button>
        </form>
      </main>
    `;
  }

  private renderCodeField() {
    return html`
      <label for="code">${msg('One-time code', { id: 'login.code' })}</label>
      <input
        id="code"
        name="code"
        inputmode="numeric"
        autocomplete="one-time-code"
        maxlength="8"
        aria-describedby="code-hint"
      />
      <p class="hint" id="code-hint">
        ${msg('The 6-digit code from your authenticator app. Leave it empty the first time you sign in.', {
          id: 'login.codeHint',
        })}
      </p>
      <button type="button" class="secondary switch" @click=${() => this.switchField(true)}>
        ${msg('Use a recovery code instead', { id: 'login.useRecovery' })}
      </button>
    `;
  }

  private renderRecoveryField() {
    return html`
      <label for="recovery">${msg('Recovery code', { id: 'login.recovery' })}</label>
      <input
        id="recovery"
        name="recovery"
        autocomplete="off"
        autocapitalize="off"
        spellcheck="false"
        maxlength="32"
        aria-describedby="recovery-hint"
      />
      <p class="hint" id="recovery-hint">
        ${msg('One of the recovery codes you saved when you set up two-step sign-in. Each code works once.', {
          id: 'login.recoveryHint',
        })}
      </p>
      <button type="button" class="secondary switch" @click=${() => this.switchField(false)}>
        ${msg('Use a code from the app instead', { id: 'login.useCode' })}
      </button>
    `;
  }

  private async switchField(recovery: boolean): Promise<void> {
    this.useRecovery = recovery;
    this.error = undefined;
    await this.updateComplete;
    this.input(recovery ? 'recovery' : 'code').focus();
  }

  private errorMessage(): string {
    const error = this.error ?? this.notice;
    if (error === undefined) {
      return '';
    }
    if (typeof error === 'string') {
      switch (error) {
        case 'missing':
          return msg('Enter your username and password.', { id: 'login.missing' });
        case 'bad_code':
          return msg('Enter the 6-digit code from your authenticator app.', { id: 'login.badCode' });
        case 'bad_recovery_code':
          return msg('Enter a recovery code as written, for example abcd-efgh-ijkl-mnop.', {
            id: 'login.badRecoveryCode',
          });
        case ErrorCode.UNAUTHENTICATED:
          return msg('Your sign-in has ended. Sign in again.', { id: 'login.expired' });
        default:
          return errorText(error);
      }
    }
    switch (error.code) {
      case ErrorCode.UNAUTHENTICATED:
      case ErrorCode.BAD_MESSAGE:
        return msg('The username, password or code is incorrect.', { id: 'login.wrongCredentials' });
      case ErrorCode.RATE_LIMITED:
        return error.retryAfter === undefined
          ? errorText(error.code)
          : msg(str`Too many failed sign-ins. Try again at ${retryTime(error.retryAfter)}.`, { id: 'login.throttled' });
      default:
        return errorText(error.code);
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
      this.error = 'missing';
      (name === '' ? username : password).focus();
      return;
    }
    const second = this.secondFactor();
    if (typeof second === 'string') {
      this.error = second;
      this.input(this.useRecovery ? 'recovery' : 'code').focus();
      return;
    }
    this.busy = true;
    this.error = undefined;
    const result = await login(name, password.value, second);
    this.busy = false;
    const field = this.input(this.useRecovery ? 'recovery' : 'code');
    field.value = '';
    if (result.ok) {
      password.value = '';
      this.dispatchEvent(new CustomEvent('wl-signed-in', { detail: result.data, bubbles: true, composed: true }));
      return;
    }
    this.error = result.error;
    password.value = '';
    password.focus();
  }

  /** The code or recovery code as the broker wants it, or what is wrong with it. */
  private secondFactor(): SecondFactor | LocalProblem {
    if (this.useRecovery) {
      const recoveryCode = this.input('recovery').value.replace(/[\s-]/g, '').toLowerCase();
      return /^[a-z2-7]{16}$/.test(recoveryCode) ? { recoveryCode } : 'bad_recovery_code';
    }
    const code = this.input('code').value.replace(/\s/g, '');
    if (code === '') {
      return {};
    }
    return /^\d{6}$/.test(code) ? { code } : 'bad_code';
  }

  private input(id: string): HTMLInputElement {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)!;
  }
}

/** The local clock time `seconds` from now, rounded up to the minute, as people read it (e.g. 14:05). */
function retryTime(seconds: number): string {
  const at = new Date(Math.ceil((Date.now() + seconds * 1000) / 60_000) * 60_000);
  return new Intl.DateTimeFormat(currentLocale(), { hour: '2-digit', minute: '2-digit' }).format(at);
}

customElements.define('wl-login', Login);

declare global {
  interface HTMLElementTagNameMap {
    'wl-login': Login;
  }
}
