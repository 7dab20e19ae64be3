import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { WardState } from '@wardlink/protocol';
// The ui-kit also defines <wl-language-switch>, which the header uses.
import { currentLocale, pageStyles, theme } from '@wardlink/viewer/ui-kit';
import { formatCode, formatTime } from '../../format.ts';
import { endReasonText } from '../../localization/messages.ts';
import { WardApi } from '../../WardApi.ts';
import { wardAppStyles } from './ward-app.styles.ts';

/**
 * `<wl-ward-app>`: the page the ward user sees on their own PC. "Get help"
 * asks for a session code, which is shown large to be read out on the
 * phone; while a technician is connecting or connected it says who, and
 * "End session" is always at hand.
 */
export class WardApp extends LitElement {
  static override properties = {
    api: { attribute: false },
    state: { attribute: false },
    agentOnline: { state: true },
    busy: { state: true },
    failed: { state: true },
  };

  static override styles = [theme, pageStyles, wardAppStyles];

  /** The agent's local API; tests pass a fake. */
  api: WardApi = new WardApi();
  /** The state to show; follows the agent once connected to the page. */
  state: WardState | undefined = undefined;
  private agentOnline = true;
  private busy = false;
  private failed: 'help' | 'end' | undefined = undefined;
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = this.api.subscribe({
      state: (state) => {
        this.state = state;
      },
      connection: (open) => {
        this.agentOnline = open;
      },
    });
    void this.api.state().then((result) => {
      if (result.ok && this.state === undefined) {
        this.state = result.data;
      }
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  override render() {
    const s = this.state;
    return html`
      <header>
        <span class="brand">wardlink</span>
        <span class="product">${msg('Remote support', { id: 'ward.product' })}</span>
        <wl-language-switch></wl-language-switch>
      </header>
      <main>
        <p class="this-pc">${msg('This PC', { id: 'ward.thisPc' })}</p>
        <h1>${s?.hostName ?? ''}</h1>
        ${this.notices(s)}
        <p class="status ${s?.state ?? 'loading'}" role="status">${this.statusText(s)}</p>
        ${s ? this.body(s) : nothing}
        <p class=${this.failed ? 'alert' : 'alert quiet'} role="alert">${this.failureText()}</p>
      </main>
    `;
  }

  private notices(s: WardState | undefined) {
    return html`
      ${s?.broker === 'offline'
        ? html`<p class="notice">
            ${msg('The support server cannot be reached. You can ask for help again when the connection returns.', {
              id: 'ward.brokerOffline',
            })}
          </p>`
        : nothing}
      ${this.agentOnline
        ? nothing
        : html`<p class="notice">
            ${msg('Lost contact with the support program on this PC. Reconnecting…', { id: 'ward.agentLost' })}
          </p>`}
    `;
  }

  private body(s: WardState) {
    switch (s.state) {
      case 'idle':
      case 'ended':
        return html`
          <p class="lead">
            ${msg('Press “Get help” to get a session code, then read it to the support technician on the phone.', {
              id: 'ward.helpLead',
            })}
          </p>
          <button class="big" ?disabled=${this.busy || s.broker === 'offline'} @click=${this.onHelp}>
            ${msg('Get help', { id: 'ward.getHelp' })}
          </button>
        `;
      case 'waiting':
        return html`
          <div class="code-box">
            <span class="code-label" id="code-label">${msg('Session code', { id: 'ward.codeLabel' })}</span>
            <p class="code" id="code" role="group" aria-labelledby="code-label">${formatCode(s.code ?? '')}</p>
            <p class="expiry">
              ${s.expiresAt !== undefined
                ? msg(str`Read this code to the technician. It is valid until ${formatTime(s.expiresAt, currentLocale())}.`, {
                    id: 'ward.codeExpiry',
                  })
                : msg('Read this code to the technician.', { id: 'ward.codeRead' })}
            </p>
          </div>
          ${this.endButton()}
        `;
      case 'connecting':
        return this.endButton();
      case 'live':
        return html`
          <p class="live-notice">
            ${msg(
              'The technician can see this screen and use the mouse and keyboard. You can end the session at any time.',
              { id: 'ward.liveNotice' },
            )}
          </p>
          ${this.endButton()}
        `;
      default: {
        const unreachable: never = s.state;
        return unreachable;
      }
    }
  }

  private endButton() {
    return html`<button class="big danger" ?disabled=${this.busy} @click=${this.onEnd}>
      ${msg('End session', { id: 'ward.end' })}
    </button>`;
  }

  private statusText(s: WardState | undefined): string {
    if (!s) {
      return msg('Loading…', { id: 'ward.loading' });
    }
    switch (s.state) {
      case 'idle':
        return msg('No one is connected to this PC.', { id: 'ward.idle' });
      case 'waiting':
        return msg('Waiting for the technician', { id: 'ward.waiting' });
      case 'connecting':
        return msg('Connecting…', { id: 'ward.connecting' });
      case 'live': {
        const t = s.technician;
        return t
          ? msg(str`Connected: ${t.name} (${t.organisation}) from ${t.from}`, { id: 'ward.live' })
          : msg('Connected', { id: 'ward.liveUnknown' });
      }
      case 'ended': {
        const reason = s.endReason !== undefined ? endReasonText(s.endReason) : undefined;
        return reason
          ? msg(str`The session has ended: ${reason}`, { id: 'ward.endedReason' })
          : msg('The session has ended.', { id: 'ward.ended' });
      }
      default: {
        const unreachable: never = s.state;
        return unreachable;
      }
    }
  }

  private failureText(): string {
    switch (this.failed) {
      case undefined:
        return '';
      case 'help':
        return msg('Could not ask for help. Try again in a moment.', { id: 'ward.helpFailed' });
      case 'end':
        return msg('Could not end the session. Try again.', { id: 'ward.endFailed' });
      default: {
        const unreachable: never = this.failed;
        return unreachable;
      }
    }
  }

  private onHelp(): Promise<void> {
    return this.act('help', () => this.api.help());
  }

  private onEnd(): Promise<void> {
    return this.act('end', () => this.api.end());
  }

  private async act(kind: 'help' | 'end', call: () => ReturnType<WardApi['help']>): Promise<void> {
    if (this.busy) {
      return;
    }
    this.busy = true;
    this.failed = undefined;
    const result = await call();
    this.busy = false;
    if (result.ok) {
      this.state = result.data;
    } else {
      this.failed = kind;
    }
    await this.updateComplete;
    // The pressed button may have been replaced; keep keyboard focus on the page's main action.
    this.renderRoot.querySelector<HTMLButtonElement>('button.big')?.focus();
  }
}

customElements.define('wl-ward-app', WardApp);

declare global {
  interface HTMLElementTagNameMap {
    'wl-ward-app': WardApp;
  }
}
