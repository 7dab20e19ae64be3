import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { ErrorCode, type AuditorKeyInfo, type Me } from '@wardlink/protocol';
import { generateAuditorKeyPair, type AuditorKeyPair } from '@wardlink/recordings';
import { auditorKeys, registerAuditorKey } from '../../api/auditor.ts';
import { AuditorKeyStore, type StoredAuditorKey } from '../../audit/AuditorKeyStore.ts';
import { errorText } from '../../localization/messages.ts';
import { theme } from '../../ui-kit/theme.ts';

/** Detail of `wl-keys-changed`: this browser's keys of the signed-in auditor, newest (current) first. */
export type KeysChangedEvent = CustomEvent<StoredAuditorKey[]>;

/** Something that went wrong in this browser rather than at the broker. */
type LocalProblem = 'unsupported' | 'storage' | 'bad_label';

/**
 * `<wl-auditor-key-panel>`: the auditor's recording key (SPEC POL1, REP6). On first use it makes an
 * X25519 key pair in this browser (private half non-extractable), keeps it in IndexedDB, registers
 * the public half with the broker and shows whether the administrator has approved it. "Make a new
 * key" asks for confirmation first: recordings sealed to the old key need the old key (it stays in
 * this browser). Fires `wl-keys-changed` and, when the broker no longer knows the sign-in,
 * `wl-signed-out` (detail: the error code).
 */
