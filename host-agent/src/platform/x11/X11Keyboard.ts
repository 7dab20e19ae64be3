import type { Modifiers } from '@wardlink/protocol';
import { PlatformError } from '../errors.ts';
import { DOM_CODES, MODIFIER_CODES, MODIFIER_DEFAULT_CODE, type ModifierName } from './domCodes.ts';
import { Keymap } from './Keymap.ts';
import { MODIFIER_KEYSYMS, XK, keysymForCodePoint } from './keysyms.ts';
import { X11Event, type X11Connection } from './X11Connection.ts';

/**
 * Milliseconds a borrowed spare keycode keeps its keysym before it may be given another one.
 * An application resolves a key event with the keymap it fetches when it gets to that event;
 * if we remapped the keycode again before then, it would type the newer character. 50 ms was
 * measured too short for xterm on a busy 2-core machine. This caps a paste of many different
 * non-keymap characters at (spare keycodes / hold time), e.g. 19 / 0.25 s = 76 characters/s.
 */
const SPARE_KEY_HOLD_MS = 250;
/** Core modifier mask bit of Lock (Caps Lock). */
const LOCK_MASK = 0x02;

interface SpareKey {
  keycode: number;
  /** Keysym currently mapped on it, or 0 when it still has none. */
  keysym: number;
  /** `performance.now()` of its last key press. */
  usedAt: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keyboard injection through XTEST on an {@link X11Connection}.
 *
 * - Keys (`input:key`) press the physical key of the DOM `code` (evdev keycode), so the host's
 *   layout decides the character, as with a keyboard plugged into the host. Modifier flags in
 *   the message are honoured by pressing or releasing Shift/Control/Alt/Super as needed.
 * - Text (`input:text`) types characters whatever the layout: a character on the plain or Shift
 *   level of some key is typed with that key (and Shift); any other character (ü, €, 日) is
 *   given a keysym on a spare keycode (one with no keysyms), the approach of `xdotool type`.
 *   Spare keycodes are only returned to "no keysym" by {@link restoreSpareKeys}.
 *
 * Not safe for concurrent calls: the caller serialises them.
 */
export class X11Keyboard {
  private keymap: Keymap | undefined;
  private stale = true;
  private spares: SpareKey[] | undefined;
  /** Keycodes this keyboard pressed and has not released, in press order. */
  private readonly held = new Set<number>();

  constructor(private readonly conn: X11Connection) {
    conn.onKeyboardMappingChanged = () => {
      this.stale = true;
    };
  }

  /** Presses or releases the key of a DOM `code`; see the class comment for modifiers. */
  async key(action: 'down' | 'up', code: string, modifiers: Modifiers): Promise<void> {
    const keymap = await this.currentKeymap();
    const keycode = this.keycodeOf(keymap, code);
    if (keycode === undefined) throw PlatformError.unsupportedKey(code);
    const modifier = MODIFIER_CODES.get(code);
    if (action === 'down') {
      if (!modifier) this.matchModifiers(keymap, modifiers, true);
      this.press(keycode);
    } else {
      if (this.held.has(keycode)) this.release(keycode);
      this.matchModifiers(keymap, modifiers, false);
    }
    await this.conn.sync();
  }

  /** Types text (any Unicode), independent of held modifiers and Caps Lock. */
  async type(text: string): Promise<void> {
    const keymap = await this.currentKeymap();
    const lifted = [...this.held].filter((k) => MODIFIER_KEYSYMS.has(keymap.keysymAt(k, 0)));
    for (const k of lifted) this.release(k);
    const capsKey = keymap.find(XK.Caps_Lock);
    const capsOn = capsKey !== undefined && !capsKey.shift && ((await this.conn.queryPointerMask()) & LOCK_MASK) !== 0;
    const shiftKey = keymap.find(XK.Shift_L) ?? keymap.find(XK.Shift_R);
    try {
      if (capsOn) this.tap(capsKey.keycode);
      for (const ch of text) {
        const keysym = keysymForCodePoint(ch.codePointAt(0)!);
        if (keysym === undefined) continue;
        const at = keymap.find(keysym);
        if (at && this.spares?.some((s) => s.keycode === at.keycode)) {
          // Typed before on a borrowed key: go through spareKeyFor so the key counts as fresh.
          this.tap(await this.spareKeyFor(keymap, keysym));
        } else if (at && (!at.shift || shiftKey)) {
          if (at.shift) this.conn.fakeInput(X11Event.KeyPress, shiftKey!.keycode);
          this.tap(at.keycode);
          if (at.shift) this.conn.fakeInput(X11Event.KeyRelease, shiftKey!.keycode);
        } else {
          this.tap(await this.spareKeyFor(keymap, keysym));
        }
      }
    } finally {
      if (capsOn) this.tap(capsKey.keycode);
      for (const k of lifted) this.press(k);
    }
    await this.conn.sync();
  }

  /** Releases every key this keyboard holds (last pressed first). */
  async releaseAll(): Promise<void> {
    for (const k of [...this.held].reverse()) this.release(k);
    await this.conn.sync();
  }

