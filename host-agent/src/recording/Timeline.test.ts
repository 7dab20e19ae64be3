import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEXT_BURST_GAP_MS, Timeline } from './Timeline.ts';

const NO_MODS = { shift: false, ctrl: false, alt: false, meta: false };

test('typed characters become one input:text burst at the time of its first character', () => {
  const tl = new Timeline();
  'hello'.split('').forEach((ch, i) => tl.input(1000 + i * 100, { type: 'input:text', text: ch }));
  assert.deepEqual(tl.take(0, 5000), [{ t: 1000, type: 'input:text', data: { text: 'hello', durationMs: 400 } }]);
});

test('a pause longer than the burst gap, a key or a click starts a new event; order is kept', () => {
  const tl = new Timeline();
  tl.input(0, { type: 'input:text', text: 'a' });
  tl.input(TEXT_BURST_GAP_MS + 1, { type: 'input:text', text: 'b' });
  tl.input(TEXT_BURST_GAP_MS + 2, { type: 'input:key', action: 'down', code: 'Enter', modifiers: NO_MODS });
  tl.input(TEXT_BURST_GAP_MS + 3, { type: 'input:key', action: 'up', code: 'Enter', modifiers: NO_MODS });
  tl.input(TEXT_BURST_GAP_MS + 4, { type: 'input:key', action: 'down', code: 'ControlLeft', modifiers: { ...NO_MODS, ctrl: true } });
  tl.input(TEXT_BURST_GAP_MS + 5, { type: 'input:key', action: 'down', code: 'KeyC', modifiers: { ...NO_MODS, ctrl: true } });
  tl.input(TEXT_BURST_GAP_MS + 6, { type: 'input:pointer', action: 'move', x: 5, y: 6, button: 0 });
  tl.input(TEXT_BURST_GAP_MS + 7, { type: 'input:pointer', action: 'down', x: 5, y: 6, button: 2 });
  tl.input(TEXT_BURST_GAP_MS + 8, { type: 'input:wheel', x: 5, y: 6, dx: 0, dy: 3 });
  tl.input(TEXT_BURST_GAP_MS + 9, { type: 'input:text', text: 'c' });
  assert.deepEqual(
    tl.take(0, 10_000).map((e) => [e.type, e.data]),
    [
      ['input:text', { text: 'a', durationMs: 0 }],
      ['input:text', { text: 'b', durationMs: 0 }],
      ['input:key', { key: 'Enter' }],
      ['input:key', { key: 'KeyC', modifiers: ['ctrl'] }],
      ['input:click', { x: 5, y: 6, button: 2 }],
      ['input:text', { text: 'c', durationMs: 0 }],
    ],
  );
});

test('take() hands out only events before the segment end, clamped into the segment; a burst is cut there', () => {
  const tl = new Timeline();
  tl.add(100, 'session:start');
  tl.input(4900, { type: 'input:text', text: 'ab' });
  tl.add(6000, 'consent', { decision: 'allowed' });
  assert.deepEqual(tl.take(1000, 5000), [
    { t: 1000, type: 'session:start' },
    { t: 4900, type: 'input:text', data: { text: 'ab', durationMs: 0 } },
  ]);
  tl.input(5100, { type: 'input:text', text: 'cd' });
  assert.deepEqual(tl.take(5000, 10_000), [
    { t: 5100, type: 'input:text', data: { text: 'cd', durationMs: 0 } },
    { t: 6000, type: 'consent', data: { decision: 'allowed' } },
  ]);
  tl.input(10_100, { type: 'input:text', text: 'e' });
  assert.deepEqual(tl.rest(), [{ t: 10_100, type: 'input:text', data: { text: 'e', durationMs: 0 } }]);
  assert.deepEqual(tl.rest(), []);
});

test('a very long burst is split so no event grows without bound', () => {
  const tl = new Timeline();
  for (let i = 0; i < 1500; i++) tl.input(i, { type: 'input:text', text: 'x' });
  const events = tl.take(0, 10_000);
  assert.equal(events.length, 2);
  assert.equal(events.map((e) => String(e.data?.['text'])).join('').length, 1500);
});