export class AuditorKeyPanel extends LitElement {
  static override properties = {
    me: { attribute: false },
    stored: { state: true },
    registered: { state: true },
    problem: { state: true },
    busy: { state: true },
    confirming: { state: true },
  };

  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      h2 {
        margin: 0 0 0.75rem;
        font-size: 1.25rem;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.25rem 1rem;
        margin: 0 0 0.75rem;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      code {
        font-family: ui-monospace, 'DejaVu Sans Mono', monospace;
      }
      .status {
        margin: 0 0 0.75rem;
        padding: 0.75rem 1rem;
        border-left: 6px solid var(--wl-off);
        background: var(--wl-bg);
      }
      .status.approved {
        border-left-color: var(--wl-ok);
      }
      .status.revoked {
        border-left-color: var(--wl-danger);
      }
      form,
      .actions {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: 0.75rem 1rem;
        margin-top: 0.75rem;
      }
      .field {
        display: grid;
        gap: 0.25rem;
      }
      .field input {
        min-width: 18rem;
      }
      .warning {
        margin: 0.75rem 0 0;
        padding: 0.75rem 1rem;
        border-left: 6px solid #8a5a00;
        background: #fff4d6;
      }
    `,
  ];

  /** The signed-in auditor. */
  me: Me | undefined = undefined;
  /** Where the keys live; tests use their own database. */
  keyStore = new AuditorKeyStore();
  /** Makes a key pair; the recordings library's non-extractable X25519 by default. */
  generate: () => Promise<AuditorKeyPair> = generateAuditorKeyPair;
  private stored: StoredAuditorKey[] | undefined = undefined;
  private registered: AuditorKeyInfo[] | undefined = undefined;
  private problem: ErrorCode | LocalProblem | undefined = undefined;
  private busy = false;
  private confirming = false;
  private loadedFor: string | undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override willUpdate(): void {
    if (this.me && this.me.id !== this.loadedFor) {
      this.loadedFor = this.me.id;
      void this.load(this.me.id);
    }
  }

  override render() {
    return html`
      <h2 id="key-heading">${msg('Your recording key', { id: 'audit.key.heading' })}</h2>
      ${this.stored === undefined ? html`<p role="status">${msg('Loading…', { id: 'app.loading' })}</p>` : this.renderKey(this.stored[0])}
      <p class=${this.problem ? 'alert' : 'alert quiet'} role="alert">${this.problem ? this.problemText(this.problem) : ''}</p>
    `;
  }

  private renderKey(current: StoredAuditorKey | undefined) {
    if (!current) {
      return html`
        <p>
          ${msg('There is no recording key in this browser yet. Recordings can only be opened with a key made here and approved by the administrator.', {
            id: 'audit.key.none',
          })}
        </p>
        ${this.renderLabelForm(msg('Create a recording key', { id: 'audit.key.create' }))}
      `;
    }
    const info = this.registered?.find((k) => k.keyId === current.keyId);
    return html`
      <dl>
        <dt>${msg('Key id', { id: 'audit.key.id' })}</dt>
        <dd><code>${current.keyId}</code></dd>
        <dt>${msg('Key name', { id: 'audit.key.label' })}</dt>
        <dd>${current.label}</dd>
      </dl>
      ${this.renderStatus(current, info)}
      ${this.confirming
        ? html`
            <p class="warning" id="new-key-warning">
              ${msg(
                'Recordings sealed to your current key can only be opened with that key. It stays in this browser, but if the browser data is cleared they cannot be opened any more. The new key must be approved by the administrator before new recordings are sealed to it.',
                { id: 'audit.key.newWarning' },
              )}
            </p>
            ${this.renderLabelForm(msg('Make the new key', { id: 'audit.key.confirmNew' }), true)}
          `
        : html`<div class="actions">
            <button type="button" class="secondary" ?disabled=${this.busy} @click=${this.onAskNewKey}>
              ${msg('Make a new key…', { id: 'audit.key.new' })}
            </button>
          </div>`}
    `;
  }

  private renderStatus(current: StoredAuditorKey, info: AuditorKeyInfo | undefined) {
    if (this.registered === undefined) {
      return nothing;
    }
    if (!info) {
      return html`
        <p class="status" role="status">
          ${msg('Not registered with the server yet.', { id: 'audit.key.unregistered' })}
        </p>
        <div class="actions">
          <button type="button" ?disabled=${this.busy} @click=${() => this.register(current)}>
            ${msg('Register the key', { id: 'audit.key.register' })}
          </button>
        </div>
      `;
    }
    switch (info.status) {
      case 'pending':
        return html`<p class="status pending" role="status">
          ${msg(str`Waiting for the administrator's approval — run wardlink policy approve ${info.keyId}`, { id: 'audit.key.pending' })}
        </p>`;
      case 'approved':
        return html`<p class="status approved" role="status">
          ${msg('Approved: new recordings are sealed to this key.', { id: 'audit.key.approved' })}
        </p>`;
      case 'revoked':
        return html`<p class="status revoked" role="status">
          ${msg('Revoked: new recordings are no longer sealed to this key. Make a new key.', { id: 'audit.key.revoked' })}
        </p>`;
      default: {
        const unreachable: never = info.status;
        return unreachable;
      }
    }
  }

  private renderLabelForm(submitText: string, withCancel = false) {
    return html`
      <form @submit=${this.onCreate} novalidate>
        <div class="field">
          <label for="key-label">${msg('Key name (shown to the administrator)', { id: 'audit.key.labelInput' })}</label>
          <input id="key-label" name="label" maxlength="64" autocomplete="off" .value=${defaultLabel()} />
        </div>
        <button type="submit" class=${withCancel ? 'danger' : ''} ?disabled=${this.busy}>${submitText}</button>
        ${withCancel
          ? html`<button type="button" class="secondary" @click=${this.onCancelNewKey}>${msg('Cancel', { id: 'audit.cancel' })}</button>`
          : nothing}
      </form>
    `;
  }

  private problemText(problem: ErrorCode | LocalProblem): string {
    switch (problem) {
      case 'unsupported':
        return msg('This browser cannot make recording keys (X25519 in WebCrypto). Use a current Chromium or Chrome.', {
          id: 'audit.key.unsupported',
        });
      case 'storage':
        return msg('This browser could not store the key (IndexedDB). Check that site data is allowed and not in private mode.', {
          id: 'audit.key.storage',
        });
      case 'bad_label':
        return msg('Enter a key name of up to 64 characters.', { id: 'audit.key.badLabel' });
      default:
        return errorText(problem);
    }
  }

  private async load(userId: string): Promise<void> {
    try {
      this.setStored(await this.keyStore.keys(userId));
    } catch {
      this.stored = [];
      this.problem = 'storage';
    }
    await this.refreshRegistered();
  }

  private setStored(keys: StoredAuditorKey[]): void {
    this.stored = keys;
    this.dispatchEvent(new CustomEvent('wl-keys-changed', { detail: keys, bubbles: true, composed: true }));
  }

  private async refreshRegistered(): Promise<void> {
    const result = await auditorKeys();
    if (result.ok) {
      this.registered = result.data;
      return;
    }
    if (!this.signedOut(result.error.code)) {
      this.problem = result.error.code;
    }
  }

  private onAskNewKey(): void {
    this.confirming = true;
  }

  private onCancelNewKey(): void {
    this.confirming = false;
  }

  private async onCreate(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const me = this.me;
    if (this.busy || !me) {
      return;
    }
    const input = this.renderRoot.querySelector<HTMLInputElement>('#key-label')!;
    const label = input.value.trim();
    if (!label || label.length > 64 || /\p{Cc}/u.test(label)) {
      this.problem = 'bad_label';
      input.focus();
      return;
    }
    this.busy = true;
    this.problem = undefined;
    try {
      const key = await this.makeKey(me.id, label);
      if (key) {
        this.confirming = false;
        await this.register(key);
      }
    } finally {
      this.busy = false;
    }
  }

  /** Makes and stores a key pair; undefined (with the problem shown) when this browser cannot. */
  private async makeKey(userId: string, label: string): Promise<StoredAuditorKey | undefined> {
    let pair: AuditorKeyPair;
    try {
      pair = await this.generate();
    } catch {
      this.problem = 'unsupported';
      return undefined;
    }
    const key: StoredAuditorKey = {
      keyId: pair.keyId,
      userId,
      label,
      createdAt: Date.now(),
      rawPublicKey: pair.rawPublicKey,
      privateKey: pair.privateKey,
      publicKey: pair.publicKey,
    };
    try {
      await this.keyStore.add(key);
      this.setStored(await this.keyStore.keys(userId));
    } catch {
      this.problem = 'storage';
      return undefined;
    }
    return key;
  }

  private async register(key: StoredAuditorKey): Promise<void> {
    this.busy = true;
    const result = await registerAuditorKey(key.rawPublicKey, key.label);
    this.busy = false;
    if (!result.ok) {
      if (!this.signedOut(result.error.code)) {
        this.problem = result.error.code;
      }
      return;
    }
    this.problem = undefined;
    await this.refreshRegistered();
  }

  /** Hands over to sign-in when the broker no longer knows this sign-in. */
  private signedOut(code: ErrorCode): boolean {
    if (code !== ErrorCode.UNAUTHENTICATED && code !== ErrorCode.CLIENT_CERT_REQUIRED) {
      return false;
    }
    this.dispatchEvent(new CustomEvent('wl-signed-out', { detail: code, bubbles: true, composed: true }));
    return true;
  }
}

/** A key name the auditor may keep: the browser and today's date, e.g. `Chrome 2025-04-01`. */
export function defaultLabel(userAgent: string = navigator.userAgent, now: Date = new Date()): string {
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chromium'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'Browser';
  const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  return `${browser} ${day}`;
}

customElements.define('wl-auditor-key-panel', AuditorKeyPanel);

declare global {
  interface HTMLElementTagNameMap {
    'wl-auditor-key-panel': AuditorKeyPanel;
  }
}
