import { expect, fixture, html, nextFrame, oneEvent, waitUntil } from '@open-wc/testing';
import { FakeSession } from '../../testing/fakes.ts';
import './remote-screen.ts';
import type { RemoteScreen } from './remote-screen.ts';

const HOST = { id: 'host-0001', name: 'Ward 3 PC' };

async function screen(session = new FakeSession()): Promise<{ el: RemoteScreen; session: FakeSession }> {
  const el = await fixture<RemoteScreen>(html`<wl-remote-screen .session=${session}></wl-remote-screen>`);
  return { el, session };
}

function part<T extends Element>(el: RemoteScreen, selector: string): T {
  return el.shadowRoot!.querySelector<T>(selector)!;
}

function status(el: RemoteScreen): string {
  return part(el, '[role=status]').textContent!.trim();
}

/** Plays a 640x480 canvas into the screen, as a host track would. */
async function play(el: RemoteScreen, session: FakeSession): Promise<HTMLVideoElement> {
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 480;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#08c';
  context.fillRect(0, 0, 640, 480);
  const stream = canvas.captureStream(30);
  session.fire('track', { track: stream.getVideoTracks()[0]!, stream });
  const video = part<HTMLVideoElement>(el, 'video');
  await waitUntil(() => {
    context.fillRect(0, 0, 1, 1);
    return video.videoWidth === 640;
  }, 'the video never got its size', { timeout: 10_000 });
  return video;
}

/** Where the 640x480 picture is drawn inside the video element (object-fit: contain). */
function pictureBox(video: HTMLVideoElement): { left: number; top: number; scale: number } {
  const box = video.getBoundingClientRect();
  const scale = Math.min(box.width / 640, box.height / 480);
  return {
    left: box.left + (box.width - 640 * scale) / 2,
    top: box.top + (box.height - 480 * scale) / 2,
    scale,
  };
}

function pointer(target: Element, type: string, clientX: number, clientY: number, button = 0): PointerEvent {
  const event = new PointerEvent(type, { clientX, clientY, button, pointerId: 1, bubbles: true, composed: true, cancelable: true });
  target.dispatchEvent(event);
  return event;
}

