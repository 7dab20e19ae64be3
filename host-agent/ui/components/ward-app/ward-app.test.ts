import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { EndReason, WardState } from '@wardlink/protocol';
import { applyLocale, configureLocales, LOCALE_STORAGE_KEY } from '@wardlink/viewer/ui-kit';
import * as ja from '../../localization/ja.ts';
import {
  accessibleDescription,
  allByRole,
  byRole,
  deepActiveElement,
  namesByRole,
  queryByRole,
} from '../../testing/queries.ts';
import { FakeWardApi } from '../../testing/FakeWardApi.ts';
import type { WardResult } from '../../WardApi.ts';
import './ward-app.ts';
import type { WardApp } from './ward-app.ts';

// What the page's main.ts does through startPage().
configureLocales({ ja });

const idle: WardState = {
  hostName: 'Ward 3 nurse station',
  broker: 'online',
  state: 'idle',
  recording: true,
  unattended: false,
};
const waiting: WardState = {
  ...idle,
  state: 'waiting',
  code: '123456789',
  pin: '12345678',
  attemptsLeft: 3,
  expiresAt: new Date(2026, 10, 24, 14, 5).getTime(),
};
const technician = { name: 'Tanaka Ichiro', organisation: 'Vendor KK', from: '10.20.30.40' };
/** Every permission there is, in an order other than the page's. */
const everything = [
  'chat',
  'view',
  'control',
  'file_to_host',
  'file_from_host',
  'print',
  'clipboard_to_host',
  'clipboard_from_host',
] as const;
const consent: WardState = { ...idle, state: 'consent', technician, permissions: [...everything] };
const live: WardState = { ...idle, state: 'live', technician, permissions: ['view', 'control', 'chat'] };
const locked: WardState = { ...idle, state: 'locked', lockedAt: new Date(2026, 10, 24, 14, 7).getTime() };

/** The checkbox labels of the consent prompt, in the page's order. */
const permissionLabels = [
  'See your screen',
  'Use your mouse and keyboard',
  'Send files to this PC',
  'Take files from this PC',
  'Print from this PC',
  'Paste into this PC (clipboard)',
  'Get what you copy on this PC (clipboard)',
  'Chat with you',
];

async function page(state: WardState, next?: WardResult): Promise<{ el: WardApp; api: FakeWardApi }> {
  const api = new FakeWardApi(state, next);
  const el = await fixture<WardApp>(html`<wl-ward-app .api=${api.asApi()}></wl-ward-app>`);
  await waitUntil(() => el.state !== undefined, 'no state was loaded');
  await settled(el);
  return { el, api };
}

/** Waits for the app and the consent prompt inside it to render. */
async function settled(el: WardApp): Promise<void> {
  await el.updateComplete;
  await el.shadowRoot!.querySelector('wl-consent-prompt')?.updateComplete;
}

/** Delivers a state as the agent's event stream would. */
async function push(el: WardApp, api: FakeWardApi, state: WardState): Promise<void> {
  api.subscriber!.state(state);
  await settled(el);
}

function $(el: WardApp, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(selector);
}

function text(el: WardApp, selector: string): string {
  return $(el, selector)?.textContent?.trim() ?? '';
}

/** The text of an element with white space collapsed. */
function say(node: Element | null): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function buttons(el: WardApp): string[] {
  return namesByRole(el.shadowRoot!, 'button');
}

/** The page's main status line (the first status region). */
function status(el: WardApp): string {
  return say(allByRole(el.shadowRoot!, 'status')[0] ?? null);
}

function checkbox(el: WardApp, name: string): HTMLInputElement {
  return byRole<HTMLInputElement>(el.shadowRoot!, 'checkbox', name);
}

async function click(el: WardApp, control: HTMLElement): Promise<void> {
  control.click();
  await settled(el);
}

