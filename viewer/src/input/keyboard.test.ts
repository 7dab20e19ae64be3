import { expect } from '@open-wc/testing';
import { classifyKeyDown, type KeyLike } from './keyboard.ts';

function key(init: Partial<KeyLike> & Pick<KeyLike, 'key' | 'code'>): KeyLike {
  return { shiftKey: false, ctrlKey: false, altKey: false, metaKey: false, ...init };
}

const none = { shift: false, ctrl: false, alt: false, meta: false };

describe('keyboard classification', () => {
  it('sends a printable character as text', () => {
    expect(classifyKeyDown(key({ key: 'a', code: 'KeyA' }))).to.deep.equal({ kind: 'text', text: 'a' });
    expect(classifyKeyDown(key({ key: 'A', code: 'KeyA', shiftKey: true }))).to.deep.equal({ kind: 'text', text: 'A' });
    expect(classifyKeyDown(key({ key: ' ', code: 'Space' }))).to.deep.equal({ kind: 'text', text: ' ' });
    expect(classifyKeyDown(key({ key: '@', code: 'BracketLeft' }))).to.deep.equal({ kind: 'text', text: '@' });
  });

  it('treats one code point outside the BMP as one printable character', () => {
    expect(classifyKeyDown(key({ key: '😀', code: 'KeyQ' }))).to.deep.equal({ kind: 'text', text: '😀' });
  });

  it('sends named keys as key presses by physical code', () => {
    for (const [name, code] of [
      ['Enter', 'Enter'],
      ['Tab', 'Tab'],
      ['Backspace', 'Backspace'],
      ['F5', 'F5'],
      ['ArrowLeft', 'ArrowLeft'],
      ['Shift', 'ShiftLeft'],
      ['Zenkaku', 'Backquote'],
      ['Dead', 'Quote'],
    ] as const) {
      expect(classifyKeyDown(key({ key: name, code }))).to.deep.equal({ kind: 'key', code, modifiers: none });
    }
  });

  it('sends shortcuts with Ctrl, Alt or Meta as key presses with their modifiers', () => {
    expect(classifyKeyDown(key({ key: 'c', code: 'KeyC', ctrlKey: true }))).to.deep.equal({
      kind: 'key',
      code: 'KeyC',
      modifiers: { ...none, ctrl: true },
    });
    expect(classifyKeyDown(key({ key: 'F4', code: 'F4', altKey: true }))).to.deep.equal({
      kind: 'key',
      code: 'F4',
      modifiers: { ...none, alt: true },
    });
    expect(classifyKeyDown(key({ key: 'r', code: 'KeyR', metaKey: true })).kind).to.equal('key');
  });

  it('sends AltGr characters as text', () => {
    const altGr = key({ key: '€', code: 'KeyE', ctrlKey: true, altKey: true, altGraph: true });
    expect(classifyKeyDown(altGr)).to.deep.equal({ kind: 'text', text: '€' });
  });

  it('ignores keys while an IME is composing', () => {
    expect(classifyKeyDown(key({ key: 'a', code: 'KeyA', isComposing: true }))).to.deep.equal({ kind: 'ignore' });
    expect(classifyKeyDown(key({ key: 'Process', code: 'KeyA', keyCode: 229 }))).to.deep.equal({ kind: 'ignore' });
  });

  it('ignores keys without a usable physical code', () => {
    expect(classifyKeyDown(key({ key: 'Unidentified', code: '' }))).to.deep.equal({ kind: 'ignore' });
  });
});
