import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AllowListPolicy } from './AllowListPolicy.ts';
import type { AllowListRecord } from './AllowListStore.ts';
import { parseIp } from '@wardlink/protocol';

const a = (text: string) => parseIp(text);
const lists: AllowListRecord[] = [
  { scope: 'org', name: '*', entries: ['10.0.0.0/8'] },
  { scope: 'org', name: 'Vendor KK', entries: ['10.20.0.0/16', '2001:db8:20::/48'] },
  { scope: 'org', name: 'Locked Out KK', entries: [] },
  { scope: 'role', name: '*', entries: ['10.0.0.0/8', '2001:db8::/32'] },
  { scope: 'role', name: 'vendor', entries: ['10.20.1.0/24', '2001:db8:20:1::/64'] },
  { scope: 'group', name: '*', entries: ['10.50.0.0/16'] },
  { scope: 'group', name: 'radiology', entries: ['10.60.0.0/16'] },
];
const groups = new Map([
  ['hostDefault1', 'default'],
  ['hostRadiology', 'radiology'],
]);
const policy = new AllowListPolicy(lists, groups);
const vendor = { organisation: 'Vendor KK', role: 'vendor' };
const helpdesk = { organisation: 'Hospital IT', role: 'helpdesk' };

test('ACL9: a technician needs the organisation list AND the role list', () => {
  assert.equal(policy.technician(a('10.20.1.5'), vendor).allowed, true);
  assert.deepEqual(policy.technician(a('10.20.2.5'), vendor), { allowed: false, scope: 'role', name: 'vendor' });
  assert.deepEqual(policy.technician(a('10.30.1.5'), vendor), { allowed: false, scope: 'org', name: 'Vendor KK' });
  assert.equal(policy.technician(a('2001:db8:20:1::9'), vendor).allowed, true);
  assert.equal(policy.technician(a('2001:db8:20:2::9'), vendor).allowed, false);
});

test('ACL8: a name without its own list falls back to the default list "*" of its scope', () => {
  assert.equal(policy.technician(a('10.99.0.1'), helpdesk).allowed, true);
  assert.deepEqual(policy.technician(a('192.168.1.1'), helpdesk), { allowed: false, scope: 'org', name: '*' });
});

test('ACL2, ACL8: an existing empty list denies and does not fall back to "*"', () => {
  assert.deepEqual(policy.technician(a('10.20.1.5'), { organisation: 'Locked Out KK', role: 'vendor' }), {
    allowed: false,
    scope: 'org',
    name: 'Locked Out KK',
  });
});

test('ACL2: without any list (no default either) everyone is denied', () => {
  const empty = new AllowListPolicy([], new Map([['h1', 'default']]));
  assert.equal(empty.technician(a('127.0.0.1'), helpdesk).allowed, false);
  assert.equal(empty.anyTechnician(a('127.0.0.1')).allowed, false);
  assert.equal(empty.host(a('127.0.0.1'), 'h1').allowed, false);
  assert.equal(empty.anyone(a('::1')).allowed, false);
});

test('ACL10: before sign-in, any organisation or role list admits the address', () => {
  assert.equal(policy.anyTechnician(a('10.1.2.3')).allowed, true);
  assert.equal(policy.anyTechnician(a('2001:db8:ffff::1')).allowed, true);
  assert.equal(policy.anyTechnician(a('10.60.0.1')).allowed, true);
  assert.equal(policy.anyTechnician(a('192.168.0.1')).allowed, false);
});

test('ACL11: a host needs its group list; the default group uses "*"', () => {
  assert.equal(policy.host(a('10.60.1.1'), 'hostRadiology').allowed, true);
  assert.deepEqual(policy.host(a('10.50.1.1'), 'hostRadiology'), { allowed: false, scope: 'group', name: 'radiology' });
  assert.equal(policy.host(a('10.50.1.1'), 'hostDefault1').allowed, true);
  assert.equal(policy.host(a('10.60.1.1'), 'hostDefault1').allowed, false);
});

test('ACL11: before the host is known, any host-group list admits; technician lists do not', () => {
  assert.equal(policy.host(a('10.60.1.1')).allowed, true);
  assert.equal(policy.host(a('10.50.1.1'), 'unknownHostId').allowed, true);
  assert.equal(policy.host(a('10.20.1.5')).allowed, false);
});

test('ACL3: IPv4-mapped addresses meet the IPv4 rules in every scope', () => {
  assert.equal(policy.technician(a('::ffff:10.20.1.5'), vendor).allowed, true);
  assert.equal(policy.host(a('::ffff:10.60.1.1'), 'hostRadiology').allowed, true);
});

test('ACL2: an address that did not parse (undefined) is denied everywhere', () => {
  assert.equal(policy.technician(undefined, vendor).allowed, false);
  assert.equal(policy.anyTechnician(undefined).allowed, false);
  assert.equal(policy.host(undefined, 'hostRadiology').allowed, false);
  assert.equal(policy.anyone(undefined).allowed, false);
});

test('ACL6: a malformed entry in the database is skipped (narrowing), and reported', () => {
  const bad: string[] = [];
  const p = new AllowListPolicy([{ scope: 'group', name: '*', entries: ['10.0.0.0/8', '010.1.0.0/16', 'junk'] }], new Map(), (e) => bad.push(e));
  assert.deepEqual(bad, ['group *: 010.1.0.0/16', 'group *: junk']);
  assert.equal(p.host(a('10.1.0.1')).allowed, true);
  assert.equal(p.host(a('8.1.0.1')).allowed, false);
});
