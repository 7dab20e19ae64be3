import { LitElement, css, html } from 'lit';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { ErrorCode, type Me } from '@wardlink/protocol';
import { connectTech } from '../../api/connectTech.ts';
import { logout, me } from '../../api/http.ts';
import { TechClient, type TechSocket } from '../../api/TechClient.ts';
import { theme } from '../../ui-kit/theme.ts';
import type { SignedInEvent } from '../login/login.ts';
import type { TotpEnrolledEvent } from '../totp-enrol/totp-enrol.ts';
import '../audit-console/audit-console.ts';
import '../console/console.ts';
import '../login/login.ts';
import '../totp-enrol/totp-enrol.ts';

/**
 * `<wl-app>`: the technician viewer's root. Asks the broker who is signed
 * in, shows the sign-in form, the TOTP enrolment of a first sign-in, or the
 * console, and owns the `/tech` socket for as long as the technician is
 * signed in. Auditors get the recording console instead and no socket: they
 * see nothing live (SPEC ROLE3), so `/tech` has no event for them.
 */
export class App extends LitElement {
  static override properties = {
    view: { state: true },
    me: { state: true },
    notice: { state: true },
  };

  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      .loading {
        padding: 2rem;
      }
    `,
  ];

  /** Opens the broker socket; tests replace it with a fake. */
  connectSocket: () => TechSocket = connectTech;
  private view: 'loading' | 'login' | 'enrol' | 'console' | 'audit' = 'loading';
  private me: Me | undefined = undefined;
  private notice: ErrorCode | undefined = undefined;
  private client: TechClient | undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.view === 'loading') {
      void this.checkSession();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.client?.close();
    this.client = undefined;
  }

  override render() {
    switch (this.view) {
      case 'loading':
        return html`<p class="loading" role="status">${msg('Loading…', { id: 'app.loading' })}</p>`;
      case 'login':
        return html`<wl-login .notice=${this.notice} @wl-signed-in=${this.onSignedIn}></wl-login>`;
      case 'enrol':
        return html`<wl-totp-enrol
          @wl-totp-enrolled=${this.onEnrolled}
          @wl-signed-out=${this.onEnrolRefused}
          @wl-sign-out=${this.onSignOut}
        ></wl-totp-enrol>`;
      case 'console':
        return html`<wl-console .me=${this.me} .client=${this.client} @wl-sign-out=${this.onSignOut}></wl-console>`;
      case 'audit':
        return html`<wl-audit-console
          .me=${this.me}
          @wl-sign-out=${this.onSignOut}
          @wl-signed-out=${this.onEnrolRefused}
        ></wl-audit-console>`;
      default: {
        const unreachable: never = this.view;
        return unreachable;
      }
    }
  }

  private async checkSession(): Promise<void> {
    const result = await me();
    if (result.ok) {
      this.signIn(result.data);
      return;
    }
    if (result.error.code === ErrorCode.TOTP_REQUIRED) {
      this.view = 'enrol';
      return;
    }
    this.notice = result.error.code === ErrorCode.UNAUTHENTICATED ? undefined : result.error.code;
    this.view = 'login';
  }

  private signIn(user: Me): void {
    this.client?.close();
    this.client = undefined;
    if (user.role === 'auditor') {
      this.me = user;
      this.notice = undefined;
      this.view = 'audit';
      return;
    }
    const client = new TechClient(this.connectSocket());
    client.on('refused', (code) => this.signedOut(code));
    this.client = client;
    this.me = user;
    this.notice = undefined;
    this.view = 'console';
  }

  private signedOut(notice: ErrorCode | undefined): void {
    this.client?.close();
    this.client = undefined;
    this.me = undefined;
    this.notice = notice;
    this.view = 'login';
  }

  private onSignedIn(e: SignedInEvent): void {
    if (e.detail.next === 'enrol_totp') {
      this.notice = undefined;
      this.view = 'enrol';
      return;
    }
    this.signIn(e.detail.user);
  }

  private onEnrolled(e: TotpEnrolledEvent): void {
    this.signIn(e.detail);
  }

  /** The broker no longer accepts the sign-in (enrolment or the audit console found out). */
  private onEnrolRefused(e: CustomEvent<ErrorCode>): void {
    this.signedOut(e.detail);
  }

  private async onSignOut(): Promise<void> {
    this.signedOut(undefined);
    await logout();
  }
}

customElements.define('wl-app', App);

declare global {
  interface HTMLElementTagNameMap {
    'wl-app': App;
  }
}
