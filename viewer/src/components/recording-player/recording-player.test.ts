// <wl-recording-player> with real recordings made in the page: WebCodecs-encoded frames (AV1, or
// VP9 where AV1 cannot be encoded), sealed with the recording format (FORMAT.md REC19-REC21).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { TimelineEvent } from '@wardlink/recordings';
import type { IntegrityStatus, RecordingSource } from '../../replay/types.ts';
import { ManualClock } from '../../replay/testing/ManualClock.ts';
import { makeVideoRecording, memorySource, type VideoRecording } from '../../replay/testing/videoRecording.ts';
import './recording-player.ts';
import type { RecordingPlayer } from './recording-player.ts';

/** Colours of the scenes, as RGB. */
const RED = [255, 0, 0];
const GREEN = [0, 160, 0];
const BLUE = [0, 0, 255];
const YELLOW = [255, 255, 0];
const MAGENTA = [255, 0, 255];
const CYAN = [0, 255, 255];

const EVENTS: TimelineEvent[] = [
  { t: 0, type: 'session:start', data: { technician: { id: 'tech-0001', name: 'Hanako Yamada', organisation: 'MIS KK' }, permissions: ['view', 'control'] } },
  { t: 100, type: 'consent', data: { decision: 'allowed', permissions: ['view', 'control'] } },
  { t: 11_800, type: 'input:text', data: { text: 'zebra' } },
  { t: 20_000, type: 'input:key', data: { key: 'Enter' } },
  { t: 21_000, type: 'input:click', data: { x: 10, y: 20, button: 0 } },
  { t: 26_000, type: 'input:text', data: { text: 'hello wor' } },
  { t: 26_900, type: 'input:text', data: { text: 'ld again' } },
  { t: 30_000, type: 'x-vendor:custom', data: { gauge: 7, note: 'kept' } },
  { t: 40_000, type: 'window', data: { title: 'Radiology Viewer' } },
  { t: 59_000, type: 'session:end', data: { reason: 'ended' } },
];

/**
 * One minute in six 10-second segments; key frames only at 0 and 25 s, so a seek into segment 1
 * walks back to segment 0. Nothing happens between 30 s and 40 s, nor between 40 s and 50 s.
 */
const STANDARD = {
  durationMs: 60_000,
  scenes: [
    { t: 0, color: 'rgb(255,0,0)' },
    { t: 3000, color: 'rgb(0,160,0)' },
    { t: 12_000, color: 'rgb(0,0,255)', word: 'ZEBRA' },
    { t: 25_000, color: 'rgb(255,255,0)', key: true },
    { t: 27_000, color: 'rgb(255,0,255)', word: 'world' },
    { t: 50_000, color: 'rgb(0,255,255)' },
  ],
  events: EVENTS,
};

let standard: Promise<VideoRecording> | undefined;
/** The standard recording, made once for the file (its parts are never changed in place). */
function recording(): Promise<VideoRecording> {
  standard ??= makeVideoRecording(STANDARD);
  return standard;
}

async function player(source: RecordingSource, key: CryptoKey, clock = new ManualClock()): Promise<RecordingPlayer> {
  return fixture<RecordingPlayer>(html`<wl-recording-player .clock=${clock} .source=${source} .auditorKey=${key}></wl-recording-player>`);
}

/** A player on `rec` that has finished loading (status other than checking). */
async function loaded(rec: VideoRecording, source: RecordingSource = memorySource(rec), clock = new ManualClock()): Promise<RecordingPlayer> {
  const el = await player(source, rec.auditor.privateKey, clock);
  await waitUntil(() => el.status && el.status.state !== 'checking', 'the player never finished loading', { timeout: 15_000 });
  await el.updateComplete;
  return el;
}

function part<T extends Element>(el: RecordingPlayer, selector: string): T {
  return el.shadowRoot!.querySelector<T>(selector)!;
}

const text = (el: RecordingPlayer, selector: string): string => part(el, selector).textContent!.replace(/\s+/g, ' ').trim();

/** The colour in the top-left area of the painted frame. */
function pixel(el: RecordingPlayer): number[] {
  const canvas = part<HTMLCanvasElement>(el, 'canvas');
  return [...canvas.getContext('2d')!.getImageData(16, 16, 1, 1).data];
}

function near(actual: number[], expected: number[]): boolean {
  return actual[3] === 255 && expected.every((v, i) => Math.abs(actual[i]! - v) < 48);
}

async function paints(el: RecordingPlayer, colour: number[], what: string): Promise<void> {
  await waitUntil(() => near(pixel(el), colour), `${what}: the canvas shows ${pixel(el).join(',')}`, { timeout: 5000 });
}

