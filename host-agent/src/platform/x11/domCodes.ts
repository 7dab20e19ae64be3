import { XK } from './keysyms.ts';

/** Where a DOM `KeyboardEvent.code` lives on an X keyboard. */
export interface KeyLocation {
  /**
   * X keycode of the physical key with the evdev driver (Linux input code + 8), which Xorg,
   * Xvfb and Xwayland all use. The host's layout then decides what the key types, exactly as if
   * the key were pressed on a keyboard plugged into the host.
   */
  evdev: number;
  /** Keysym of the key on a US layout; used to find the key when the keymap is not evdev. */
  keysym: number;
}

/** Which modifier a key is, for reconciling the `modifiers` field of key messages. */
export type ModifierName = 'shift' | 'ctrl' | 'alt' | 'meta';

/** DOM codes of modifier keys, and which modifier each one is. */
export const MODIFIER_CODES: ReadonlyMap<string, ModifierName> = new Map([
  ['ShiftLeft', 'shift'],
  ['ShiftRight', 'shift'],
  ['ControlLeft', 'ctrl'],
  ['ControlRight', 'ctrl'],
  ['AltLeft', 'alt'],
  ['AltRight', 'alt'],
  ['MetaLeft', 'meta'],
  ['MetaRight', 'meta'],
]);

/** The key pressed to satisfy a modifier flag when the viewer did not send the key itself. */
export const MODIFIER_DEFAULT_CODE: Readonly<Record<ModifierName, string>> = {
  shift: 'ShiftLeft',
  ctrl: 'ControlLeft',
  alt: 'AltLeft',
  meta: 'MetaLeft',
};

const table: Array<[code: string, evdev: number, keysym: number]> = [
  ['Escape', 9, XK.Escape],
  ['Minus', 20, 0x2d],
  ['Equal', 21, 0x3d],
  ['Backspace', 22, XK.BackSpace],
  ['Tab', 23, XK.Tab],
  ['BracketLeft', 34, 0x5b],
  ['BracketRight', 35, 0x5d],
  ['Enter', 36, XK.Return],
  ['ControlLeft', 37, XK.Control_L],
  ['Semicolon', 47, 0x3b],
  ['Quote', 48, 0x27],
  ['Backquote', 49, 0x60],
  ['ShiftLeft', 50, XK.Shift_L],
  ['Backslash', 51, 0x5c],
  ['Comma', 59, 0x2c],
  ['Period', 60, 0x2e],
  ['Slash', 61, 0x2f],
  ['ShiftRight', 62, XK.Shift_R],
  ['NumpadMultiply', 63, XK.KP_Multiply],
  ['AltLeft', 64, XK.Alt_L],
  ['Space', 65, XK.space],
  ['CapsLock', 66, XK.Caps_Lock],
  ['NumLock', 77, XK.Num_Lock],
  ['ScrollLock', 78, XK.Scroll_Lock],
  ['NumpadSubtract', 82, XK.KP_Subtract],
  ['NumpadAdd', 86, XK.KP_Add],
  ['NumpadDecimal', 91, XK.KP_Decimal],
  ['IntlBackslash', 94, 0x3c],
  ['NumpadEnter', 104, XK.KP_Enter],
  ['ControlRight', 105, XK.Control_R],
  ['NumpadDivide', 106, XK.KP_Divide],
  ['PrintScreen', 107, XK.Print],
  ['AltRight', 108, XK.Alt_R],
  ['Home', 110, XK.Home],
  ['ArrowUp', 111, XK.Up],
  ['PageUp', 112, XK.Page_Up],
  ['ArrowLeft', 113, XK.Left],
  ['ArrowRight', 114, XK.Right],
  ['End', 115, XK.End],
  ['ArrowDown', 116, XK.Down],
  ['PageDown', 117, XK.Page_Down],
  ['Insert', 118, XK.Insert],
  ['Delete', 119, XK.Delete],
  ['NumpadEqual', 125, XK.KP_Equal],
  ['Pause', 127, XK.Pause],
  ['MetaLeft', 133, XK.Super_L],
  ['MetaRight', 134, XK.Super_R],
  ['ContextMenu', 135, XK.Menu],
];

// Digit1..Digit9 are evdev 10..18, Digit0 is 19.
for (let d = 1; d <= 9; d++) table.push([`Digit${d}`, 9 + d, 0x30 + d]);
table.push(['Digit0', 19, 0x30]);
// Letters by keyboard row, as evdev numbers them.
for (const [row, first] of [['QWERTYUIOP', 24], ['ASDFGHJKL', 38], ['ZXCVBNM', 52]] as const) {
  [...row].forEach((letter, i) => table.push([`Key${letter}`, first + i, letter.toLowerCase().charCodeAt(0)]));
}
// F1..F10 are evdev 67..76; F11, F12 are 95, 96.
for (let f = 1; f <= 12; f++) table.push([`F${f}`, f <= 10 ? 66 + f : 84 + f, XK.F1 + f - 1]);
// Numpad digits: evdev 79-81 (7-9), 83-85 (4-6), 87-89 (1-3), 90 (0).
const numpad: Record<number, number> = { 7: 79, 8: 80, 9: 81, 4: 83, 5: 84, 6: 85, 1: 87, 2: 88, 3: 89, 0: 90 };
for (const [digit, evdev] of Object.entries(numpad)) table.push([`Numpad${digit}`, evdev, XK.KP_0 + Number(digit)]);

/** Every supported DOM `KeyboardEvent.code` and its X key. */
export const DOM_CODES: ReadonlyMap<string, KeyLocation> = new Map(table.map(([code, evdev, keysym]) => [code, { evdev, keysym }]));
