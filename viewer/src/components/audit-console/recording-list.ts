import { LitElement, css, html, nothing } from 'lit';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { ErrorCode, RECORDINGS_PAGE_DEFAULT, type RecordingList as RecordingPage, type RecordingSummary } from '@wardlink/protocol';
import { listRecordings, type RecordingFilter } from '../../api/auditor.ts';
import { errorText } from '../../localization/messages.ts';
import { currentLocale } from '../../ui-kit/localization.ts';
import { theme } from '../../ui-kit/theme.ts';

/** Detail of `wl-open-recording`: the row the auditor chose. */
export type OpenRecordingEvent = CustomEvent<RecordingSummary>;

/**
 * `<wl-recording-list>`: the recording index for auditors (SPEC REP1, REP2): filters (start date
 * range, PC, technician, organisation, completeness) as labelled form controls, a table with one
 * Open button per recording, and paging. Host names and other index text are shown as text only.
 * Fires `wl-open-recording` (detail: the row) and `wl-signed-out` (detail: the error code).
 */
export class RecordingListView extends LitElement {
  static override properties = {
    page: { state: true },
    problem: { state: true },
    loading: { state: true },
  };

  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: 0.75rem 1rem;
        margin-bottom: 1rem;
      }
      .field {
        display: grid;
        gap: 0.25rem;
      }
      table {
        width: 100%;
        border-collapse: collapse;
      }
      caption {
        text-align: left;
        font-weight: 600;
        padding-bottom: 0.5rem;
      }
      th,
      td {
        text-align: left;
        padding: 0.5rem;
        border-bottom: 1px solid var(--wl-border);
        overflow-wrap: anywhere;
      }
      td.number {
        font-variant-numeric: tabular-nums;
      }
      .incomplete {
        color: var(--wl-danger);
        font-weight: 600;
      }
      .paging {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.75rem 1rem;
        margin-top: 1rem;
      }
      .paging p {
        margin: 0;
      }
    `,
  ];

  /** Rows per page. */
  pageSize = RECORDINGS_PAGE_DEFAULT;
  private filter: RecordingFilter = {};
  private offset = 0;
  private page: RecordingPage | undefined = undefined;
  private problem: ErrorCode | undefined = undefined;
  private loading = false;
  private requested = 0;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.page && !this.loading) {
      void this.load();
    }
  }

  /** Loads the current page again (e.g. after coming back from a recording). */
  reload(): Promise<void> {
    return this.load();
  }

  override render() {
    return html`
      ${this.renderFilters()}
      <p class=${this.problem ? 'alert' : 'alert quiet'} role="alert">${this.problem ? errorText(this.problem) : ''}</p>
      <p class="visually-hidden" role="status">${this.loading ? msg('Loading recordings…', { id: 'audit.list.loading' }) : this.pageText()}</p>
      ${this.page ? this.renderTable(this.page) : nothing}
    `;
  }

  private renderFilters() {
    const facets = this.page?.facets;
    return html`
      <form role="search" aria-label=${msg('Filter recordings', { id: 'audit.filter.label' })} @submit=${this.onFilter}>
        <div class="field">
          <label for="filter-from">${msg('Started on or after', { id: 'audit.filter.from' })}</label>
          <input id="filter-from" name="from" type="date" />
        </div>
        <div class="field">
          <label for="filter-to">${msg('Started on or before', { id: 'audit.filter.to' })}</label>
          <input id="filter-to" name="to" type="date" />
        </div>
        <div class="field">
          <label for="filter-host">${msg('PC', { id: 'audit.filter.host' })}</label>
          <select id="filter-host" name="hostId">
            <option value="">${msg('All PCs', { id: 'audit.filter.allHosts' })}</option>
            ${(facets?.hosts ?? []).map((h) => html`<option value=${h.id}>${h.name ?? h.id}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="filter-technician">${msg('Technician', { id: 'audit.filter.technician' })}</label>
          <select id="filter-technician" name="technician">
            <option value="">${msg('All technicians', { id: 'audit.filter.allTechnicians' })}</option>
            ${(facets?.technicians ?? []).map((t) => html`<option value=${t.id}>${t.name ?? t.id}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="filter-organisation">${msg('Organisation', { id: 'audit.filter.organisation' })}</label>
          <select id="filter-organisation" name="organisation">
            <option value="">${msg('All organisations', { id: 'audit.filter.allOrganisations' })}</option>
            ${(facets?.organisations ?? []).map((o) => html`<option value=${o}>${o}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="filter-complete">${msg('Completeness', { id: 'audit.filter.complete' })}</label>
          <select id="filter-complete" name="complete">
            <option value="">${msg('Complete and incomplete', { id: 'audit.filter.anyCompleteness' })}</option>
            <option value="true">${msg('Complete only', { id: 'audit.filter.completeOnly' })}</option>
            <option value="false">${msg('Incomplete only', { id: 'audit.filter.incompleteOnly' })}</option>
          </select>
        </div>
        <button type="submit" ?disabled=${this.loading}>${msg('Show recordings', { id: 'audit.filter.apply' })}</button>
        <button type="reset" class="secondary" @click=${this.onClear}>${msg('Clear filters', { id: 'audit.filter.clear' })}</button>
      </form>
    `;
  }

  private renderTable(page: RecordingPage) {
    if (page.recordings.length === 0) {
      return html`<p>${msg('No recordings match these filters.', { id: 'audit.list.empty' })}</p>`;
    }
    return html`
      <table>
        <caption>${msg('Recordings', { id: 'audit.list.caption' })}</caption>
        <thead>
          <tr>
            <th scope="col">${msg('Start', { id: 'audit.col.start' })}</th>
            <th scope="col">${msg('Duration', { id: 'audit.col.duration' })}</th>
            <th scope="col">${msg('PC', { id: 'audit.col.host' })}</th>
            <th scope="col">${msg('Technician', { id: 'audit.col.technician' })}</th>
            <th scope="col">${msg('Organisation', { id: 'audit.col.organisation' })}</th>
            <th scope="col">${msg('Size', { id: 'audit.col.size' })}</th>
            <th scope="col">${msg('Status', { id: 'audit.col.status' })}</th>
            <th scope="col"><span class="visually-hidden">${msg('Actions', { id: 'audit.col.actions' })}</span></th>
          </tr>
        </thead>
        <tbody>
          ${page.recordings.map((r) => this.renderRow(r))}
        </tbody>
      </table>
      ${this.renderPaging(page)}
    `;
  }

  private renderRow(r: RecordingSummary) {
    const host = hostLabel(r);
    const start = formatTime(r.startedAt);
    return html`
      <tr data-recording-id=${r.id}>
        <td>${start}</td>
        <td class="number">${formatDuration((r.endedAt ?? r.lastPartAt) - r.startedAt)}</td>
        <td>${host}</td>
        <td>${r.technicianName ?? r.technicianId}</td>
        <td>${r.organisation}</td>
        <td class="number">${formatSize(r.sizeBytes)}</td>
        <td class=${r.complete ? '' : 'incomplete'}>
          ${r.complete ? msg('Complete', { id: 'audit.status.complete' }) : msg('Incomplete', { id: 'audit.status.incomplete' })}
        </td>
        <td>
          <button
            type="button"
            class="secondary"
            aria-label=${msg(str`Open the recording of ${host} started ${start}`, { id: 'audit.list.openLabel' })}
            @click=${() => this.open(r)}
          >
            ${msg('Open', { id: 'audit.list.open' })}
          </button>
        </td>
      </tr>
    `;
  }

  private renderPaging(page: RecordingPage) {
    if (page.total <= page.limit && page.offset === 0) {
      return nothing;
    }
    return html`
      <nav class="paging" aria-label=${msg('Pages of recordings', { id: 'audit.paging.label' })}>
        <button type="button" class="secondary" ?disabled=${this.loading || page.offset === 0} @click=${this.onPrevious}>
          ${msg('Previous page', { id: 'audit.paging.previous' })}
        </button>
        <p>${this.pageText()}</p>
        <button type="button" class="secondary" ?disabled=${this.loading || page.offset + page.limit >= page.total} @click=${this.onNext}>
          ${msg('Next page', { id: 'audit.paging.next' })}
        </button>
      </nav>
    `;
  }

  private pageText(): string {
    const page = this.page;
    if (!page || page.recordings.length === 0) {
      // An empty list says so in the page itself.
      return '';
    }
    const first = page.offset + 1;
    const last = page.offset + page.recordings.length;
    return msg(str`Recordings ${first}–${last} of ${page.total}`, { id: 'audit.paging.range' });
  }

  private async load(): Promise<void> {
    const request = ++this.requested;
    this.loading = true;
    const result = await listRecordings({ ...this.filter, offset: this.offset, limit: this.pageSize });
    if (request !== this.requested) {
      return;
    }
    this.loading = false;
    if (result.ok) {
      this.page = result.data;
      this.problem = undefined;
      return;
    }
    if (result.error.code === ErrorCode.UNAUTHENTICATED || result.error.code === ErrorCode.CLIENT_CERT_REQUIRED) {
      this.dispatchEvent(new CustomEvent('wl-signed-out', { detail: result.error.code, bubbles: true, composed: true }));
      return;
    }
    this.problem = result.error.code;
  }

  private onFilter(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (name: string): string | undefined => {
      const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
      return field?.value ? field.value : undefined;
    };
    const complete = value('complete');
    this.filter = {
      ...optional('fromDate', value('from')),
      ...optional('toDate', value('to')),
      ...optional('hostId', value('hostId')),
      ...optional('technician', value('technician')),
      ...optional('organisation', value('organisation')),
      ...(complete === undefined ? {} : { complete: complete === 'true' }),
    };
    this.offset = 0;
    void this.load();
  }

  private onClear(): void {
    this.filter = {};
    this.offset = 0;
    void this.load();
  }

  private onPrevious(): void {
    this.offset = Math.max(0, this.offset - this.pageSize);
    void this.load();
  }

  private onNext(): void {
    this.offset += this.pageSize;
    void this.load();
  }

  private open(recording: RecordingSummary): void {
    this.dispatchEvent(new CustomEvent('wl-open-recording', { detail: recording, bubbles: true, composed: true }));
  }
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** How a recording's PC is named: its name, else its id. */
export function hostLabel(r: RecordingSummary): string {
  return r.hostName ?? r.hostId;
}

/** A start time in the page's language: date and time to the minute. */
export function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

/** Milliseconds as `h:mm:ss` (or `m:ss` under an hour). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Bytes in the largest unit that keeps the number at least 1 (kB, MB, GB; decimal). */
export function formatSize(bytes: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return new Intl.NumberFormat(currentLocale(), { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

customElements.define('wl-recording-list', RecordingListView);

declare global {
  interface HTMLElementTagNameMap {
    'wl-recording-list': RecordingListView;
  }
}
