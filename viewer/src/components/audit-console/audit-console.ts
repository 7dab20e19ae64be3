import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { ErrorCode, type Me, type RecordingSummary } from '@wardlink/protocol';
import { AuditorKeyStore, type StoredAuditorKey } from '../../audit/AuditorKeyStore.ts';
import { keyFor, openRecordingSource, type OpenProblem, type RecordingApi, type RecordingSource } from '../../audit/source.ts';
import { errorText } from '../../localization/messages.ts';
import { consoleStyles, pageStyles, theme } from '../../ui-kit/theme.ts';
import type { KeysChangedEvent } from './key-panel.ts';
import { formatTime, hostLabel, type OpenRecordingEvent } from './recording-list.ts';
import '../../ui-kit/language-switch/language-switch.ts';
import './key-panel.ts';
import './recording-list.ts';
import '../recording-player/recording-player.ts';

/** A recording handed to the player. */
interface OpenedRecording {
  recording: RecordingSummary;
  source: RecordingSource;
  key: CryptoKey;
}

/** Why the console could not open a recording (the player reports decryption problems itself). */
type ConsoleProblem = OpenProblem | { kind: 'no_key' };

/**
 * `<wl-audit-console>`: the auditor's page (SPEC REP1-REP7). Auditors see nothing live, so it
 * opens no `/tech` socket: it shows the auditor's recording key and its approval status, the
 * recording index with filters, and, after Open, `<wl-recording-player>` with a source that
 * fetches the recording's ciphertext from the broker and this browser's private key. Fires
 * `wl-sign-out` and `wl-signed-out` (detail: the error code).
 */
export class AuditConsole extends LitElement {
  static override properties = {
    me: { attribute: false },
    keys: { state: true },
    opened: { state: true },
    opening: { state: true },
    problem: { state: true },
  };

  static override styles = [
    theme,
    pageStyles,
    consoleStyles,
    css`
      :host {
        --wl-main-width: 72rem;
      }
      .back {
        margin-bottom: 1rem;
      }
      .alert {
        margin-bottom: 1rem;
      }
    `,
  ];

  /** The signed-in auditor. */
  me: Me | undefined = undefined;
  /** Where the auditor's keys live; tests use their own database. */
  keyStore = new AuditorKeyStore();
  /** The broker calls used to open a recording; tests may replace them. */
  api: RecordingApi | undefined = undefined;
  private keys: StoredAuditorKey[] | undefined = undefined;
  private opened: OpenedRecording | undefined = undefined;
  private opening: string | undefined = undefined;
  private problem: ConsoleProblem | undefined = undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.keyStore.close();
  }

  override render() {
    const me = this.me;
    return html`
      <header>
        <span class="brand">wardlink</span>
        <p class="who">${me ? msg(str`Signed in as ${me.name} (${me.organisation})`, { id: 'console.signedInAs' }) : ''}</p>
        <wl-language-switch></wl-language-switch>
        <button class="secondary" @click=${this.onSignOut}>${msg('Sign out', { id: 'console.signOut' })}</button>
      </header>
      <main>
        ${this.opened ? this.renderPlayer(this.opened) : nothing}
        <div ?hidden=${this.opened !== undefined}>
          <h1>${msg('Recordings', { id: 'audit.title' })}</h1>
          <section aria-label=${msg('Your recording key', { id: 'audit.key.heading' })}>
            <wl-auditor-key-panel .me=${me} .keyStore=${this.keyStore} @wl-keys-changed=${this.onKeysChanged}></wl-auditor-key-panel>
          </section>
          <section aria-labelledby="list-heading">
            <h2 id="list-heading" tabindex="-1">${msg('Find a recording', { id: 'audit.list.heading' })}</h2>
            <p class=${this.problem ? 'alert' : 'alert quiet'} role="alert">${this.problem ? this.problemText(this.problem) : ''}</p>
            <p class="visually-hidden" role="status">${this.opening ? msg('Opening the recording…', { id: 'audit.opening' }) : ''}</p>
            <wl-recording-list @wl-open-recording=${this.onOpen}></wl-recording-list>
          </section>
        </div>
      </main>
    `;
  }

  private renderPlayer(opened: OpenedRecording) {
    const r = opened.recording;
    return html`
      <button type="button" class="secondary back" @click=${this.onBack}>${msg('Back to the list', { id: 'audit.back' })}</button>
      <h1 id="player-heading">
        ${msg(str`Recording of ${hostLabel(r)}, started ${formatTime(r.startedAt)}`, { id: 'audit.player.heading' })}
      </h1>
      <section aria-labelledby="player-heading">
        <wl-recording-player .source=${opened.source} .auditorKey=${opened.key}></wl-recording-player>
      </section>
    `;
  }

  private problemText(problem: ConsoleProblem): string {
    switch (problem.kind) {
      case 'no_key':
        return msg('You have no recording key in this browser yet. Create one above and ask the administrator to approve it.', {
          id: 'audit.open.noKey',
        });
      case 'no_header':
        return msg('The beginning of this recording has not reached the server yet, so it cannot be opened.', {
          id: 'audit.open.noHeader',
        });
      case 'no_host_key':
        return msg('The PC that made this recording is no longer enrolled, so its signatures cannot be checked.', {
          id: 'audit.open.noHostKey',
        });
      case 'api':
        return problem.code === ErrorCode.NOT_FOUND
          ? msg('This recording is not stored on the server.', { id: 'audit.open.notFound' })
          : errorText(problem.code);
      default: {
        const unreachable: never = problem;
        return unreachable;
      }
    }
  }

  private onKeysChanged(e: KeysChangedEvent): void {
    this.keys = e.detail;
    if (this.problem?.kind === 'no_key' && e.detail.length > 0) {
      this.problem = undefined;
    }
  }

  private async onOpen(e: OpenRecordingEvent): Promise<void> {
    if (this.opening) {
      return;
    }
    const keys = this.keys ?? (this.me ? await this.keyStore.keys(this.me.id).catch(() => []) : []);
    if (keys.length === 0) {
      this.problem = { kind: 'no_key' };
      return;
    }
    this.problem = undefined;
    this.opening = e.detail.id;
    const result = await openRecordingSource(e.detail.id, this.api);
    this.opening = undefined;
    if ('kind' in result) {
      if (result.kind === 'api' && (result.code === ErrorCode.UNAUTHENTICATED || result.code === ErrorCode.CLIENT_CERT_REQUIRED)) {
        this.dispatchEvent(new CustomEvent('wl-signed-out', { detail: result.code, bubbles: true, composed: true }));
        return;
      }
      this.problem = result;
      return;
    }
    const key = keyFor(result.source.header, keys)!;
    this.opened = { recording: result.detail.recording, source: result.source, key: key.privateKey };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('button.back')?.focus();
  }

  private async onBack(): Promise<void> {
    const id = this.opened?.recording.id;
    this.opened = undefined;
    await this.updateComplete;
    const list = this.renderRoot.querySelector('wl-recording-list');
    await list?.updateComplete;
    // Back to where the auditor was: the Open button of the recording just closed, else the list.
    const button = id ? list?.shadowRoot?.querySelector<HTMLButtonElement>(`tr[data-recording-id="${CSS.escape(id)}"] button`) : null;
    (button ?? this.renderRoot.querySelector<HTMLElement>('#list-heading'))?.focus();
  }

  private onSignOut(): void {
    this.dispatchEvent(new CustomEvent('wl-sign-out', { bubbles: true, composed: true }));
  }
}

customElements.define('wl-audit-console', AuditConsole);

declare global {
  interface HTMLElementTagNameMap {
    'wl-audit-console': AuditConsole;
  }
}
