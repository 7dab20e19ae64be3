import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../logger.ts';
import { SqliteStore } from '../store/SqliteStore.ts';
import { AccessControl } from './AccessControl.ts';
import { AllowListStore } from './AllowListStore.ts';
import { parseIp } from '@wardlink/protocol';

const dirs: string[] = [];
const open: Array<{ close(): void }> = [];
after(() => {
  open.forEach((o) => o.close());
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function freshStore(): { dir: string; store: SqliteStore } {
  const dir = mkdtempSync(join(tmpdir(), 'wl-access-'));
  dirs.push(dir);
  const store = new SqliteStore(dir);
  open.push(store);
  return { dir, store };
}

function control(store: SqliteStore, reloadMs = 0): AccessControl {
  const access = new AccessControl({ store, trustedProxies: ['127.0.0.1'], reloadMs, log: createLogger('silent') });
  open.push(access);
  return access;
}

function addHost(store: SqliteStore, id: string): void {
  store.addHost({ id, name: `PC ${id}`, publicKey: `key-${id}`, enrolledAt: Date.now() });
}

const waitFor = async (predicate: () => boolean, timeoutMs = 3000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

test('ACL14: a fresh broker allows loopback, private and link-local networks in each default list', () => {
  const { store } = freshStore();
  const lists = new AllowListStore(store).lists();
  const defaults = ['10.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '::1/128', 'fc00::/7', 'fe80::/10'];
  assert.deepEqual(
    lists.map((l) => [l.scope, l.name, [...l.entries].sort()]),
    [
      ['group', '*', [...defaults].sort()],
      ['org', '*', [...defaults].sort()],
      ['role', '*', [...defaults].sort()],
    ],
  );
  const policy = control(store).policy;
  assert.equal(policy.anyTechnician(parseIp('127.0.0.1')).allowed, true);
  assert.equal(policy.anyTechnician(parseIp('fd00::5')).allowed, true);
  assert.equal(policy.anyone(parseIp('203.0.113.7')).allowed, false);
  assert.equal(policy.anyone(parseIp('2001:db8::1')).allowed, false);
});

test('ACL6: entries are stored in canonical form; ambiguous spellings and bad names are refused', () => {
  const { store } = freshStore();
  const lists = new AllowListStore(store);
  assert.equal(lists.add('org', 'Vendor KK', '2001:DB8:0:0::/32'), '2001:db8::/32');
  assert.equal(lists.add('org', 'Vendor KK', '::ffff:10.20.0.0/112'), '10.20.0.0/16');
  assert.throws(() => lists.add('org', 'Vendor KK', '010.0.0.0/8'), /not a valid address/);
  assert.throws(() => lists.add('org', 'Vendor KK', '10.0.0.1/8'), /host bits/);
  assert.throws(() => lists.add('role', 'root', '10.0.0.0/8'), /role list/);
  assert.throws(() => lists.add('group', 'Ward 3', '10.0.0.0/8'), /host group/);
  assert.throws(() => lists.add('org', 'bad\u0007name', '10.0.0.0/8'), /organisation/);
  assert.deepEqual(lists.lists().find((l) => l.name === 'Vendor KK')?.entries, ['10.20.0.0/16', '2001:db8::/32']);
});

test('ACL8: clearing keeps an empty list that denies; dropping it brings back the default', () => {
  const { store } = freshStore();
  const lists = new AllowListStore(store);
  const access = control(store);
  const user = { organisation: 'Vendor KK', role: 'vendor' };
  lists.set('org', 'Vendor KK', []);
  access.reload();
  assert.deepEqual(access.policy.technician(parseIp('10.1.1.1'), user), { allowed: false, scope: 'org', name: 'Vendor KK' });
  assert.equal(lists.drop('org', 'Vendor KK'), true);
  access.reload();
  assert.equal(access.policy.technician(parseIp('10.1.1.1'), user).allowed, true);
});

test('ACL13: a change committed by another process (the CLI) is picked up and announced once', async () => {
  const { dir, store } = freshStore();
  const access = control(store, 20);
  let changes = 0;
  access.onChange(() => changes++);
  const cli = new SqliteStore(dir);
  open.push(cli);
  new AllowListStore(cli).set('role', 'vendor', ['10.20.1.0/24']);
  await waitFor(() => changes === 1);
  assert.equal(access.policy.technician(parseIp('10.20.2.1'), { organisation: 'x', role: 'vendor' }).allowed, false);
  cli.audit({ type: 'unrelated' });
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(changes, 1, 'a commit that does not touch the lists announces nothing');
});

test('ACL13: moving a host to another group is a change too', async () => {
  const { dir, store } = freshStore();
  addHost(store, 'hostAAAA1');
  const access = control(store, 20);
  let changes = 0;
  access.onChange(() => changes++);
  const cli = new SqliteStore(dir);
  open.push(cli);
  const lists = new AllowListStore(cli);
  lists.set('group', 'radiology', ['10.60.0.0/16']);
  await waitFor(() => changes === 1);
  assert.equal(lists.setHostGroup('PC hostAAAA1', 'radiology'), 'hostAAAA1');
  await waitFor(() => changes === 2);
  assert.equal(access.checkHost(parseIp('10.1.1.1'), 'hostAAAA1').allowed, false);
  assert.equal(access.checkHost(parseIp('10.60.1.1'), 'hostAAAA1').allowed, true);
});

test('ACL11: a host enrolled after the last load is looked up, not judged by the union of groups', () => {
  const { store } = freshStore();
  const lists = new AllowListStore(store);
  lists.set('group', 'default', ['10.50.0.0/16']);
  lists.set('group', 'radiology', ['10.60.0.0/16']);
  const access = control(store);
  addHost(store, 'hostNEW01');
  assert.deepEqual(access.checkHost(parseIp('10.60.1.1'), 'hostNEW01'), { allowed: false, scope: 'group', name: 'default' });
  assert.equal(access.checkHost(parseIp('10.50.1.1'), 'hostNEW01').allowed, true);
});

test('PROXY1: the client address honours only the configured proxies', () => {
  const { store } = freshStore();
  const access = control(store);
  const behind = access.clientOf('::ffff:127.0.0.1', '10.20.3.4');
  assert.deepEqual(behind && [...behind.bytes], [10, 20, 3, 4]);
  const direct = access.clientOf('10.9.9.9', '127.0.0.1');
  assert.deepEqual(direct && [...direct.bytes], [10, 9, 9, 9]);
});

test('ACL12: denials reach the audit log, rate-limited, and close() writes the summary', () => {
  const { store } = freshStore();
  const access = new AccessControl({ store, trustedProxies: [], reloadMs: 0, log: createLogger('silent'), audit: { maxPerWindow: 3 } });
  for (let i = 0; i < 50; i++) {
    access.denied({ address: parseIp(`10.98.0.${i}`), scope: 'any', name: '', channel: 'socket', reason: 'outside_list' });
  }
  access.denied({ address: undefined, peer: 'garbage%%'.repeat(20), scope: 'any', name: '', channel: 'socket', reason: 'outside_list' });
  access.close();
  access.close();
  const events = store.auditEvents();
  assert.deepEqual(
    events.map((e) => [e.type, e.address]),
    [
      ['access.denied', '10.98.0.0'],
      ['access.denied', '10.98.0.1'],
      ['access.denied', '10.98.0.2'],
      ['access.denied_suppressed', undefined],
    ],
  );
  assert.deepEqual(events[3]!.detail, { count: 48, windowMs: 60_000 });
});
