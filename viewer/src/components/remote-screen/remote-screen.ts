import { LitElement, html, type PropertyValues } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { WireError } from '@wardlink/protocol';
import { InputCapture } from '../../input/InputCapture.ts';
import type { Size } from '../../input/pointer.ts';
import { endReasonText, errorText } from '../../localization/messages.ts';
import type { ViewerSessionLike, ViewerSessionState } from '../../session/ViewerSession.ts';
import { theme } from '../../ui-kit/theme.ts';
import { remoteScreenStyles } from './remote-screen.styles.ts';

/**
 * `<wl-remote-screen>`: the live screen of one session. Shows the video
 * scaled to fit, maps pointer and keyboard input to the host while the
 * screen has focus, announces the connection state, and offers "End
 * session". Fires `wl-close` when the user leaves a finished session.
 */
export class RemoteScreen extends LitElement {
  static override properties = {
    session: { attribute: false },
    state: { state: true },
    hostError: { state: true },
    captured: { state: true },
  };

  static override styles = [theme, remoteScreenStyles];

  /** The session to show; the component follows its events. */
  session: ViewerSessionLike | undefined = undefined;
  private state: ViewerSessionState = { phase: 'idle' };
  private hostError: WireError | undefined = undefined;
  private captured = false;
  private stream: MediaStream | undefined;
  private hostSize: Size | undefined;
  private capture: InputCapture | undefined;
  private unsubscribe: Array<() => void> = [];
  private followed: ViewerSessionLike | undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) {
      this.follow(this.session);
      this.startCapture();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const off of this.unsubscribe.splice(0)) {
      off();
    }
    this.capture?.close();
    this.capture = undefined;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('session')) {
      this.follow(this.session);
    }
  }

  override firstUpdated(): void {
    this.startCapture();
  }

  override updated(changed: PropertyValues): void {
    const video = this.renderRoot.querySelector('video');
    if (video && video.srcObject !== (this.stream ?? null)) {
      video.srcObject = this.stream ?? null;
    }
    const previous = changed.get('state') as ViewerSessionState | undefined;
    if (previous && !isFinal(previous) && isFinal(this.state) && this.captured) {
      // The screen is gone: give keyboard users somewhere sensible to be.
      this.renderRoot.querySelector<HTMLButtonElement>('#back')?.focus();
    }
  }

  override render() {
    const host = hostName(this.state);
    const final = isFinal(this.state);
    return html`
      <div class="bar">
        <div class="info">
          <h1>${host ?? msg('Remote session', { id: 'screen.title' })}</h1>
          <p role="status" class="status ${this.state.phase}">${this.statusText()}</p>
          ${this.state.phase === 'connected' && this.state.recorded
            ? html`<p class="recorded">${msg('This session is recorded for the hospital’s auditors.', { id: 'screen.recorded' })}</p>`
            : ''}
        </div>
        <p id="hint" class="hint ${this.captured ? 'captured' : ''}">${final
          ? ''
          : this.captured
          ? msg('Keyboard and mouse go to the remote PC. Press Ctrl+Alt+Shift to release the keyboard.', {
              id: 'screen.hint.captured',
            })
          : msg('Click the screen (or move focus to it) to control the remote PC.', { id: 'screen.hint.idle' })}</p>
        ${final
          ? html`<button id="back" class="secondary" @click=${this.onBack}>
              ${msg('Back to the PC list', { id: 'screen.back' })}
            </button>`
          : html`<button id="end" class="danger" @click=${this.onEnd}>${msg('End session', { id: 'screen.end' })}</button>`}
      </div>
      <p class=${this.hostError ? 'alert' : 'alert quiet'} role="alert">${this.hostError
        ? msg(str`The PC refused: ${errorText(this.hostError.code)}`, { id: 'screen.hostError' })
        : ''}</p>
      <div
        id="stage"
        class="stage"
        tabindex="0"
        role="application"
        aria-label=${host
          ? msg(str`Remote control: ${host}`, { id: 'screen.applicationName' })
          : msg('Remote control', { id: 'screen.applicationNameNoHost' })}
        aria-describedby="hint"
        @focusin=${() => (this.captured = true)}
        @focusout=${() => (this.captured = false)}
      >
        <video aria-label=${msg('Remote screen', { id: 'screen.video' })} autoplay muted playsinline></video>
        <textarea
          id="keyboard"
          class="keyboard"
          tabindex="-1"
          aria-label=${msg('Keyboard input to the remote PC', { id: 'screen.keyboard' })}
          autocomplete="off"
          autocapitalize="off"
          spellcheck="false"
        ></textarea>
      </div>
    `;
  }

  private statusText(): string {
    const state = this.state;
    switch (state.phase) {
      case 'idle':
      case 'joining':
      case 'connecting':
        return msg('Connecting…', { id: 'screen.connecting' });
      case 'consent':
        return msg('PIN accepted. Waiting for the ward user to allow the session…', { id: 'screen.consent' });
      case 'connected':
        if (state.frozen) {
          return msg('Paused: the session recording stopped. Screen and control resume when it records again.', {
            id: 'screen.frozen',
          });
        }
        return state.permissions.includes('control')
          ? msg(str`Connected to ${state.host.name}`, { id: 'screen.connected' })
          : msg(str`Connected to ${state.host.name} (view only)`, { id: 'screen.connectedViewOnly' });
      case 'ended':
        return msg(str`Ended: ${endReasonText(state.reason)}`, { id: 'screen.ended' });
      case 'failed':
        return msg(str`Failed: ${errorText(state.error.code)}`, { id: 'screen.failed' });
      default: {
        const unreachable: never = state;
        return unreachable;
      }
    }
  }

  private follow(session: ViewerSessionLike | undefined): void {
    for (const off of this.unsubscribe.splice(0)) {
      off();
    }
    if (session !== this.followed) {
      // A different session: nothing of the previous one may show through.
      this.followed = session;
      this.stream = undefined;
      this.hostSize = undefined;
      this.hostError = undefined;
    }
    if (!session) {
      return;
    }
    this.state = session.state;
    this.unsubscribe = [
      session.on('state', (state) => {
        this.state = state;
        if (isFinal(state)) {
          this.capture?.releaseKeys();
        }
      }),
      session.on('track', ({ track, stream }) => {
        this.stream = stream ?? new MediaStream([track]);
        this.requestUpdate();
      }),
      session.on('screen', (size) => {
        this.hostSize = size;
      }),
      session.on('hostError', (error) => {
        this.hostError = error;
      }),
    ];
  }

  private startCapture(): void {
    const surface = this.renderRoot.querySelector<HTMLElement>('#stage');
    const video = this.renderRoot.querySelector('video');
    const keyboard = this.renderRoot.querySelector<HTMLTextAreaElement>('#keyboard');
    if (this.capture || !surface || !video || !keyboard) {
      return;
    }
    this.capture = new InputCapture({
      surface,
      video,
      keyboard,
      send: (message) => this.session?.send(message),
      hostSize: () => this.hostSize,
      onRelease: () => this.renderRoot.querySelector<HTMLButtonElement>('#end, #back')?.focus(),
    });
  }

  private async onEnd(): Promise<void> {
    this.capture?.releaseKeys();
    await this.session?.end();
  }

  private onBack(): void {
    this.dispatchEvent(new CustomEvent('wl-close', { bubbles: true, composed: true }));
  }
}

function isFinal(state: ViewerSessionState): boolean {
  return state.phase === 'ended' || state.phase === 'failed';
}

function hostName(state: ViewerSessionState): string | undefined {
  return 'host' in state ? state.host?.name : undefined;
}

customElements.define('wl-remote-screen', RemoteScreen);

declare global {
  interface HTMLElementTagNameMap {
    'wl-remote-screen': RemoteScreen;
  }
}
