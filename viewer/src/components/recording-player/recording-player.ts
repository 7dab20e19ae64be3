import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { PlayerAuditorKey } from '../../replay/auditorKey.ts';
import type { PlayerError } from '../../replay/errors.ts';
import { viewEvent } from '../../replay/events.ts';
import type { LoadedRecording } from '../../replay/loadRecording.ts';
import { ReplayController, SPEEDS, type PlaybackSpeed } from '../../replay/ReplayController.ts';
import { SearchIndex, type SearchHit } from '../../replay/search.ts';
import { formatTime } from '../../replay/timeFormat.ts';
import { pageClock, type IntegrityStatus, type PlayerClockSource, type RecordingSource } from '../../replay/types.ts';
import { theme } from '../../ui-kit/theme.ts';
import { recordingPlayerStyles } from './recording-player.styles.ts';
import { errorText, eventText, hitCountText, hitKindText, playableNote, statusText } from './text.ts';

/** Slices of the activity strip. */
const STRIP_BUCKETS = 120;
/** Most event markers drawn on the strip (the list holds them all). */
const MAX_MARKERS = 400;
/** Event types that are input (shown as activity, not as markers). */
const INPUT_TYPES = new Set(['input:text', 'input:key', 'input:click']);

/**
 * `<wl-recording-player>`: plays one session recording in the auditor's browser. Set `source`
 * and `auditorKey` (a non-extractable X25519 private key) and it fetches and verifies every
 * segment (showing progress), then decrypts in the page and plays the verified part with
 * WebCodecs. Controls: play/pause, position slider, speed, idle-skip, an activity strip, the
 * event list and a search over typed text, file names, window titles, chat and prints.
 *
 * Events: `wl-player-status` (detail: {@link IntegrityStatus}), `wl-player-time` (detail:
 * milliseconds since the recording start).
 */
export class RecordingPlayer extends LitElement {
  static override properties = {
    source: { attribute: false },
    auditorKey: { attribute: false },
    clock: { attribute: false },
    speed: { type: Number },
    idleSkip: { type: Boolean, attribute: 'idle-skip' },
    query: { state: true },
  };

  static override styles = [theme, recordingPlayerStyles];

  /** The recording to play. */
  source: RecordingSource | undefined = undefined;
  /** The auditor's X25519 private key (a key pair or raw key with its id are accepted too). */
  auditorKey: PlayerAuditorKey | undefined = undefined;
  /** Where playback time comes from; tests inject a manual clock. */
  clock: PlayerClockSource = pageClock;
  /** Playback speed: 1, 2, 4, 8 or 16 times real time. */
  speed: PlaybackSpeed = 1;
  /** Jump over stretches of more than ~2 s without frames or events. */
  idleSkip = false;
  private query = '';
  private controller: ReplayController | undefined;
  private searchIndex: { recording: LoadedRecording; index: SearchIndex; query: string; hits: SearchHit[] } | undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  /** Moves playback to `ms` (milliseconds since the start) and paints the frame on screen there. */
  seek(ms: number): Promise<void> {
    return this.controller?.seek(ms) ?? Promise.resolve();
  }

  /** Starts playing. */
  play(): void {
    this.controller?.play();
  }

  /** Pauses. */
  pause(): void {
    this.controller?.pause();
  }

  /** Milliseconds since the recording start. */
  get currentTime(): number {
    return this.controller?.positionMs ?? 0;
  }

