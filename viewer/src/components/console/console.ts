import { LitElement, css, html } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { HostSummary, Me } from '@wardlink/protocol';
import type { TechClient } from '../../api/TechClient.ts';
import { ViewerSession, type ViewerSessionLike } from '../../session/ViewerSession.ts';
import { consoleStyles, pageStyles, theme } from '../../ui-kit/theme.ts';
import type { ConnectEvent } from '../connect-form/connect-form.ts';
import '../connect-form/connect-form.ts';
import '../host-list/host-list.ts';
import '../../ui-kit/language-switch/language-switch.ts';
import '../remote-screen/remote-screen.ts';

/** Makes the session for a connect request; tests replace it. */
export type SessionFactory = (client: TechClient) => ViewerSessionLike;

/** The browser's WebRTC classes wired into a {@link ViewerSession}. */
export const browserSession: SessionFactory = (client) =>
  new ViewerSession({
    socket: client.socket,
    RTCPeerConnection,
    videoCapabilities: () => RTCRtpReceiver.getCapabilities?.('video') ?? null,
  });

/**
 * `<wl-console>`: the signed-in technician's page: who is signed in, the
 * language switch, Sign out, the connect-by-code form and the PC list.
 * While a session is open it shows `<wl-remote-screen>` instead. Fires
 * `wl-sign-out`.
 */
export class Console extends LitElement {
  static override properties = {
    me: { attribute: false },
    client: { attribute: false },
    hosts: { state: true },
    online: { state: true },
    session: { state: true },
  };

  static override styles = [
    theme,
    pageStyles,
    consoleStyles,
    css`
      .lead {
        margin: 0 0 1rem;
        color: var(--wl-muted);
      }
      .connection {
        margin: 0 0 1rem;
        font-weight: 600;
      }
      .connection.lost {
        padding: 0.75rem 1rem;
        border-left: 6px solid #8a5a00;
        background: #fff4d6;
      }
    `,
  ];

  /** The signed-in technician. */
  me: Me | undefined = undefined;
  /** The broker connection (host list, signaling). */
  client: TechClient | undefined = undefined;
  /** How sessions are made; the default uses the browser's WebRTC. */
  createSession: SessionFactory = browserSession;
  private hosts: readonly HostSummary[] | undefined = undefined;
  private online = true;
  private session: ViewerSessionLike | undefined = undefined;
  private unsubscribe: Array<() => void> = [];
  private followed: TechClient | undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override willUpdate(): void {
    if (this.client !== this.followed) {
      this.follow(this.client);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.follow(undefined);
    this.session?.close();
    this.session = undefined;
  }

  override render() {
    if (this.session) {
      return html`<wl-remote-screen .session=${this.session} @wl-close=${this.onCloseSession}></wl-remote-screen>`;
    }
    const me = this.me;
    return html`
      <header>
        <span class="brand">wardlink</span>
        <p class="who">
          ${me ? msg(str`Signed in as ${me.name} (${me.organisation})`, { id: 'console.signedInAs' }) : ''}
        </p>
        <wl-language-switch></wl-language-switch>
        <button class="secondary" @click=${this.onSignOut}>${msg('Sign out', { id: 'console.signOut' })}</button>
      </header>
      <main>
        <h1>${msg('Remote support', { id: 'console.title' })}</h1>
        <p class="connection ${this.online ? '' : 'lost'}" role="status">${this.online
          ? ''
          : msg('The connection to the server was lost. Reconnecting…', { id: 'console.reconnecting' })}</p>
        <section aria-labelledby="connect-heading">
          <h2 id="connect-heading">${msg('Connect to a PC', { id: 'console.connectHeading' })}</h2>
          <p class="lead">
            ${msg('Ask the ward user to press “Get help” and read out the session code and the PIN.', { id: 'console.connectLead' })}
          </p>
          <wl-connect-form ?disabled=${!this.online} @wl-connect=${this.onConnect}></wl-connect-form>
        </section>
        <section aria-labelledby="hosts-heading">
          <h2 id="hosts-heading">${msg('PCs', { id: 'console.hostsHeading' })}</h2>
          <wl-host-list .hosts=${this.hosts}></wl-host-list>
        </section>
      </main>
    `;
  }

  private follow(client: TechClient | undefined): void {
    for (const off of this.unsubscribe.splice(0)) {
      off();
    }
    this.followed = client;
    if (!client) {
      return;
    }
    this.unsubscribe = [
      client.on('hosts', (hosts) => {
        this.hosts = hosts;
      }),
      client.on('connection', (online) => {
        this.online = online;
      }),
    ];
  }

  private onConnect(e: ConnectEvent): void {
    if (!this.client || this.session) {
      return;
    }
    const session = this.createSession(this.client);
    this.session = session;
    void session.start(e.detail.code, e.detail.pin);
  }

  private onCloseSession(): void {
    this.session?.close();
    this.session = undefined;
  }

  private onSignOut(): void {
    this.dispatchEvent(new CustomEvent('wl-sign-out', { bubbles: true, composed: true }));
  }
}

customElements.define('wl-console', Console);

declare global {
  interface HTMLElementTagNameMap {
    'wl-console': Console;
  }
}
