import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ViewerMessage } from './channel.ts';
import { SessionCode } from './common.ts';
import { TechEvents } from './events.ts';
import { parse, parseJson } from './validate.ts';

test('ERR2: a valid control message passes and keeps its fields', () => {
  const r = parseJson(ViewerMessage, JSON.stringify({ type: 'input:text', text: 'こんにちは ü€' }), 4096);
  assert.deepEqual(r, { ok: true, value: { type: 'input:text', text: 'こんにちは ü€' } });
});

test('ERR2: malformed control messages are refused with bad_message', () => {
  for (const text of ['{', '[]', 'null', '{"type":"input:key","action":"down","code":"Key A","modifiers":{"shift":false,"ctrl":false,"alt":false,"meta":false}}',
    '{"type":"input:pointer","action":"move","x":1.5,"y":1,"button":0}', '{"type":"input:text","text":"a\\u0000b"}',
    '{"type":"input:wheel","x":1,"y":1,"dx":0,"dy":1000}', '{"type":"session:end","extra":true}']) {
    const r = parseJson(ViewerMessage, text, 4096);
    assert.equal(r.ok ? 'ok' : r.error.code, 'bad_message', text);
  }
  const binary = parseJson(ViewerMessage, new ArrayBuffer(8), 4096);
  assert.equal(binary.ok ? 'ok' : binary.error.code, 'bad_message');
});

test('ERR2: oversized input is refused with too_large before parsing', () => {
  const r = parseJson(ViewerMessage, '{' + ' '.repeat(5000), 4096);
  assert.equal(r.ok ? 'ok' : r.error.code, 'too_large');
  const p = parse(TechEvents['hosts:list'], { pad: 'x'.repeat(10_000) }, 4096);
  assert.equal(p.ok ? 'ok' : p.error.code, 'too_large');
});

test('SES2: session codes accept the spoken grouping and nothing else', () => {
  const ok = parse(SessionCode, '123 456-789');
  assert.deepEqual(ok, { ok: true, value: '123456789' });
  for (const bad of ['12345678', '1234567890', '12345678a', '１２３４５６７８９']) assert.equal(parse(SessionCode, bad).ok, false, bad);
});