  /** Gives borrowed spare keycodes back their empty mapping, once applications had time to use them. */
  async restoreSpareKeys(): Promise<void> {
    const used = (this.spares ?? []).filter((s) => s.keysym !== 0);
    if (used.length === 0) return;
    const newest = Math.max(...used.map((s) => s.usedAt));
    const wait = SPARE_KEY_HOLD_MS - (performance.now() - newest);
    if (wait > 0) await sleep(wait);
    for (const spare of used) {
      this.conn.changeKeyboardMapping(spare.keycode, 1, [0]);
      this.keymap?.set(spare.keycode, []);
      spare.keysym = 0;
    }
    await this.conn.sync();
  }

  /** Keycode of a DOM code on this keymap, or undefined when the host has no such key. */
  private keycodeOf(keymap: Keymap, code: string): number | undefined {
    const location = DOM_CODES.get(code);
    if (!location) return undefined;
    if (keymap.isEvdev() && keymap.hasSymbols(location.evdev)) return location.evdev;
    const found = keymap.find(location.keysym);
    return found && !found.shift ? found.keycode : undefined;
  }

  /**
   * Makes the held modifier keys agree with the flags of a key message. On key down a missing
   * modifier is pressed (left variant); on both down and up a modifier whose flag is off is
   * released. AltRight is left alone: as AltGr, browsers often report it with `alt: false`.
   */
  private matchModifiers(keymap: Keymap, modifiers: Modifiers, pressMissing: boolean): void {
    for (const name of Object.keys(MODIFIER_DEFAULT_CODE) as ModifierName[]) {
      const heldOfThis = [...MODIFIER_CODES]
        .filter(([code, n]) => n === name && code !== 'AltRight')
        .map(([code]) => this.keycodeOf(keymap, code))
        .filter((k): k is number => k !== undefined && this.held.has(k));
      if (modifiers[name] && pressMissing && heldOfThis.length === 0 && !this.holdsAltGr(keymap, name)) {
        const keycode = this.keycodeOf(keymap, MODIFIER_DEFAULT_CODE[name]);
        if (keycode !== undefined) this.press(keycode);
      } else if (!modifiers[name]) {
        for (const k of heldOfThis) this.release(k);
      }
    }
  }

  /** True when AltRight is held and stands for the asked-for `alt` flag. */
  private holdsAltGr(keymap: Keymap, name: ModifierName): boolean {
    if (name !== 'alt') return false;
    const altRight = this.keycodeOf(keymap, 'AltRight');
    return altRight !== undefined && this.held.has(altRight);
  }

  private async currentKeymap(): Promise<Keymap> {
    if (this.keymap && !this.stale) return this.keymap;
    const { minKeycode, maxKeycode } = this.conn.setup;
    this.stale = false;
    const { perKeycode, keysyms } = await this.conn.getKeyboardMapping(minKeycode, maxKeycode - minKeycode + 1);
    const keymap = new Keymap(minKeycode, perKeycode, keysyms);
    if (this.spares) {
      // Someone else may have given one of our spare keys a meaning: stop borrowing it.
      this.spares = this.spares.filter((s) => !keymap.hasSymbols(s.keycode) || keymap.keysymAt(s.keycode, 0) === s.keysym);
    } else {
      this.spares = keymap.emptyKeycodes().map((keycode) => ({ keycode, keysym: 0, usedAt: -Infinity }));
    }
    this.keymap = keymap;
    return keymap;
  }

  /** A keycode that types `keysym`: a spare key already mapped to it, or the least recently used spare. */
  private async spareKeyFor(keymap: Keymap, keysym: number): Promise<number> {
    const spares = this.spares ?? [];
    let spare = spares.find((s) => s.keysym === keysym);
    if (!spare) {
      spare = spares.reduce<SpareKey | undefined>((a, b) => (a && a.usedAt <= b.usedAt ? a : b), undefined);
      if (!spare) throw PlatformError.inputFailed(`no spare keycode to type U+${(keysym & 0xffffff).toString(16)}`);
      const wait = SPARE_KEY_HOLD_MS - (performance.now() - spare.usedAt);
      if (wait > 0) {
        await this.conn.sync();
        await sleep(wait);
      }
      // Both levels carry the keysym so that a held Shift cannot change it.
      this.conn.changeKeyboardMapping(spare.keycode, 2, [keysym, keysym]);
      keymap.set(spare.keycode, [keysym, keysym]);
      spare.keysym = keysym;
    }
    spare.usedAt = performance.now();
    return spare.keycode;
  }

  private press(keycode: number): void {
    this.conn.fakeInput(X11Event.KeyPress, keycode);
    this.held.delete(keycode);
    this.held.add(keycode);
  }

  private release(keycode: number): void {
    this.conn.fakeInput(X11Event.KeyRelease, keycode);
    this.held.delete(keycode);
  }

  private tap(keycode: number): void {
    this.conn.fakeInput(X11Event.KeyPress, keycode);
    this.conn.fakeInput(X11Event.KeyRelease, keycode);
  }
}
