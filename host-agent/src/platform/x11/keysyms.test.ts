import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDisplay } from './display.ts';
import { DOM_CODES } from './domCodes.ts';
import { XK, keysymForCodePoint, normaliseKeysym } from './keysyms.ts';

describe('keysyms', () => {
  it('maps Latin-1 to itself and everything else to Unicode keysyms', () => {
    assert.equal(keysymForCodePoint('a'.codePointAt(0)!), 0x61);
    assert.equal(keysymForCodePoint('_'.codePointAt(0)!), 0x5f);
    assert.equal(keysymForCodePoint('ü'.codePointAt(0)!), 0xfc);
    assert.equal(keysymForCodePoint('€'.codePointAt(0)!), 0x10020ac);
    assert.equal(keysymForCodePoint('日'.codePointAt(0)!), 0x10065e5);
    assert.equal(keysymForCodePoint('😀'.codePointAt(0)!), 0x101f600);
  });

  it('turns line breaks and tabs into keys and drops other control characters', () => {
    assert.equal(keysymForCodePoint(0x0a), XK.Return);
    assert.equal(keysymForCodePoint(0x09), XK.Tab);
    assert.equal(keysymForCodePoint(0x1b), undefined);
    assert.equal(keysymForCodePoint(0x85), undefined);
  });

  it('treats legacy and Unicode keysyms of one character as equal', () => {
    assert.equal(normaliseKeysym(0x20ac), 0x10020ac);
    assert.equal(normaliseKeysym(0x10000fc), 0xfc);
    assert.equal(normaliseKeysym(0x61), 0x61);
  });
});

describe('DOM codes', () => {
  it('cover letters, digits, F1-F12, navigation, modifiers, punctuation and the numpad', () => {
    const codes = [
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').map((l) => `Key${l}`),
      ...'0123456789'.split('').map((d) => `Digit${d}`),
      ...Array.from({ length: 12 }, (_, i) => `F${i + 1}`),
      'Enter', 'Escape', 'Backspace', 'Tab', 'Space', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight',
      'Home', 'End', 'PageUp', 'PageDown', 'Insert', 'Delete',
      'ShiftLeft', 'ShiftRight', 'ControlLeft', 'ControlRight', 'AltLeft', 'AltRight', 'MetaLeft', 'MetaRight',
      'Minus', 'Equal', 'BracketLeft', 'BracketRight', 'Semicolon', 'Quote', 'Comma', 'Period', 'Slash',
      'Backslash', 'Backquote', ...'0123456789'.split('').map((d) => `Numpad${d}`), 'NumpadAdd', 'NumpadEnter',
    ];
    for (const code of codes) assert.ok(DOM_CODES.has(code), code);
    const evdev = [...DOM_CODES.values()].map((k) => k.evdev);
    assert.equal(new Set(evdev).size, evdev.length, 'no two codes share a key');
  });
});

describe('display names', () => {
  it('accepts local displays and refuses remote ones', () => {
    assert.deepEqual(parseDisplay(':0'), { number: 0, screen: 0 });
    assert.deepEqual(parseDisplay(':12.1'), { number: 12, screen: 1 });
    assert.deepEqual(parseDisplay('unix:3'), { number: 3, screen: 0 });
    assert.throws(() => parseDisplay('otherhost:0'), { code: 'display_unavailable' });
    assert.throws(() => parseDisplay(''), { code: 'display_unavailable' });
  });
});
