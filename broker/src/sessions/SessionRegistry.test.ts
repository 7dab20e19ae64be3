import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BrokerError } from '../errors.ts';
import { SessionRegistry } from './SessionRegistry.ts';

const SID = 'AAAAAAAAAAAAAAAAAAAAAA';
const online = (): boolean => true;

function registry(now = { t: 1_000_000 }) {
  return { now, reg: new SessionRegistry({ codeTtlMs: 60_000, now: () => now.t }) };
}

function code(err: unknown): string {
  assert.ok(err instanceof BrokerError, `expected a BrokerError, got ${String(err)}`);
  return err.code;
}

test('SES1: a code has 9 digits and asking again withdraws the previous one', () => {
  const { reg } = registry();
  const first = reg.open('host-1', SID);
  assert.match(first.code, /^\d{9}$/);
  const second = reg.open('host-1', SID);
  assert.throws(() => reg.join(first.code, 'tech-1', online), (e) => code(e) === 'not_found');
  assert.equal(reg.join(second.code, 'tech-1', online).hostId, 'host-1');
});

test('SES2: a code works once, expires, and needs the host online', () => {
  const { reg, now } = registry();
  const pending = reg.open('host-1', SID);
  assert.throws(() => reg.join(pending.code, 'tech-1', () => false), (e) => code(e) === 'host_offline');
  const session = reg.join(pending.code, 'tech-1', online);
  assert.equal(session.sid, SID);
  assert.throws(() => reg.join(pending.code, 'tech-2', online), (e) => code(e) === 'not_found');

  const other = reg.open('host-2', SID);
  now.t += 60_001;
  assert.throws(() => reg.join(other.code, 'tech-1', online), (e) => code(e) === 'expired');
});

test('SES1: a host in a session cannot open another', () => {
  const { reg } = registry();
  reg.join(reg.open('host-1', SID).code, 'tech-1', online);
  assert.throws(() => reg.open('host-1', SID), (e) => code(e) === 'session_busy');
});

test('SES2: failed joins are rate-limited per technician', () => {
  const { reg, now } = registry();
  for (let i = 0; i < 10; i++) assert.throws(() => reg.join('000000000', 'tech-1', online), (e) => code(e) === 'not_found');
  const pending = reg.open('host-1', SID);
  assert.throws(() => reg.join(pending.code, 'tech-1', online), (e) => code(e) === 'rate_limited');
  assert.equal(reg.join(pending.code, 'tech-2', online).technicianId, 'tech-2');
  now.t += 10 * 60_000 + 1;
  assert.throws(() => reg.join('000000000', 'tech-1', online), (e) => code(e) === 'not_found');
});

test('SES3/SES4: only the session parties may signal, once each, in order', () => {
  const { reg } = registry();
  const session = reg.join(reg.open('host-1', SID).code, 'tech-1', online);
  assert.throws(() => reg.answer(session.id, 'host-1'), (e) => code(e) === 'forbidden');
  assert.throws(() => reg.offer(session.id, 'tech-2'), (e) => code(e) === 'not_found');
  reg.offer(session.id, 'tech-1');
  assert.throws(() => reg.offer(session.id, 'tech-1'), (e) => code(e) === 'forbidden');
  assert.throws(() => reg.answer(session.id, 'host-2'), (e) => code(e) === 'not_found');
  assert.equal(reg.answer(session.id, 'host-1').state, 'answered');
  assert.throws(() => reg.answer(session.id, 'host-1'), (e) => code(e) === 'forbidden');
});

test('SES5: ending is idempotent and frees the host', () => {
  const { reg } = registry();
  const session = reg.join(reg.open('host-1', SID).code, 'tech-1', online);
  assert.equal(reg.end(session.id, 'ended_by_host')?.id, session.id);
  assert.equal(reg.end(session.id, 'ended_by_host'), undefined);
  assert.match(reg.open('host-1', SID).code, /^\d{9}$/);
});

test('SES7: M3 only from the session technician, once, after the answer', () => {
  const { reg } = registry();
  const session = reg.join(reg.open('host-1', SID).code, 'tech-1', online);
  reg.offer(session.id, 'tech-1');
  assert.throws(() => reg.confirm(session.id, 'tech-1'), (e) => code(e) === 'forbidden');
  reg.answer(session.id, 'host-1');
  assert.throws(() => reg.confirm(session.id, 'tech-2'), (e) => code(e) === 'not_found');
  assert.equal(reg.confirm(session.id, 'tech-1').state, 'confirmed');
  assert.throws(() => reg.confirm(session.id, 'tech-1'), (e) => code(e) === 'forbidden');
});

test('PIN5: after a failed attempt the host may keep its code under a new sid, until the code expires', () => {
  const { reg, now } = registry();
  const first = reg.open('host-1', SID);
  const session = reg.join(first.code, 'tech-1', online);
  reg.end(session.id, 'auth_failed');
  const kept = reg.open('host-1', 'BBBBBBBBBBBBBBBBBBBBBB', true);
  assert.equal(kept.code, first.code);
  assert.equal(kept.expiresAt, first.expiresAt);
  assert.equal(reg.join(first.code, 'tech-1', online).sid, 'BBBBBBBBBBBBBBBBBBBBBB');

  const other = reg.open('host-2', SID);
  reg.end(reg.join(other.code, 'tech-1', online).id, 'auth_failed');
  assert.notEqual(reg.open('host-2', SID).code, other.code, 'without keepCode a new code is made');

  const third = reg.open('host-3', SID);
  reg.end(reg.join(third.code, 'tech-1', online).id, 'auth_failed');
  now.t += 60_001;
  assert.notEqual(reg.open('host-3', SID, true).code, third.code, 'an expired code is not kept');
});
