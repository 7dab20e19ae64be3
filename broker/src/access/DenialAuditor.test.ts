import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEvent } from '../store/SqliteStore.ts';
import { DenialAuditor, type Denial } from './DenialAuditor.ts';

function setup(options: { windowMs?: number; maxPerWindow?: number } = {}) {
  const written: AuditEvent[] = [];
  let now = 1_000_000;
  const auditor = new DenialAuditor({ write: (e) => written.push(e), now: () => now, ...options });
  return { written, auditor, advance: (ms: number) => (now += ms) };
}

const denial = (address: string, extra: Partial<Denial> = {}): Denial => ({
  address,
  scope: 'org',
  name: '*',
  channel: 'http',
  reason: 'outside_list',
  ...extra,
});

test('ACL12: each denial is audited with address, scope, list and channel', () => {
  const { written, auditor } = setup();
  auditor.record(denial('10.98.0.1', { actor: 'user1234' }));
  assert.deepEqual(written, [
    {
      type: 'access.denied',
      address: '10.98.0.1',
      actor: 'user1234',
      detail: { scope: 'org', list: '*', channel: 'http', reason: 'outside_list' },
    },
  ]);
  auditor.close();
});

test('ACL12: the same address and list is written once per window; the rest is summed up', () => {
  const { written, auditor, advance } = setup({ windowMs: 60_000 });
  for (let i = 0; i < 500; i++) auditor.record(denial('10.98.0.1'));
  assert.equal(written.length, 1);
  advance(60_000);
  auditor.record(denial('10.98.0.1'));
  assert.deepEqual(
    written.map((e) => e.type),
    ['access.denied', 'access.denied_suppressed', 'access.denied'],
  );
  assert.deepEqual(written[1]!.detail, { count: 499, windowMs: 60_000 });
  auditor.close();
});

test('ACL12: a flood from many addresses writes at most maxPerWindow events per window', () => {
  const { written, auditor } = setup({ maxPerWindow: 20 });
  for (let i = 0; i < 10_000; i++) auditor.record(denial(`2001:db8::${i.toString(16)}`));
  assert.equal(written.length, 20);
  auditor.close();
  assert.equal(written.length, 21);
  assert.deepEqual(written[20], { type: 'access.denied_suppressed', detail: { count: 9_980, windowMs: 60_000 } });
});

test('ACL12: closing twice is harmless and nothing is written after close', () => {
  const { written, auditor } = setup();
  auditor.close();
  auditor.close();
  assert.equal(auditor.record(denial('10.98.0.1')), false);
  assert.equal(written.length, 0);
});
