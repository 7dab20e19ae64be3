import { NO_SYMBOL, XK, normaliseKeysym } from './keysyms.ts';

/** Where a keysym can be typed without changing the keymap. */
export interface KeysymLocation {
  keycode: number;
  /** True when the keysym is on the shifted level (Shift must be held). */
  shift: boolean;
}

/**
 * A snapshot of the X core keyboard mapping (keycode -> keysyms) with a reverse index for the
 * two group-1 levels (plain and Shift) that can be reached without AltGr.
 */
export class Keymap {
  private readonly index = new Map<number, KeysymLocation>();

  constructor(
    /** First keycode of the mapping (the server's min-keycode). */
    readonly minKeycode: number,
    /** Keysyms per keycode in `keysyms`. */
    readonly perKeycode: number,
    private readonly keysyms: Uint32Array,
  ) {
    this.reindex();
  }

  /** Last keycode of the mapping. */
  get maxKeycode(): number {
    return this.minKeycode + this.keysyms.length / this.perKeycode - 1;
  }

  /** The keysym at `level` (0 = plain, 1 = Shift) of a keycode, or NO_SYMBOL. */
  keysymAt(keycode: number, level: number): number {
    if (keycode < this.minKeycode || keycode > this.maxKeycode || level >= this.perKeycode) return NO_SYMBOL;
    return this.keysyms[(keycode - this.minKeycode) * this.perKeycode + level]!;
  }

  /** True when the keycode has at least one keysym. */
  hasSymbols(keycode: number): boolean {
    for (let level = 0; level < this.perKeycode; level++) if (this.keysymAt(keycode, level) !== NO_SYMBOL) return true;
    return false;
  }

  /** Where `keysym` is typed, preferring the plain level and the lowest keycode. */
  find(keysym: number): KeysymLocation | undefined {
    return this.index.get(normaliseKeysym(keysym));
  }

  /** Keycodes without any keysym: spare keys that text input may borrow. */
  emptyKeycodes(): number[] {
    const out: number[] = [];
    for (let k = this.minKeycode; k <= this.maxKeycode; k++) if (!this.hasSymbols(k)) out.push(k);
    return out;
  }

  /**
   * True when keycodes follow the evdev numbering (Linux input code + 8), as on Xorg with
   * libinput/evdev, Xvfb and Xwayland: Escape is 9 and Up is 111 (111 is Print in the old
   * XFree86 numbering).
   */
  isEvdev(): boolean {
    return this.keysymAt(9, 0) === XK.Escape && this.keysymAt(111, 0) === XK.Up;
  }

  /** Records a change this client made with ChangeKeyboardMapping (keysyms beyond the list become NoSymbol). */
  set(keycode: number, keysyms: readonly number[]): void {
    const base = (keycode - this.minKeycode) * this.perKeycode;
    for (let level = 0; level < this.perKeycode; level++) this.keysyms[base + level] = keysyms[level] ?? NO_SYMBOL;
    this.reindex();
  }

  private reindex(): void {
    this.index.clear();
    for (const level of [0, 1]) {
      if (level >= this.perKeycode) break;
      for (let k = this.minKeycode; k <= this.maxKeycode; k++) {
        const keysym = this.keysymAt(k, level);
        if (keysym === NO_SYMBOL) continue;
        const key = normaliseKeysym(keysym);
        if (!this.index.has(key)) this.index.set(key, { keycode: k, shift: level === 1 });
      }
    }
  }
}