  /** The integrity status (undefined before a recording is set). */
  get status(): IntegrityStatus | undefined {
    return this.controller?.status;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.controller?.close();
    this.controller = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && !this.controller) this.start();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('speed') && !SPEEDS.includes(this.speed)) this.speed = 1;
    if (changed.has('source') || changed.has('auditorKey')) this.start();
    if (this.controller) {
      if (this.controller.speed !== this.speed) this.controller.speed = this.speed;
      this.controller.idleSkip = this.idleSkip;
    }
  }

  private start(): void {
    this.controller?.close();
    this.controller = undefined;
    this.query = '';
    if (!this.source || !this.auditorKey) return;
    const controller = new ReplayController({
      source: this.source,
      key: this.auditorKey,
      clock: this.clock,
      paint: (image) => this.paint(image),
      onChange: () => this.requestUpdate(),
      onStatus: (status) => this.fire('wl-player-status', status),
      onTime: (ms) => this.fire('wl-player-time', ms),
      onError: () => this.requestUpdate(),
    });
    controller.speed = this.speed;
    controller.idleSkip = this.idleSkip;
    this.controller = controller;
    void controller.load();
  }

  private fire(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  private paint(image: CanvasImageSource | undefined): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const video = this.controller?.recording?.info.video;
    if (!canvas || !video) return;
    if (canvas.width !== video.width || canvas.height !== video.height) {
      canvas.width = video.width;
      canvas.height = video.height;
    }
    const context = canvas.getContext('2d');
    if (!context) return;
    if (image) {
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
    } else {
      context.fillStyle = '#000';
      context.fillRect(0, 0, canvas.width, canvas.height);
    }
  }

  override render() {
    const c = this.controller;
    const recording = c?.recording;
    const status = c?.status;
    const ready = c?.phase === 'ready';
    const duration = c?.durationMs ?? 0;
    const position = c?.positionMs ?? 0;
    return html`
      <p id="integrity" role="status" class="status ${status?.state ?? ''}">${statusText(status)}</p>
      ${status?.state === 'tampered' ? html`<p class="note">${playableNote(status.playableEndMs)}</p>` : nothing}
      <p role="alert" class=${c?.error ? 'alert' : 'alert quiet'}>${c?.error ? this.errorMessage(c.error) : ''}</p>
      <div class="screen">
        <canvas role="img" aria-label=${msg('Recording playback', { id: 'player.canvas' })} width="1024" height="768"></canvas>
      </div>
      <div class="controls">
        <button id="play" ?disabled=${!ready} @click=${this.onPlay}>
          ${c?.playing ? msg('Pause', { id: 'player.pause' }) : msg('Play', { id: 'player.play' })}
        </button>
        <input
          id="position"
          type="range"
          aria-label=${msg('Position', { id: 'player.position' })}
          aria-valuetext=${formatTime(position)}
          min="0"
          max=${duration}
          step="1000"
          .value=${String(position)}
          ?disabled=${!ready}
          @input=${this.onSlider}
        />
        <span class="time">${formatTime(position)} / ${formatTime(duration)}</span>
        <label>
          ${msg('Speed', { id: 'player.speed' })}
          <select id="speed" .value=${String(this.speed)} @change=${this.onSpeed}>
            ${SPEEDS.map((s) => html`<option value=${s} ?selected=${s === this.speed}>${s}x</option>`)}
          </select>
        </label>
        <label>
          <input id="idle-skip" type="checkbox" .checked=${this.idleSkip} @change=${this.onIdleSkip} />
          ${msg('Skip idle', { id: 'player.idleSkip' })}
        </label>
      </div>
      ${recording ? this.renderStrip(recording, position) : nothing}
      ${recording ? this.renderPanes(recording) : nothing}
    `;
  }

  private errorMessage(error: PlayerError): string {
    return errorText(error, this.controller?.recording?.info.video.codec ?? '');
  }

  private renderStrip(recording: LoadedRecording, position: number) {
    const duration = recording.durationMs || 1;
    return html`
      <div class="strip" aria-hidden="true" @click=${this.onStrip}>
        ${guard([recording], () => {
          const counts = recording.activity.density(recording.durationMs, STRIP_BUCKETS);
          const max = Math.max(1, ...counts);
          const markers = recording.events.filter((e) => !INPUT_TYPES.has(e.type)).slice(0, MAX_MARKERS);
          return html`${counts.map((n) => html`<span class="bar" style="height: ${n ? Math.max(8, (n / max) * 100) : 0}%"></span>`)}
          ${markers.map((e) => html`<span class="marker" style="left: ${(e.t / duration) * 100}%"></span>`)}`;
        })}
        <span class="playhead" style="left: ${(position / duration) * 100}%"></span>
      </div>
    `;
  }

  private renderPanes(recording: LoadedRecording) {
    const hits = this.hits(recording);
    return html`
      <div class="panes">
        <section aria-labelledby="search-heading">
          <h2 id="search-heading">${msg('Search', { id: 'player.searchHeading' })}</h2>
          <input
            id="search"
            type="search"
            aria-label=${msg('Search the recording', { id: 'player.search' })}
            .value=${this.query}
            @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}
          />
          <p id="hit-count" role="status">${hitCountText(hits.length, this.query)}</p>
          <ul aria-label=${msg('Search results', { id: 'player.hits' })}>
            ${hits.map(
              (h) => html`<li>
                <button class="hit" @click=${() => this.seek(h.seekMs)}>
                  <span class="at">${formatTime(h.t)}</span>${hitKindText(h.kind)}: ${h.snippet}
                </button>
              </li>`,
            )}
          </ul>
        </section>
        <section aria-labelledby="events-heading">
          <h2 id="events-heading">${msg(str`Events (${recording.events.length})`, { id: 'player.eventsHeading' })}</h2>
          ${guard(
            [recording],
            () => html`<ol aria-labelledby="events-heading">
              ${recording.events.map(
                (e) => html`<li>
                  <button class="event" data-type=${e.type} @click=${() => this.seek(e.t)}>
                    <span class="at">${formatTime(e.t)}</span>${eventText(viewEvent(e))}
                  </button>
                </li>`,
              )}
            </ol>`,
          )}
        </section>
      </div>
    `;
  }

  private hits(recording: LoadedRecording): SearchHit[] {
    // Rendering runs on every clock tick while playing: search again only when the query changes.
    let memo = this.searchIndex;
    if (memo?.recording !== recording) {
      memo = { recording, index: new SearchIndex(recording.events, recording.frames.frameTimes), query: '', hits: [] };
      this.searchIndex = memo;
    }
    if (memo.query !== this.query) {
      memo.query = this.query;
      memo.hits = memo.index.search(this.query, recording.durationMs);
    }
    return memo.hits;
  }

  private onPlay(): void {
    if (this.controller?.playing) this.pause();
    else this.play();
  }

  private onSlider(e: Event): void {
    void this.seek(Number((e.target as HTMLInputElement).value));
  }

  private onSpeed(e: Event): void {
    const value = Number((e.target as HTMLSelectElement).value);
    this.speed = (SPEEDS as readonly number[]).includes(value) ? (value as PlaybackSpeed) : 1;
  }

  private onIdleSkip(e: Event): void {
    this.idleSkip = (e.target as HTMLInputElement).checked;
  }

  private onStrip(e: MouseEvent): void {
    const strip = e.currentTarget as HTMLElement;
    const box = strip.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (e.clientX - box.left) / box.width));
    void this.seek(fraction * (this.controller?.durationMs ?? 0));
  }
}

customElements.define('wl-recording-player', RecordingPlayer);

declare global {
  interface HTMLElementTagNameMap {
    'wl-recording-player': RecordingPlayer;
  }
}
