// Every `player.*` message has a Japanese text, and the player shows it (its own page: the
// lit-localize configuration is per page).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import * as ja from '../../localization/ja.ts';
import { applyLocale, configureLocales } from '../../ui-kit/localization.ts';
import { ManualClock } from '../../replay/testing/ManualClock.ts';
import { makeVideoRecording, memorySource } from '../../replay/testing/videoRecording.ts';
import './recording-player.ts';
import type { RecordingPlayer } from './recording-player.ts';

configureLocales({ ja });

/** The modules of this folder that hold messages, as the test server serves them (compiled by esbuild). */
async function servedSources(): Promise<string> {
  const files = ['./text.ts', './recording-player.ts'];
  const texts = await Promise.all(files.map(async (f) => (await fetch(new URL(f, import.meta.url))).text()));
  return texts.join('\n');
}

/** Placeholders of a template: `${...}` in the English source, `${n}` in a translation. */
function placeholders(template: unknown): number {
  if (typeof template === 'string') return 0;
  return (template as { strings: readonly string[] }).strings.length - 1;
}

/** A `msg()` call as the served (esbuild) source has it: a `str` template or a plain string, then its id. */
const MSG_CALL = /msg\(\s*(?:str`((?:[^`\\]|\\.)*)`|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'),\s*\{\s*id:\s*["'](player\.[\w.]+)["']/g;

describe('wl-recording-player localization', () => {
  afterEach(() => applyLocale('en', false));

  it('has a Japanese text for every player.* message id, with its placeholders', async () => {
    const templates = ja.templates as Record<string, unknown>;
    const source = await servedSources();
    const ids = [...source.matchAll(/id:\s*["'`](player\.[\w.]+)["'`]/g)].map((m) => m[1]!);
    expect(ids.length).to.be.greaterThan(50);
    expect(ids.filter((id) => !(id in templates))).to.deep.equal([]);
    // Each id's English template sits just before it: count its `${` against the translation's.
    const templated = [...source.matchAll(MSG_CALL)];
    expect(templated.map((m) => m[2])).to.have.members(ids);
    for (const [, template, id] of templated) {
      const english = template === undefined ? 0 : (template.match(/\$\{/g) ?? []).length;
      expect(placeholders(templates[id!]), id).to.equal(english);
    }
  });

  it('shows the player in Japanese', async () => {
    await applyLocale('ja', false);
    const rec = await makeVideoRecording({ durationMs: 2000, scenes: [{ t: 0, color: 'red' }], events: [] });
    const el = await fixture<RecordingPlayer>(
      html`<wl-recording-player .clock=${new ManualClock()} .source=${memorySource(rec)} .auditorKey=${rec.auditor.privateKey}></wl-recording-player>`,
    );
    await waitUntil(() => el.status?.state === 'verified', 'never verified', { timeout: 15_000 });
    await el.updateComplete;
    const root = el.shadowRoot!;
    expect(root.querySelector('#integrity')!.textContent!.trim()).to.equal('検証済み');
    expect(root.querySelector('canvas')!.getAttribute('aria-label')).to.equal('録画の再生画面');
    expect(root.querySelector('input[type=range]')!.getAttribute('aria-label')).to.equal('再生位置');
    expect(root.querySelector('input[type=search]')!.getAttribute('aria-label')).to.equal('録画内を検索');
    expect(root.querySelector('#play')!.textContent!.trim()).to.equal('再生');
  });
});
