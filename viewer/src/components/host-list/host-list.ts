import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import type { HostSummary } from '@wardlink/protocol';
import { theme } from '../../ui-kit/theme.ts';

/**
 * `<wl-host-list>`: the registered PCs and whether each is online. Host
 * names come from the hosts themselves and are hostile: they are rendered
 * as text bindings only.
 */
export class HostList extends LitElement {
  static override properties = { hosts: { attribute: false } };

  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        background: var(--wl-surface);
      }
      th,
      td {
        text-align: left;
        padding: 0.625rem 0.75rem;
        border-bottom: 1px solid var(--wl-border);
      }
      th {
        font-size: 0.9375rem;
        color: var(--wl-muted);
      }
      td.name {
        overflow-wrap: anywhere;
      }
      .status {
        display: inline-flex;
        align-items: center;
        gap: 0.5rem;
        font-weight: 600;
      }
      .dot {
        width: 0.75rem;
        height: 0.75rem;
        border-radius: 50%;
        border: 2px solid currentColor;
      }
      .online {
        color: var(--wl-ok);
      }
      .online .dot {
        background: currentColor;
      }
      .offline {
        color: var(--wl-off);
      }
      .empty {
        color: var(--wl-muted);
      }
    `,
  ];

  /** The hosts to show; `undefined` while the list is loading. */
  hosts: readonly HostSummary[] | undefined = undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    if (this.hosts === undefined) {
      return html`<p class="empty">${msg('Loading the list of PCs…', { id: 'hosts.loading' })}</p>`;
    }
    if (this.hosts.length === 0) {
      return html`<p class="empty">${msg('No PCs are registered.', { id: 'hosts.empty' })}</p>`;
    }
    return html`
      <table>
        <caption class="visually-hidden">${msg('PCs and their status', { id: 'hosts.caption' })}</caption>
        <thead>
          <tr>
            <th scope="col">${msg('PC name', { id: 'hosts.name' })}</th>
            <th scope="col">${msg('Status', { id: 'hosts.status' })}</th>
          </tr>
        </thead>
        <tbody>
          ${repeat(
            this.hosts,
            (host) => host.id,
            (host) => html`
              <tr>
                <td class="name">${host.name}</td>
                <td>
                  <span class="status ${host.online ? 'online' : 'offline'}">
                    <span class="dot" aria-hidden="true"></span>
                    ${host.online ? msg('Online', { id: 'hosts.online' }) : msg('Offline', { id: 'hosts.offline' })}
                  </span>
                </td>
              </tr>
            `,
          )}
        </tbody>
      </table>
    `;
  }
}

customElements.define('wl-host-list', HostList);

declare global {
  interface HTMLElementTagNameMap {
    'wl-host-list': HostList;
  }
}