describe('wl-ward-app', () => {
  afterEach(async () => {
    await applyLocale('en', false);
    localStorage.removeItem(LOCALE_STORAGE_KEY);
  });

  describe('idle and waiting', () => {
    it('is accessible while showing a session code and PIN', async () => {
      const { el } = await page(waiting);
      await expect(el).to.be.accessible();
    });

    it('shows the code as 123 456 789 and the PIN as 1234 5678, each under its label, with who may hear them', async () => {
      const { el } = await page(waiting);
      expect(say(byRole(el.shadowRoot!, 'group', 'Session code'))).to.equal('123 456 789');
      expect(say(byRole(el.shadowRoot!, 'group', 'PIN'))).to.equal('1234 5678');
      expect(status(el)).to.equal('Waiting for the technician');
      expect(text(el, '.secret')).to.equal(
        'Read the code and the PIN only to the technician you called. Nobody from IT will ask you for them otherwise.',
      );
      expect(text(el, '.expiry')).to.equal('The code and the PIN are valid until 14:05.');
      expect(buttons(el)).to.deep.equal(['End session']);
    });

    it('shows the code alone when an older agent sends no PIN', async () => {
      const { pin: _pin, attemptsLeft: _left, ...withoutPin } = waiting;
      const { el } = await page(withoutPin);
      expect(say(byRole(el.shadowRoot!, 'group', 'Session code'))).to.equal('123 456 789');
      expect(queryByRole(el.shadowRoot!, 'group', 'PIN')).to.equal(null);
      expect(text(el, '.expiry')).to.equal('Read this code to the technician. It is valid until 14:05.');
    });

    it('says nothing about wrong PINs while every attempt is left', async () => {
      const { el } = await page(waiting);
      expect(text(el, '#pin-warning')).to.equal('');
    });

    it('warns politely, in a status region, when a wrong PIN was entered', async () => {
      const { el, api } = await page(waiting);
      await push(el, api, { ...waiting, attemptsLeft: 2 });
      const warning = byRole(el.shadowRoot!, 'status', 'A wrong PIN was entered. 2 attempts left.');
      expect(warning.id).to.equal('pin-warning');
      await push(el, api, { ...waiting, attemptsLeft: 1 });
      expect(text(el, '#pin-warning')).to.equal('A wrong PIN was entered. 1 attempt left.');
      expect(allByRole(el.shadowRoot!, 'alert').map(say)).to.deep.equal(['']);
      await expect(el).to.be.accessible();
    });

    it('asks for help with the Get help button', async () => {
      const { el, api } = await page(idle, { ok: true, data: waiting });
      expect(status(el)).to.equal('No one is connected to this PC.');
      await click(el, byRole(el.shadowRoot!, 'button', 'Get help'));
      await waitUntil(() => $(el, '#code') !== null);
      expect(api.calls).to.deep.equal(['help']);
      expect(el.shadowRoot!.activeElement?.textContent?.trim()).to.equal('End session');
    });

    it('follows state pushed by the agent', async () => {
      const { el, api } = await page(idle);
      await push(el, api, waiting);
      expect(text(el, '#code')).to.equal('123 456 789');
    });

    it('shows an alert when the agent refuses', async () => {
      const { el } = await page(idle, { ok: false, error: { code: 'unavailable', message: 'x' } });
      el.shadowRoot!.querySelector('button')!.click();
      await waitUntil(() => text(el, '[role=alert]') !== '');
      expect(text(el, '[role=alert]')).to.equal('Could not ask for help. Try again in a moment.');
    });

    it('explains when the support server is offline and disables Get help', async () => {
      const { el } = await page({ ...idle, broker: 'offline' });
      expect(text(el, '.notice')).to.contain('The support server cannot be reached.');
      expect(byRole<HTMLButtonElement>(el.shadowRoot!, 'button', 'Get help').disabled).to.equal(true);
    });

    it('renders a hostile PC name as text', async () => {
      const hostile = '<img src=x onerror="window.__pwned = true">';
      const { el } = await page({ ...idle, hostName: hostile });
      expect(text(el, 'h1')).to.equal(hostile);
      expect($(el, 'img')).to.equal(null);
      expect((window as { __pwned?: boolean }).__pwned).to.equal(undefined);
    });
  });

  describe('consent', () => {
    it('is accessible while asking for consent', async () => {
      const { el } = await page(consent);
      await expect(el).to.be.accessible();
    });

    it('says who asks, from where, each requested permission as a ticked checkbox, and that it is recorded', async () => {
      const { el } = await page(consent);
      expect(status(el)).to.equal('A technician asks to connect to this PC.');
      const prompt = byRole(el.shadowRoot!, 'alertdialog', 'Allow this technician to connect?');
      expect(accessibleDescription(prompt)).to.equal(
        'Technician Tanaka Ichiro Organisation Vendor KK Connecting from 10.20.30.40',
      );
      const asks = byRole(prompt, 'group', 'The technician asks to:');
      expect(namesByRole(asks, 'checkbox')).to.deep.equal(permissionLabels);
      const boxes = allByRole<HTMLInputElement>(asks, 'checkbox');
      expect(boxes.every((b) => b.checked && !b.disabled)).to.equal(true);
      expect(say(prompt.querySelector('.recording'))).to.equal('This session will be recorded.');
      expect(buttons(el)).to.deep.equal(['Allow', 'Decline']);
    });

    it('moves keyboard focus to the prompt heading when a request arrives', async () => {
      const { el, api } = await page(waiting);
      await push(el, api, consent);
      const active = deepActiveElement();
      expect(active?.tagName).to.equal('H2');
      expect(active).to.equal(byRole(el.shadowRoot!, 'heading', 'Allow this technician to connect?'));
    });

    it('Allow posts the ticked permissions and then says the session is starting', async () => {
      const starting: WardState = { ...idle, state: 'connecting', technician, permissions: ['view', 'control', 'print'] };
      const { el, api } = await page(consent, { ok: true, data: starting });
      for (const name of permissionLabels.slice(2)) {
        if (name !== 'Print from this PC') {
          await click(el, checkbox(el, name));
        }
      }
      await click(el, byRole(el.shadowRoot!, 'button', 'Allow'));
      await waitUntil(() => status(el) === 'Starting…');
      expect(api.decisions).to.deep.equal([{ accept: true, permissions: ['view', 'control', 'print'] }]);
      expect(buttons(el)).to.deep.equal(['End session']);
      expect(deepActiveElement()?.textContent?.trim()).to.equal('End session');
    });

    it('keeps a state the agent pushed while the answer to Allow was on its way (live before the answer)', async () => {
      const starting: WardState = { ...idle, state: 'connecting', technician, permissions: ['view', 'control'] };
      const { el, api } = await page(consent, { ok: true, data: starting });
      const answer = api.consent.bind(api);
      api.consent = async (decision) => {
        api.subscriber!.state(live);
        return answer(decision);
      };
      await click(el, byRole(el.shadowRoot!, 'button', 'Allow'));
      await settled(el);
      expect(el.state?.state).to.equal('live');
      expect(say(byRole(el.shadowRoot!, 'region'))).to.contain('The technician may:');
    });

    it('Decline posts accept false without permissions', async () => {
      const declined: WardState = { ...idle, state: 'ended', endReason: 'declined' };
      const { el, api } = await page(consent, { ok: true, data: declined });
      await click(el, byRole(el.shadowRoot!, 'button', 'Decline'));
      await waitUntil(() => status(el).startsWith('The session has ended'));
      expect(api.decisions).to.deep.equal([{ accept: false, permissions: [] }]);
      expect(status(el)).to.equal('The session has ended: you declined the session.');
      expect(buttons(el)).to.deep.equal(['Get help']);
    });

    it('shows an alert when the agent refuses the answer, and keeps the prompt', async () => {
      const refused: WardResult = { ok: false, error: { code: 'bad_message', message: 'There is no request to answer.' } };
      const { el } = await page(consent, refused);
      await click(el, byRole(el.shadowRoot!, 'button', 'Allow'));
      await waitUntil(() => text(el, '#failure') !== '');
      expect(byRole(el.shadowRoot!, 'alert').id).to.equal('failure');
      expect(text(el, '#failure')).to.equal('Your answer could not be sent. If the request is still shown, try again.');
      expect(byRole<HTMLButtonElement>(el.shadowRoot!, 'button', 'Allow').disabled).to.equal(false);
    });
  });

  describe('connecting and live', () => {
    it('keeps End session while connecting', async () => {
      const { el } = await page({ ...idle, state: 'connecting', technician });
      expect(status(el)).to.equal('Connecting…');
      expect(buttons(el)).to.deep.equal(['End session']);
    });

    it('shows a banner with who is connected, what they may do and the recording, with no way to dismiss it', async () => {
      const { el } = await page(live);
      await expect(el).to.be.accessible();
      expect(status(el)).to.equal('Connected: Tanaka Ichiro (Vendor KK) from 10.20.30.40');
      const banner = byRole(el.shadowRoot!, 'region', 'Connected: Tanaka Ichiro (Vendor KK) from 10.20.30.40');
      expect(namesByRole(byRole(banner, 'list', 'The technician may:'), 'listitem')).to.deep.equal([
        'See your screen',
        'Use your mouse and keyboard',
        'Chat with you',
      ]);
      expect(say(banner)).to.contain('This session will be recorded.');
      expect(say(banner)).not.to.contain('without asking');
      expect(allByRole(banner, 'button')).to.deep.equal([]);
      expect(buttons(el)).to.deep.equal(['End session']);
    });

    it('says in the live banner that the session is not recorded and that this PC accepts sessions without asking', async () => {
      const { el } = await page({ ...live, recording: false, unattended: true });
      const banner = byRole(el.shadowRoot!, 'region');
      expect(say(banner)).to.contain('This session is not recorded.');
      expect(say(banner)).to.contain('This PC accepts support sessions without asking (set by your administrator).');
    });

    it('tells the ward user at once when the recording stopped and the session is paused', async () => {
      const { el, api } = await page({ ...live, recording: true });
      const banner = byRole(el.shadowRoot!, 'region');
      expect(say(banner)).to.contain('This session will be recorded.');
      expect(say(banner)).not.to.contain('Paused');
      await push(el, api, { ...live, recording: true, frozen: true });
      const alert = byRole(byRole(el.shadowRoot!, 'region'), 'alert');
      expect(say(alert)).to.contain('Paused: the recording stopped');
      await push(el, api, { ...live, recording: true, frozen: false });
      expect(say(byRole(el.shadowRoot!, 'region'))).not.to.contain('Paused');
    });

    it('keeps the End session button, and its focus, from waiting to live', async () => {
      const { el, api } = await page(waiting);
      const end = byRole(el.shadowRoot!, 'button', 'End session');
      end.focus();
      await push(el, api, { ...idle, state: 'connecting', technician, permissions: ['view'] });
      await push(el, api, { ...live, permissions: ['view'] });
      expect(byRole(el.shadowRoot!, 'button', 'End session')).to.equal(end);
      expect(deepActiveElement()).to.equal(end);
    });

    it('ends the session with End session', async () => {
      const { el, api } = await page(live, { ok: true, data: { ...idle, state: 'ended', endReason: 'ended_by_host' } });
      await click(el, byRole(el.shadowRoot!, 'button', 'End session'));
      await waitUntil(() => status(el).startsWith('The session has ended'));
      expect(api.calls).to.deep.equal(['end']);
      expect(status(el)).to.equal('The session has ended: you ended it.');
      expect(buttons(el)).to.deep.equal(['Get help']);
    });
  });

  describe('locked and ended', () => {
    it('raises an alarm after too many wrong PINs, with the time, and offers no Get help', async () => {
      const { el } = await page(locked);
      await expect(el).to.be.accessible();
      const alarm = say(allByRole(el.shadowRoot!, 'alert')[0]!);
      expect(alarm).to.contain('Security warning');
      expect(alarm).to.contain(
        'Someone entered a wrong PIN 3 times. The PIN no longer works. If you did not expect a technician, tell your IT department.',
      );
      expect(alarm).to.contain('This happened at 14:07.');
      expect(status(el)).to.equal('Remote support is locked for safety.');
      expect(buttons(el)).to.deep.equal(['I understand']);
    });

    it('"I understand" acknowledges the alarm and offers Get help again', async () => {
      const { el, api } = await page(locked, { ok: true, data: idle });
      await click(el, byRole(el.shadowRoot!, 'button', 'I understand'));
      await waitUntil(() => status(el) === 'No one is connected to this PC.');
      expect(api.calls).to.deep.equal(['acknowledgeAlarm']);
      expect(buttons(el)).to.deep.equal(['Get help']);
      expect(el.shadowRoot!.activeElement?.textContent?.trim()).to.equal('Get help');
    });

    it('explains why a session ended, including the new reasons', async () => {
      const { el, api } = await page(idle);
      const expected: Array<[EndReason, string]> = [
        ['auth_failed', "the technician's PIN was not accepted."],
        ['pin_locked', 'a wrong PIN was entered too many times.'],
        ['declined', 'you declined the session.'],
        ['tampered', 'the connection could not be verified and was stopped for safety.'],
      ];
      for (const [endReason, reason] of expected) {
        await push(el, api, { ...idle, state: 'ended', endReason });
        expect(status(el)).to.equal(`The session has ended: ${reason}`);
      }
    });
  });

  describe('Japanese', () => {
    it('switches to Japanese and back', async () => {
      const { el } = await page(waiting);
      const select = $(el, 'wl-language-switch')!.shadowRoot!.querySelector('select')!;
      select.value = 'ja';
      select.dispatchEvent(new Event('change'));
      await waitUntil(() => status(el) === 'サポート担当者の接続を待っています');
      expect(buttons(el)).to.deep.equal(['セッションを終了']);
      expect(text(el, '#code-label')).to.equal('セッションコード');
      expect(select.labels![0]!.textContent).to.equal('言語 (Language)');
      expect(document.documentElement.lang).to.equal('ja');
      select.value = 'en';
      select.dispatchEvent(new Event('change'));
      await waitUntil(() => status(el) === 'Waiting for the technician');
    });

    it('asks for consent in Japanese', async () => {
      await applyLocale('ja', false);
      const { el } = await page(consent);
      byRole(el.shadowRoot!, 'alertdialog', 'このサポート担当者の接続を許可しますか？');
      expect(namesByRole(el.shadowRoot!, 'checkbox').slice(0, 2)).to.deep.equal(['画面を見る', 'マウスとキーボードを操作する']);
      expect(buttons(el)).to.deep.equal(['許可', '拒否']);
    });

    it('raises the alarm in Japanese', async () => {
      await applyLocale('ja', false);
      const { el } = await page(locked);
      expect(say(allByRole(el.shadowRoot!, 'alert')[0]!)).to.contain('誰かが間違った PIN を 3 回入力しました。');
      expect(buttons(el)).to.deep.equal(['確認しました']);
    });
  });
});
