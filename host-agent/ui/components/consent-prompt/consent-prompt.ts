import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { ConsentDecision, Permission, WardTechnician } from '@wardlink/protocol';
import { theme } from '@wardlink/viewer/ui-kit';
import { permissionText, recordingText } from '../../localization/messages.ts';
import { inPicklistOrder } from '../../permissions.ts';
import { consentPromptStyles } from './consent-prompt.styles.ts';

/** Detail of the `wl-consent` event: the ward user's answer, ready for `POST /api/consent`. */
export type ConsentEvent = CustomEvent<ConsentDecision>;

/**
 * `<wl-consent-prompt>`: asks the ward user whether a technician whose PIN
 * was accepted may connect (docs/SPEC.md CON2). Says who, from where, what
 * they ask to do (one checkbox per permission, all ticked), and whether the
 * session is recorded. The ward user may untick permissions but not add any;
 * "Use your mouse and keyboard" needs "See your screen", and Allow needs at
 * least one tick. Fires `wl-consent`.
 *
 * The prompt interrupts whatever the ward user was doing, so it takes
 * keyboard focus (its heading) when it appears; it is an `alertdialog`
 * named by that heading and described by who is asking.
 */
export class ConsentPrompt extends LitElement {
  static override properties = {
    technician: { attribute: false },
    requested: { attribute: false },
    recording: { attribute: false },
    busy: { type: Boolean },
    ticked: { state: true },
  };

  static override styles = [theme, consentPromptStyles];

  /** Who asks; host-supplied text, rendered as text only. */
  technician: WardTechnician | undefined = undefined;
  /** What the technician asks to do. A new list resets the ticks. */
  requested: readonly Permission[] = [];
  /** Whether the session will be recorded; nothing is said when unknown. */
  recording: boolean | undefined = undefined;
  /** Disables both buttons while an answer is on its way. */
  busy = false;
  /** What the ward user has ticked. Replaced, never mutated, so that lit sees the change. */
  private ticked: ReadonlySet<Permission> = new Set();
  /** The request the ticks belong to, in canonical order. */
  private shown: readonly Permission[] = [];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('requested')) {
      const next = inPicklistOrder(this.requested);
      // The agent re-sends the same request with every state change: keep the ward user's ticks then.
      if (next.join() !== this.shown.join()) {
        this.shown = next;
        this.ticked = new Set(next.filter((p) => p !== 'control' || next.includes('view')));
      }
    }
  }

  protected override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  override render() {
    const t = this.technician;
    const noneTicked = this.ticked.size === 0;
    return html`
      <section role="alertdialog" aria-labelledby="consent-heading" aria-describedby="consent-who">
        <h2 id="consent-heading" tabindex="-1">
          ${msg('Allow this technician to connect?', { id: 'ward.consent.heading' })}
        </h2>
        <dl id="consent-who" class="who">
          <div>
            <dt>${msg('Technician', { id: 'ward.consent.technician' })}</dt>
            <dd>${t?.name ?? ''}</dd>
          </div>
          <div>
            <dt>${msg('Organisation', { id: 'ward.consent.organisation' })}</dt>
            <dd>${t?.organisation ?? ''}</dd>
          </div>
          <div>
            <dt>${msg('Connecting from', { id: 'ward.consent.from' })}</dt>
            <dd>${t?.from ?? ''}</dd>
          </div>
        </dl>
        <fieldset aria-describedby="untick-hint">
          <legend>${msg('The technician asks to:', { id: 'ward.consent.asks' })}</legend>
          <p class="hint" id="untick-hint">
            ${msg('Untick anything you do not want to allow.', { id: 'ward.consent.untick' })}
          </p>
          ${this.shown.map((p) => this.checkbox(p))}
        </fieldset>
        ${this.recording === undefined
          ? nothing
          : html`<p class=${this.recording ? 'recording on' : 'recording'}>${recordingText(this.recording)}</p>`}
        <p class="hint" id="none-ticked" role="status">
          ${noneTicked ? msg('Tick at least one thing to allow, or press Decline.', { id: 'ward.consent.noneTicked' }) : ''}
        </p>
        <div class="actions">
          <button class="big" ?disabled=${this.busy || noneTicked} @click=${this.onAllow}>
            ${msg('Allow', { id: 'ward.consent.allow' })}
          </button>
          <button class="big secondary" ?disabled=${this.busy} @click=${this.onDecline}>
            ${msg('Decline', { id: 'ward.consent.decline' })}
          </button>
        </div>
      </section>
    `;
  }

  private checkbox(permission: Permission) {
    const blocked = permission === 'control' && !this.ticked.has('view');
    return html`
      <label class="permission">
        <input
          type="checkbox"
          name="permission"
          .value=${permission}
          .checked=${live(this.ticked.has(permission))}
          ?disabled=${blocked}
          aria-describedby=${blocked ? 'control-needs-view' : nothing}
          @change=${(e: Event) => this.onToggle(permission, (e.target as HTMLInputElement).checked)}
        />
        <span>${permissionText(permission)}</span>
      </label>
      ${blocked
        ? html`<p class="needs" id="control-needs-view">
            ${msg(str`Needs “${permissionText('view')}”.`, { id: 'ward.consent.needsView' })}
          </p>`
        : nothing}
    `;
  }

  private onToggle(permission: Permission, on: boolean): void {
    const next = new Set(this.ticked);
    if (on) {
      next.add(permission);
    } else {
      next.delete(permission);
      // The agent refuses control without the screen (CON2).
      if (permission === 'view') {
        next.delete('control');
      }
    }
    this.ticked = next;
  }

  private onAllow(): void {
    if (this.busy || this.ticked.size === 0) {
      return;
    }
    this.answer({ accept: true, permissions: this.shown.filter((p) => this.ticked.has(p)) });
  }

  private onDecline(): void {
    if (!this.busy) {
      this.answer({ accept: false, permissions: [] });
    }
  }

  private answer(decision: ConsentDecision): void {
    this.dispatchEvent(new CustomEvent('wl-consent', { detail: decision, bubbles: true, composed: true }));
  }
}

customElements.define('wl-consent-prompt', ConsentPrompt);

declare global {
  interface HTMLElementTagNameMap {
    'wl-consent-prompt': ConsentPrompt;
  }
  interface HTMLElementEventMap {
    'wl-consent': ConsentEvent;
  }
}
