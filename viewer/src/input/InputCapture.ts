import type { ViewerMessage } from '@wardlink/protocol';
import { classifyKeyDown, modifiersOf } from './keyboard.ts';
import { mapToHost, pointerButton, wheelNotches, type PointerButton, type Size } from './pointer.ts';

/** What {@link InputCapture} listens to and where it sends the result. */
export interface InputCaptureOptions {
  /** The focusable element that shows the remote screen; pointer events are read here. */
  surface: HTMLElement;
  /** The video element; its box and decoded size decide the pointer mapping. */
  video: HTMLVideoElement;
  /** An editable element inside the surface that holds keyboard focus, so that IMEs work. */
  keyboard: HTMLTextAreaElement;
  /** Sends one message to the host. */
  send: (message: ViewerMessage) => void;
  /** The host's screen size when the host announced it; otherwise the video size is used. */
  hostSize: () => Size | undefined;
  /** Called when the user presses Ctrl+Alt+Shift to take the keyboard back. */
  onRelease: () => void;
}

/** Longest text in one `input:text` message (characters). */
const MAX_TEXT = 256;

/**
 * Turns pointer, wheel and keyboard events over the remote screen into
 * protocol messages. Keys that are down on the host are tracked so they can
 * be released when focus leaves or the session ends.
 */
export class InputCapture {
  private readonly pressedKeys = new Set<string>();
  private readonly pressedButtons = new Set<PointerButton>();
  private readonly disposers: Array<() => void> = [];
  private pendingMove: PointerEvent | undefined;
  private frame: number | undefined;
  private closed = false;
  /** Last mapped host position, for releasing buttons when the pointer is cancelled. */
  private lastX = 0;
  private lastY = 0;

  constructor(private readonly options: InputCaptureOptions) {
    const { surface, keyboard } = options;
    this.listen(surface, 'focus', () => keyboard.focus({ preventScroll: true }));
    this.listen(surface, 'pointerdown', (e) => this.onPointerDown(e));
    this.listen(surface, 'pointermove', (e) => this.onPointerMove(e));
    this.listen(surface, 'pointerup', (e) => this.onPointerUp(e));
    this.listen(surface, 'pointercancel', () => this.releaseButtons());
    // Capture ends after every pointerup; if buttons are still down then, the browser lost them (window switch).
    this.listen(surface, 'lostpointercapture', () => this.releaseButtons());
    this.listen(surface, 'contextmenu', (e) => e.preventDefault());
    this.listen(surface, 'wheel', (e) => this.onWheel(e), { passive: false });
    this.listen(keyboard, 'keydown', (e) => this.onKeyDown(e));
    this.listen(keyboard, 'keyup', (e) => this.onKeyUp(e));
    this.listen(keyboard, 'compositionend', (e) => this.onCompositionEnd(e));
    this.listen(keyboard, 'input', (e) => {
      if (!(e as InputEvent).isComposing) {
        keyboard.value = '';
      }
    });
    this.listen(keyboard, 'blur', () => this.releaseKeys());
  }

  /** Sends a key-up for every key still down on the host. */
  releaseKeys(): void {
    const none = { shift: false, ctrl: false, alt: false, meta: false };
    for (const code of this.pressedKeys) {
      this.options.send({ type: 'input:key', action: 'up', code, modifiers: none });
    }
    this.pressedKeys.clear();
  }