function key(target: Element, type: 'keydown' | 'keyup', init: KeyboardEventInit): KeyboardEvent {
  const event = new KeyboardEvent(type, { bubbles: true, composed: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

describe('wl-remote-screen', () => {
  it('is accessible', async () => {
    const { el } = await screen();
    await expect(el).to.be.accessible();
  });

  it('names the screen after the host and announces the connection state', async () => {
    const { el, session } = await screen();
    const stage = part(el, '[role=application]');
    expect(stage.getAttribute('aria-label')).to.equal('Remote control: Ward 3 PC');
    expect(stage.getAttribute('tabindex')).to.equal('0');
    expect(part(el, 'video').getAttribute('aria-label')).to.equal('Remote screen');
    expect(status(el)).to.equal('Connecting…');
    session.set({ phase: 'connected', host: HOST, permissions: ['view', 'control'] });
    await el.updateComplete;
    expect(status(el)).to.equal('Connected to Ward 3 PC');
    session.set({ phase: 'ended', host: HOST, reason: 'ended_by_host' });
    await el.updateComplete;
    expect(status(el)).to.equal('Ended: the ward user ended the session');
    session.set({ phase: 'failed', host: HOST, error: { code: 'host_offline', message: 'x' } });
    await el.updateComplete;
    expect(status(el)).to.equal('Failed: The PC is offline.');
  });

  it('tells the technician the session is recorded, and when the recording stopped it is paused', async () => {
    const { el, session } = await screen();
    session.set({ phase: 'connected', host: HOST, permissions: ['view', 'control'], recorded: true });
    await el.updateComplete;
    expect(part(el, '.recorded').textContent).to.contain('This session is recorded');
    session.set({ phase: 'connected', host: HOST, permissions: ['view', 'control'], recorded: true, frozen: true });
    await el.updateComplete;
    expect(status(el)).to.match(/^Paused: the session recording stopped/);
    session.set({ phase: 'connected', host: HOST, permissions: ['view', 'control'], recorded: false });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.recorded')).to.equal(null);
    expect(status(el)).to.equal('Connected to Ward 3 PC');
  });

  it('ends the session with the End session button and then offers a way back', async () => {
    const { el, session } = await screen();
    part<HTMLButtonElement>(el, '#end').click();
    await waitUntil(() => session.ended);
    await el.updateComplete;
    expect(part(el, '#end')).to.equal(null);
    const back = oneEvent(el, 'wl-close');
    part<HTMLButtonElement>(el, '#back').click();
    await back;
  });

  it('maps pointer positions on the scaled video to host pixels', async () => {
    const { el, session } = await screen();
    session.set({ phase: 'connected', host: HOST, permissions: ['view', 'control'] });
    const video = await play(el, session);
    const stage = part(el, '#stage');
    const { left, top, scale } = pictureBox(video);

    pointer(stage, 'pointerdown', left + 320.5 * scale, top + 240.5 * scale, 0);
    pointer(stage, 'pointerup', left + 320.5 * scale, top + 240.5 * scale, 0);
    pointer(stage, 'pointermove', left + 1, top + 1);
    pointer(stage, 'pointermove', left + 639.5 * scale, top + 479.5 * scale);
    await nextFrame();
    await nextFrame();
    expect(session.sent).to.deep.equal([
      { type: 'input:pointer', action: 'down', x: 320, y: 240, button: 0 },
      { type: 'input:pointer', action: 'up', x: 320, y: 240, button: 0 },
      { type: 'input:pointer', action: 'move', x: 639, y: 479, button: 0 },
    ]);

    // Once the host announces a bigger screen, the same spot maps to its pixels.
    session.fire('screen', { width: 1280, height: 960 });
    session.sent.length = 0;
    // The middle of host pixel (641, 481) is at (320.75, 240.75) in the 640x480 picture.
    pointer(stage, 'pointerdown', left + 320.75 * scale, top + 240.75 * scale, 2);
    expect(session.sent).to.deep.equal([{ type: 'input:pointer', action: 'down', x: 641, y: 481, button: 2 }]);
    const menu = new MouseEvent('contextmenu', { bubbles: true, composed: true, cancelable: true });
    stage.dispatchEvent(menu);
    expect(menu.defaultPrevented).to.equal(true);
  });

  it('sends wheel notches at the pointer position', async () => {
    const { el, session } = await screen();
    const video = await play(el, session);
    const picture = pictureBox(video);
    const wheel = new WheelEvent('wheel', {
      clientX: picture.left + 320.5 * picture.scale,
      clientY: picture.top + 240.5 * picture.scale,
      deltaY: 300,
      bubbles: true,
      composed: true,
      cancelable: true,
    });
    part(el, '#stage').dispatchEvent(wheel);
    expect(wheel.defaultPrevented).to.equal(true);
    expect(session.sent).to.deep.equal([{ type: 'input:wheel', x: 320, y: 240, dx: 0, dy: 3 }]);
  });

  it('types printable keys as text, sends other keys by code and releases them on blur', async () => {
    const { el, session } = await screen();
    const keyboard = part<HTMLTextAreaElement>(el, '#keyboard');
    part<HTMLElement>(el, '#stage').focus();
    expect(el.shadowRoot!.activeElement).to.equal(keyboard);

    const typed = key(keyboard, 'keydown', { key: 'a', code: 'KeyA' });
    const tab = key(keyboard, 'keydown', { key: 'Tab', code: 'Tab' });
    key(keyboard, 'keydown', { key: 'Control', code: 'ControlLeft', ctrlKey: true });
    keyboard.dispatchEvent(new CompositionEvent('compositionend', { data: '日本語', bubbles: true }));
    key(keyboard, 'keydown', { key: 'Process', code: 'KeyN', keyCode: 229 });
    key(keyboard, 'keyup', { key: 'Tab', code: 'Tab' });
    keyboard.blur();

    expect(typed.defaultPrevented).to.equal(true);
    expect(tab.defaultPrevented).to.equal(true);
    const none = { shift: false, ctrl: false, alt: false, meta: false };
    expect(session.sent).to.deep.equal([
      { type: 'input:text', text: 'a' },
      { type: 'input:key', action: 'down', code: 'Tab', modifiers: none },
      { type: 'input:key', action: 'down', code: 'ControlLeft', modifiers: { ...none, ctrl: true } },
      { type: 'input:text', text: '日本語' },
      { type: 'input:key', action: 'up', code: 'Tab', modifiers: none },
      { type: 'input:key', action: 'up', code: 'ControlLeft', modifiers: none },
    ]);
  });

  it('gives the keyboard back on Ctrl+Alt+Shift', async () => {
    const { el } = await screen();
    const keyboard = part<HTMLTextAreaElement>(el, '#keyboard');
    keyboard.focus();
    key(keyboard, 'keydown', { key: 'Shift', code: 'ShiftLeft', ctrlKey: true, altKey: true, shiftKey: true });
    expect(el.shadowRoot!.activeElement).to.equal(part(el, '#end'));
  });
});
