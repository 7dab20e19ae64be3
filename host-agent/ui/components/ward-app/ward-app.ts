import { LitElement, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { PIN_ATTEMPTS, type WardState } from '@wardlink/protocol';
// The ui-kit also defines <wl-language-switch>, which the header uses.
import { pageStyles, theme } from '@wardlink/viewer/ui-kit';
import { endReasonText } from '../../localization/messages.ts';
import { WardApi, type WardResult } from '../../WardApi.ts';
import type { ConsentEvent } from '../consent-prompt/consent-prompt.ts';
import { lockedAlarm, liveDetails, sessionCode } from './wardViews.ts';
import { wardAppStyles } from './ward-app.styles.ts';
import '../consent-prompt/consent-prompt.ts';

/** A request to the agent that failed, for the alert that says so. */
type Failure = 'help' | 'end' | 'consent' | 'ack';

/**
 * `<wl-ward-app>`: the page the ward user sees on their own PC. "Get help"
 * asks for a session code and a PIN, which are shown large to be read out
 * on the phone. A technician whose PIN was accepted must then be allowed
 * (`<wl-consent-prompt>`); while connected, a banner that cannot be
 * dismissed says who, what they may do and whether the session is
 * recorded, and "End session" is always at hand. Too many wrong PINs show
 * an alarm that the ward user acknowledges.
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
  private failed: Failure | undefined = undefined;
  private unsubscribe: (() => void) | undefined;
  /** States pushed by the agent so far: an answer to a request is older than any pushed after it was sent. */
  private pushed = 0;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = this.api.subscribe({
      state: (state) => {
        // A failure belongs to the phase it happened in (a refused answer to a prompt that is gone).
        if (state.state !== this.state?.state) {
          this.failed = undefined;
        }
        this.pushed++;
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
    const live = s?.state === 'live';
    const warning = this.attemptsText(s);
    // The status line stays the same element in every phase so that screen readers announce its changes;
    // while live, it heads the banner (a region named by it).
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
        <div
          class=${live ? 'phase live-banner' : 'phase'}
          role=${live ? 'region' : nothing}
          aria-labelledby=${live ? 'status' : nothing}
        >
          <p class="status ${s?.state ?? 'loading'}" id="status" role="status">${this.statusText(s)}</p>
          ${s ? this.details(s) : nothing}
        </div>
        <p class=${warning ? 'warning' : 'warning quiet'} id="pin-warning" role="status">${warning}</p>
        ${s ? this.action(s) : nothing}
        <p class=${this.failed ? 'alert' : 'alert quiet'} id="failure" role="alert">${this.failureText()}</p>
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

  /** What the phase shows under the status line. */
  private details(s: WardState) {
    switch (s.state) {
      case 'idle':
      case 'ended':
        return html`<p class="lead">
          ${msg('Press “Get help” to get a session code, then read it to the support technician on the phone.', {
            id: 'ward.helpLead',
          })}
        </p>`;
      case 'waiting':
        return sessionCode(s);
      case 'connecting':
        return nothing;
      case 'consent':
        return html`<wl-consent-prompt
          .technician=${s.technician}
          .requested=${s.permissions ?? []}
          .recording=${s.recording}
          ?busy=${this.busy}
          @wl-consent=${this.onConsent}
        ></wl-consent-prompt>`;
      case 'live':
        return liveDetails(s);
      case 'locked':
        return lockedAlarm(s);
      default: {
        const unreachable: never = s.state;
        return unreachable;
      }
    }
  }

  /**
   * The phase's one big button. The same End session template serves waiting, connecting and live,
   * so lit keeps that button (and the keyboard focus on it) from one phase to the next.
   */
  private action(s: WardState) {
    switch (s.state) {
      case 'idle':
      case 'ended':
        return html`<button class="big" ?disabled=${this.busy || s.broker === 'offline'} @click=${this.onHelp}>
          ${msg('Get help', { id: 'ward.getHelp' })}
        </button>`;
      case 'waiting':
      case 'connecting':
      case 'live':
        return html`<button class="big danger" ?disabled=${this.busy} @click=${this.onEnd}>
          ${msg('End session', { id: 'ward.end' })}
        </button>`;
      case 'consent':
        // The prompt has its own Allow and Decline.
        return nothing;
      case 'locked':
        // No "Get help" until the alarm is acknowledged (PIN5).
        return html`<button class="big" ?disabled=${this.busy} @click=${this.onAcknowledge}>
          ${msg('I understand', { id: 'ward.locked.acknowledge' })}
        </button>`;
      default: {
        const unreachable: never = s.state;
        return unreachable;
      }
    }
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
        // With permissions, the ward user has allowed the session and the picture is starting.
        return s.permissions
          ? msg('Starting…', { id: 'ward.starting' })
          : msg('Connecting…', { id: 'ward.connecting' });
      case 'consent':
        return msg('A technician asks to connect to this PC.', { id: 'ward.consent' });
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
      case 'locked':
        return msg('Remote support is locked for safety.', { id: 'ward.locked' });
      default: {
        const unreachable: never = s.state;
        return unreachable;
      }
    }
  }

  /** The warning after a wrong PIN, while the same PIN still waits for the technician (PIN5). */
  private attemptsText(s: WardState | undefined): string {
    const left = s?.attemptsLeft;
    if (s?.state !== 'waiting' || left === undefined || left >= PIN_ATTEMPTS) {
      return '';
    }
    return left === 1
      ? msg(str`A wrong PIN was entered. ${left} attempt left.`, { id: 'ward.attemptsLeftOne' })
      : msg(str`A wrong PIN was entered. ${left} attempts left.`, { id: 'ward.attemptsLeft' });
  }

  private failureText(): string {
    switch (this.failed) {
      case undefined:
        return '';
      case 'help':
        return msg('Could not ask for help. Try again in a moment.', { id: 'ward.helpFailed' });
      case 'end':
        return msg('Could not end the session. Try again.', { id: 'ward.endFailed' });
      case 'consent':
        return msg('Your answer could not be sent. If the request is still shown, try again.', {
          id: 'ward.consentFailed',
        });
      case 'ack':
        return msg('Could not confirm. Try again.', { id: 'ward.ackFailed' });
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

  private onConsent(e: ConsentEvent): Promise<void> {
    const decision = e.detail;
    return this.act('consent', () => this.api.consent(decision));
  }

  private onAcknowledge(): Promise<void> {
    return this.act('ack', () => this.api.acknowledgeAlarm());
  }

  private async act(kind: Failure, call: () => Promise<WardResult>): Promise<void> {
    if (this.busy) {
      return;
    }
    this.busy = true;
    this.failed = undefined;
    const pushedBefore = this.pushed;
    const result = await call();
    this.busy = false;
    if (result.ok) {
      // A state pushed while the request was under way is newer than the answer (e.g. `live` right
      // after Allow): keep it.
      if (this.pushed === pushedBefore) this.state = result.data;
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