async function search(el: RecordingPlayer, query: string): Promise<HTMLButtonElement[]> {
  const box = part<HTMLInputElement>(el, 'input[type=search]');
  box.value = query;
  box.dispatchEvent(new Event('input'));
  await el.updateComplete;
  return [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.hit')];
}

describe('wl-recording-player', () => {
  it('REC20: verifies every segment before playing and says "Verified"', async () => {
    const rec = await recording();
    const source = memorySource(rec);
    const statuses: IntegrityStatus[] = [];
    const el = await player(source, rec.auditor.privateKey);
    el.addEventListener('wl-player-status', (e) => statuses.push((e as CustomEvent<IntegrityStatus>).detail));
    await waitUntil(() => el.status?.state === 'verified', 'never verified', { timeout: 15_000 });
    await el.updateComplete;
    expect(text(el, '#integrity')).to.equal('Verified');
    expect(new Set(source.fetched)).to.deep.equal(new Set([0, 1, 2, 3, 4, 5]));
    expect(statuses.at(-1)).to.deep.equal({ state: 'verified' });
    expect(statuses.some((s) => s.state === 'checking' && s.checked === 6 && s.total === 6)).to.equal(true);
    expect(text(el, '.time')).to.equal('00:00 / 01:00');
    await paints(el, RED, 'the first frame');
  });

  it('shows "Checking segment n of N" while it fetches', async () => {
    const rec = await recording();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const source = memorySource(rec, {
      fetchSegment: async (i) => {
        if (i >= 2) await gate;
        return rec.segments[i]!;
      },
    });
    const el = await player(source, rec.auditor.privateKey);
    await waitUntil(() => text(el, '#integrity') === 'Checking segment 2 of 6', `status: ${text(el, '#integrity')}`);
    expect(part(el, '#integrity').getAttribute('role')).to.equal('status');
    release();
    await waitUntil(() => el.status?.state === 'verified');
  });

  it('is accessible, and names its canvas and controls', async () => {
    const el = await loaded(await recording());
    await expect(el).to.be.accessible();
    expect(part(el, 'canvas').getAttribute('role')).to.equal('img');
    expect(part(el, 'canvas').getAttribute('aria-label')).to.equal('Recording playback');
    const slider = part<HTMLInputElement>(el, 'input[type=range]');
    expect(slider.getAttribute('aria-label')).to.equal('Position');
    expect(slider.getAttribute('aria-valuetext')).to.equal('00:00');
    expect(text(el, '#play')).to.equal('Play');
    expect(part(el, 'select').closest('label')!.textContent).to.contain('Speed');
    expect(part(el, 'input[type=checkbox]').closest('label')!.textContent).to.contain('Skip idle');
    expect(part(el, 'input[type=search]').getAttribute('aria-label')).to.equal('Search the recording');
    await el.seek(3_725);
    await el.updateComplete;
    expect(slider.getAttribute('aria-valuetext')).to.equal('00:03');
  });

  it('REC19: a seek into a segment without a key frame decodes from the previous one and paints the frame at t', async () => {
    const el = await loaded(await recording());
    const times: number[] = [];
    el.addEventListener('wl-player-time', (e) => times.push((e as CustomEvent<number>).detail));
    await el.seek(15_000);
    await paints(el, BLUE, 'at 15 s');
    expect(el.currentTime).to.equal(15_000);
    expect(times.at(-1)).to.equal(15_000);
    await el.seek(4_000);
    await paints(el, GREEN, 'back at 4 s');
    await el.seek(27_500);
    await paints(el, MAGENTA, 'at 27.5 s');
    await el.seek(1_000);
    await paints(el, RED, 'at 1 s');
  });

  it('finds a word typed at t and shows the frame with the word, within 2 s after t', async () => {
    const el = await loaded(await recording());
    const hits = await search(el, 'ZeBrA');
    expect(hits.length).to.equal(1);
    expect(hits[0]!.textContent!.replace(/\s+/g, ' ')).to.contain('00:11').and.to.contain('zebra');
    expect(text(el, '#hit-count')).to.equal('1 matches');
    hits[0]!.click();
    await paints(el, BLUE, 'after the hit');
    expect(el.currentTime).to.be.within(11_800, 13_800);
  });

  it('finds a word typed across two bursts, at the time of its first character', async () => {
    const el = await loaded(await recording());
    const hits = await search(el, 'world');
    expect(hits.length).to.equal(1);
    expect(hits[0]!.textContent).to.contain('00:26').and.to.contain('hello world again');
    hits[0]!.click();
    await paints(el, MAGENTA, 'after the two bursts');
    expect(el.currentTime).to.be.within(26_900, 28_000);
    expect(await search(el, 'window')).to.have.length(0);
    expect(await search(el, 'radiology')).to.have.length(1);
    expect(text(el, '#hit-count')).to.equal('1 matches');
  });

  it('lists every event, an unknown type as its type and JSON, and seeks to an event', async () => {
    const el = await loaded(await recording());
    const events = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.event')];
    expect(events.length).to.equal(EVENTS.length);
    const line = (type: string) => events.find((b) => b.dataset['type'] === type)!.textContent!.replace(/\s+/g, ' ').trim();
    expect(line('x-vendor:custom')).to.equal('00:30x-vendor:custom {"gauge":7,"note":"kept"}');
    expect(line('session:start')).to.contain('Hanako Yamada');
    expect(line('input:key')).to.contain('Key Enter');
    expect(line('window')).to.contain('Window: Radiology Viewer');
    events.find((b) => b.dataset['type'] === 'input:click')!.click();
    await waitUntil(() => el.currentTime === 21_000);
    await paints(el, BLUE, 'at the click');
  });

  it('REC21: a flipped byte in segment k says "Tampered: segment k" and plays only up to it', async () => {
    const rec = await recording();
    const segments = rec.segments.slice();
    segments[2] = segments[2]!.slice();
    segments[2][60]! ^= 1;
    const el = await loaded({ ...rec, segments });
    expect(el.status).to.deep.include({ state: 'tampered', segment: 2, kind: 'tampered', playableEndMs: 20_000 });
    expect(text(el, '#integrity')).to.equal('Tampered: segment 2 (tampered)');
    expect(text(el, '.note')).to.contain('00:20');
    expect(text(el, '.time')).to.equal('00:00 / 00:20');
    await el.seek(27_000);
    expect(el.currentTime).to.equal(20_000);
    await paints(el, BLUE, 'the last playable frame');
    expect(await search(el, 'world')).to.have.length(0);
  });

  it('REC21: a dropped last segment is reported against the manifest', async () => {
    const rec = await recording();
    const el = await loaded({ ...rec, segments: rec.segments.slice(0, 5) });
    expect(text(el, '#integrity')).to.equal('Tampered: segment 5 (truncated)');
    expect(text(el, '.time')).to.equal('00:00 / 00:50');
  });

  it('REC21: two swapped segments are reported at the first of them', async () => {
    const rec = await recording();
    const segments = rec.segments.slice();
    [segments[1], segments[3]] = [segments[3]!, segments[1]!];
    const el = await loaded({ ...rec, segments });
    expect(el.status).to.deep.include({ state: 'tampered', segment: 1 });
    expect(text(el, '#integrity')).to.match(/^Tampered: segment 1 \(/);
    expect(text(el, '.time')).to.equal('00:00 / 00:10');
  });

  it('REC18: without a manifest the recording is "Incomplete" and still plays', async () => {
    const rec = await recording();
    const { manifest: _manifest, ...incomplete } = rec;
    const el = await loaded(incomplete);
    expect(text(el, '#integrity')).to.equal('Incomplete (ends after segment 5)');
    await el.seek(51_000);
    await paints(el, CYAN, 'at 51 s');
  });

  it('refuses a key that is not a recipient with an alert and plays nothing', async () => {
    const rec = await recording();
    const other = await makeVideoRecording({ durationMs: 1000, scenes: [{ t: 0, color: 'red' }], events: [] });
    const el = await player(memorySource(rec), other.auditor.privateKey);
    await waitUntil(() => el.status?.state === 'failed', 'never failed', { timeout: 15_000 });
    await el.updateComplete;
    expect(text(el, '[role=alert]')).to.equal('Your auditor key cannot open this recording: it is not one of its recipients.');
    expect(text(el, '#integrity')).to.equal('Cannot be played');
    expect(pixel(el)[3]).to.equal(0);
    expect(part<HTMLButtonElement>(el, '#play').disabled).to.equal(true);
  });

  it('refuses an edited header with an alert', async () => {
    const rec = await recording();
    const header = rec.header.slice();
    header[20]! ^= 1;
    const el = await loaded({ ...rec, header });
    expect(el.status).to.deep.equal({ state: 'failed', reason: 'header' });
    expect(text(el, '[role=alert]')).to.contain('header does not verify');
  });

  it('reports a segment the broker fails to serve', async () => {
    const rec = await recording();
    const source = memorySource(rec, { fetchSegment: (i) => (i === 3 ? Promise.reject(new Error('503')) : Promise.resolve(rec.segments[i]!)) });
    const el = await loaded(rec, source);
    expect(text(el, '[role=alert]')).to.equal('Segment 3 could not be loaded from the server. Try again.');
  });

  it('reports a codec this browser cannot decode, and still lists the events', async () => {
    const rec = await makeVideoRecording({ ...STANDARD, durationMs: 20_000, headerCodec: 'hev9.bogus.1' });
    const el = await loaded(rec);
    await waitUntil(() => text(el, '[role=alert]') !== '', 'no alert', { timeout: 5000 });
    expect(text(el, '[role=alert]')).to.equal("This browser cannot play the recording's video (hev9.bogus.1).");
    // Events up to and including 20 s (the end of the last segment).
    expect(el.shadowRoot!.querySelectorAll('button.event').length).to.equal(4);
  });

  it('reports a frame the decoder rejects, and plays again after a seek', async () => {
    // A truncated frame (its data ends inside an OBU): every decoder must reject it. Random bytes do
    // not do: Chromium 156.0.8078.114 decodes them into a frame without an error.
    const truncated = (data: Uint8Array) => data.slice(0, Math.floor(data.length * 0.4));
    const rec = await makeVideoRecording({ ...STANDARD, durationMs: 20_000, mapFrame: (f) => (f.t === 3000 ? { ...f, data: truncated(f.data) } : f) });
    const el = await loaded(rec);
    await paints(el, RED, 'the first frame');
    await el.seek(12_500);
    // The decoder reports the broken frame asynchronously: on a busy machine well after 1 s.
    await waitUntil(() => text(el, '[role=alert]') !== '', 'no alert for a broken frame', { timeout: 5000 });
    expect(text(el, '[role=alert]')).to.equal('The video could not be decoded. Seek to try again.');
    await el.seek(1000);
    await paints(el, RED, 'after seeking back');
    await el.updateComplete;
    expect(text(el, '[role=alert]')).to.equal('');
  });

  it('plays at 1x to 16x of the injected clock', async () => {
    const clock = new ManualClock();
    const el = await loaded(await recording(), undefined, clock);
    el.play();
    await el.updateComplete;
    expect(text(el, '#play')).to.equal('Pause');
    clock.run(10, 100);
    expect(el.currentTime).to.equal(1000);
    el.speed = 4;
    await el.updateComplete;
    clock.run(5, 100);
    expect(el.currentTime).to.equal(3000);
    await paints(el, GREEN, 'at 3 s');
    const select = part<HTMLSelectElement>(el, 'select');
    select.value = '16';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    clock.run(6, 100);
    expect(el.currentTime).to.equal(12_600);
    await paints(el, BLUE, 'at 12.6 s');
    el.pause();
    clock.run(5, 100);
    expect(el.currentTime).to.equal(12_600);
  });

  it('plays to the end and stops there', async () => {
    const clock = new ManualClock();
    const el = await loaded(await recording(), undefined, clock);
    await el.seek(58_000);
    el.play();
    clock.run(30, 100);
    expect(el.currentTime).to.equal(60_000);
    await el.updateComplete;
    expect(text(el, '#play')).to.equal('Play');
  });

  it('skips idle stretches when asked, and not otherwise', async () => {
    const clock = new ManualClock();
    const el = await loaded(await recording(), undefined, clock);
    await el.seek(29_000);
    el.play();
    clock.run(30, 100);
    expect(el.currentTime).to.equal(32_000);
    el.pause();
    await el.seek(29_000);
    const box = part<HTMLInputElement>(el, 'input[type=checkbox]');
    box.click();
    await el.updateComplete;
    expect(el.idleSkip).to.equal(true);
    el.play();
    const positions: number[] = [];
    for (let i = 0; i < 35; i++) {
      clock.advance(100);
      positions.push(el.currentTime);
    }
    // The event at 30 s stays on screen for a second, then playback jumps to just before 40 s.
    const jump = positions.indexOf(39_500);
    expect(jump, positions.join(' ')).to.be.greaterThan(0);
    expect(positions[jump - 1]).to.equal(30_900);
    // 40 s to the frame at 50 s is idle again: the frame of 27 s shows until then.
    expect(positions.at(-1)).to.be.within(49_500, 50_000);
    await paints(el, MAGENTA, 'the frame of 27 s, before 50 s');
    clock.run(10, 100);
    expect(el.currentTime).to.be.greaterThan(50_000);
    await paints(el, CYAN, 'the frame at 50 s');
  });

  it('seeks where the activity strip is clicked', async () => {
    const el = await loaded(await recording());
    const strip = part<HTMLElement>(el, '.strip');
    const box = strip.getBoundingClientRect();
    strip.dispatchEvent(new MouseEvent('click', { clientX: box.left + box.width * 0.25, clientY: box.top + 2, bubbles: true }));
    await waitUntil(() => el.currentTime === 15_000, `at ${el.currentTime}`);
    await paints(el, BLUE, 'a quarter in');
  });

  it('seeks with the slider', async () => {
    const el = await loaded(await recording());
    const slider = part<HTMLInputElement>(el, 'input[type=range]');
    slider.value = '26000';
    const time = new Promise<number>((resolve) => el.addEventListener('wl-player-time', (e) => resolve((e as CustomEvent<number>).detail), { once: true }));
    slider.dispatchEvent(new Event('input'));
    expect(await time).to.equal(26_000);
    await paints(el, YELLOW, 'at 26 s');
  });
});