  /** Releases keys and buttons, stops listening. Safe to call more than once. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.releaseKeys();
    this.releaseButtons();
    this.closed = true;
    if (this.frame !== undefined) {
      cancelAnimationFrame(this.frame);
      this.frame = undefined;
    }
    for (const dispose of this.disposers.splice(0)) {
      dispose();
    }
  }

  private onPointerDown(e: PointerEvent): void {
    const button = pointerButton(e.button);
    e.preventDefault();
    this.options.keyboard.focus({ preventScroll: true });
    const point = this.map(e);
    if (button === null || point === null) {
      return;
    }
    this.flushMove();
    try {
      this.options.surface.setPointerCapture(e.pointerId);
    } catch {
      // Synthetic events have no active pointer to capture.
    }
    this.pressedButtons.add(button);
    this.options.send({ type: 'input:pointer', action: 'down', x: point.x, y: point.y, button });
  }

  private onPointerMove(e: PointerEvent): void {
    // One move per animation frame; the frame sends the latest position, so the final one is exact.
    this.pendingMove = e;
    this.frame ??= requestAnimationFrame(() => {
      this.frame = undefined;
      this.flushMove();
    });
  }

  private onPointerUp(e: PointerEvent): void {
    const button = pointerButton(e.button);
    this.flushMove();
    const point = this.map(e);
    if (button === null || point === null || !this.pressedButtons.delete(button)) {
      return;
    }
    this.options.send({ type: 'input:pointer', action: 'up', x: point.x, y: point.y, button });
  }

  private flushMove(): void {
    const e = this.pendingMove;
    this.pendingMove = undefined;
    const point = e && this.map(e);
    if (!point) {
      return;
    }
    const [button = 0] = this.pressedButtons;
    this.options.send({ type: 'input:pointer', action: 'move', x: point.x, y: point.y, button });
  }

  private releaseButtons(): void {
    for (const button of this.pressedButtons) {
      this.options.send({ type: 'input:pointer', action: 'up', x: this.lastX, y: this.lastY, button });
    }
    this.pressedButtons.clear();
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const point = this.map(e);
    const dy = wheelNotches(e.deltaY, e.deltaMode);
    const dx = wheelNotches(e.deltaX, e.deltaMode);
    if (point === null || (dx === 0 && dy === 0)) {
      return;
    }
    this.flushMove();
    this.options.send({ type: 'input:wheel', x: point.x, y: point.y, dx, dy });
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (e.ctrlKey && e.altKey && e.shiftKey && ['Control', 'Alt', 'Shift'].includes(e.key)) {
      e.preventDefault();
      this.releaseKeys();
      this.options.onRelease();
      return;
    }
    const action = classifyKeyDown({
      key: e.key,
      code: e.code,
      shiftKey: e.shiftKey,
      ctrlKey: e.ctrlKey,
      altKey: e.altKey,
      metaKey: e.metaKey,
      isComposing: e.isComposing,
      keyCode: e.keyCode,
      altGraph: e.getModifierState('AltGraph'),
    });
    switch (action.kind) {
      case 'ignore':
        return;
      case 'text':
        e.preventDefault();
        this.options.send({ type: 'input:text', text: action.text });
        return;
      case 'key':
        e.preventDefault();
        this.pressedKeys.add(action.code);
        this.options.send({ type: 'input:key', action: 'down', code: action.code, modifiers: action.modifiers });
        return;
      default: {
        const unreachable: never = action;
        return unreachable;
      }
    }
  }

  private onKeyUp(e: KeyboardEvent): void {
    if (!this.pressedKeys.delete(e.code)) {
      return;
    }
    e.preventDefault();
    this.options.send({ type: 'input:key', action: 'up', code: e.code, modifiers: modifiersOf(e) });
  }

  private onCompositionEnd(e: CompositionEvent): void {
    const text = e.data.replace(/\p{Cc}/gu, '');
    this.options.keyboard.value = '';
    for (const chunk of chunks(text, MAX_TEXT)) {
      this.options.send({ type: 'input:text', text: chunk });
    }
  }

  private map(e: MouseEvent): { x: number; y: number } | null {
    const { video } = this.options;
    const size = { width: video.videoWidth, height: video.videoHeight };
    const point = mapToHost(e.clientX, e.clientY, video.getBoundingClientRect(), size, this.options.hostSize() ?? size);
    if (point) {
      this.lastX = point.x;
      this.lastY = point.y;
    }
    return point;
  }

  private listen<K extends keyof HTMLElementEventMap>(
    target: HTMLElement,
    type: K,
    handler: (e: HTMLElementEventMap[K]) => void,
    options?: AddEventListenerOptions,
  ): void {
    target.addEventListener(type, handler, options);
    this.disposers.push(() => target.removeEventListener(type, handler, options));
  }
}

/** Splits text into pieces of at most `size` code points. */
function chunks(text: string, size: number): string[] {
  const points = [...text];
  const out: string[] = [];
  for (let i = 0; i < points.length; i += size) {
    out.push(points.slice(i, i + size).join(''));
  }
  return out;
}
