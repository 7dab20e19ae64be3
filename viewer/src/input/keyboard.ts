import type { Modifiers } from '@wardlink/protocol';

/** The fields of a DOM KeyboardEvent that decide what to send. */
export interface KeyLike {
  key: string;
  code: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  isComposing?: boolean;
  keyCode?: number;
  /** True when AltGr is held (Chromium on Windows then also reports Ctrl and Alt). */
  altGraph?: boolean;
}

/** What a keydown becomes: nothing, typed text, or a physical key press. */
export type KeyAction =
  | { kind: 'ignore' }
  | { kind: 'text'; text: string }
  | { kind: 'key'; code: string; modifiers: Modifiers };

/** `KeyboardEvent.keyCode` while an IME is composing. */
const IME_PROCESS_KEY_CODE = 229;

const CODE = /^[A-Za-z0-9]{1,32}$/;

/** The modifier state of a key event, as the protocol carries it. */
export function modifiersOf(e: KeyLike): Modifiers {
  return { shift: e.shiftKey, ctrl: e.ctrlKey, alt: e.altKey, meta: e.metaKey };
}

/** True when `key` is exactly one printable character (one code point, not a control character). */
export function isPrintable(key: string): boolean {
  const points = [...key];
  if (points.length !== 1) {
    return false;
  }
  return !/^\p{Cc}$/u.test(key);
}

/**
 * Classifies a keydown. IME composition is ignored (its result arrives with
 * `compositionend`). One printable character without Ctrl, Alt or Meta is
 * text, so the host types exactly that character whatever its layout;
 * everything else (Enter, Tab, F5, Ctrl+C, ...) is a key press by physical
 * `code`.
 */
export function classifyKeyDown(e: KeyLike): KeyAction {
  if (e.isComposing === true || e.keyCode === IME_PROCESS_KEY_CODE) {
    return { kind: 'ignore' };
  }
  const commandModifier = (e.ctrlKey || e.altKey) && e.altGraph !== true ? true : e.metaKey;
  if (isPrintable(e.key) && !commandModifier) {
    return { kind: 'text', text: e.key };
  }
  if (!CODE.test(e.code)) {
    return { kind: 'ignore' };
  }
  return { kind: 'key', code: e.code, modifiers: modifiersOf(e) };
}
