/** X keysyms used by the keyboard code (values from X11/keysymdef.h). */
export const XK = {
  BackSpace: 0xff08,
  Tab: 0xff09,
  Return: 0xff0d,
  Pause: 0xff13,
  Scroll_Lock: 0xff14,
  Escape: 0xff1b,
  Home: 0xff50,
  Left: 0xff51,
  Up: 0xff52,
  Right: 0xff53,
  Down: 0xff54,
  Page_Up: 0xff55,
  Page_Down: 0xff56,
  End: 0xff57,
  Print: 0xff61,
  Insert: 0xff63,
  Menu: 0xff67,
  Num_Lock: 0xff7f,
  KP_Enter: 0xff8d,
  KP_Multiply: 0xffaa,
  KP_Add: 0xffab,
  KP_Subtract: 0xffad,
  KP_Decimal: 0xffae,
  KP_Divide: 0xffaf,
  KP_0: 0xffb0,
  KP_Equal: 0xffbd,
  F1: 0xffbe,
  Shift_L: 0xffe1,
  Shift_R: 0xffe2,
  Control_L: 0xffe3,
  Control_R: 0xffe4,
  Caps_Lock: 0xffe5,
  Shift_Lock: 0xffe6,
  Meta_L: 0xffe7,
  Meta_R: 0xffe8,
  Alt_L: 0xffe9,
  Alt_R: 0xffea,
  Super_L: 0xffeb,
  Super_R: 0xffec,
  Hyper_L: 0xffed,
  Hyper_R: 0xffee,
  ISO_Level3_Shift: 0xfe03,
  Mode_switch: 0xff7e,
  Delete: 0xffff,
  space: 0x20,
} as const;

/** Keysym meaning "no symbol" in a keyboard mapping. */
export const NO_SYMBOL = 0;

/** Keysyms of modifier keys: released before typing text so they cannot alter it. */
export const MODIFIER_KEYSYMS: ReadonlySet<number> = new Set([
  XK.Shift_L, XK.Shift_R, XK.Control_L, XK.Control_R, XK.Caps_Lock, XK.Shift_Lock, XK.Meta_L, XK.Meta_R,
  XK.Alt_L, XK.Alt_R, XK.Super_L, XK.Super_R, XK.Hyper_L, XK.Hyper_R, XK.ISO_Level3_Shift, XK.Mode_switch,
]);

/**
 * The keysym that types one Unicode code point: Latin-1 characters have keysyms equal to their
 * code point, every other character has the Unicode keysym `0x01000000 + code point`, which Xlib
 * turns back into that character. Line breaks and tabs map to Return and Tab; other control
 * characters have no keysym (undefined).
 */
export function keysymForCodePoint(cp: number): number | undefined {
  if (cp === 0x0a || cp === 0x0d) return XK.Return;
  if (cp === 0x09) return XK.Tab;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return undefined;
  if (cp <= 0xff) return cp;
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
  return 0x01000000 + cp;
}

/**
 * For a keysym from a keyboard mapping, the Unicode keysym of the same character, so that a
 * legacy keysym (e.g. EuroSign 0x20ac) and its Unicode form (0x10020ac) compare equal. Only the
 * few legacy keysyms likely on European layouts are listed; others are returned unchanged.
 */
export function normaliseKeysym(keysym: number): number {
  // Unicode keysyms of Latin-1 characters are the same as the Latin-1 keysyms.
  if (keysym >= 0x1000020 && keysym <= 0x10000ff) return keysym - 0x1000000;
  return LEGACY_TO_UNICODE.get(keysym) ?? keysym;
}

const LEGACY_TO_UNICODE = new Map<number, number>([
  [0x20ac, 0x10020ac], // EuroSign
  [0x01a1, 0x1000104], // Aogonek
  [0x01b1, 0x1000105], // aogonek
  [0x01a3, 0x1000141], // Lstroke
  [0x01b3, 0x1000142], // lstroke
  [0x01c6, 0x1000106], // Cacute
  [0x01e6, 0x1000107], // cacute
  [0x01ca, 0x1000118], // Eogonek
  [0x01ea, 0x1000119], // eogonek
  [0x01d1, 0x1000143], // Nacute
  [0x01f1, 0x1000144], // nacute
  [0x01a6, 0x100015a], // Sacute
  [0x01b6, 0x100015b], // sacute
  [0x01ac, 0x1000179], // Zacute
  [0x01bc, 0x100017a], // zacute
  [0x01af, 0x100017b], // Zabovedot
  [0x01bf, 0x100017c], // zabovedot
  [0x01a9, 0x1000160], // Scaron
  [0x01b9, 0x1000161], // scaron
  [0x01ae, 0x100017d], // Zcaron
  [0x01be, 0x100017e], // zcaron
  [0x01c8, 0x100010c], // Ccaron
  [0x01e8, 0x100010d], // ccaron
]);
