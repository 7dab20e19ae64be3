import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AllowList, formatIp, isAddressAllowed, parseCidr, parseIp } from '@wardlink/protocol';
import { clientAddress } from './AllowList.ts';
import { canonicalCidr } from './AllowListStore.ts';

const list = new AllowList(['10.20.0.0/16', '192.168.5.7', '2001:db8:abcd::/48']);
const none = new AllowList([]);
const proxies = new AllowList(['10.99.0.1', '10.99.0.2']);
const ip = (s: string): string => formatIp(parseIp(s));

test('ACL1: addresses inside a listed network are allowed', () => {
  assert.equal(list.allows('10.20.3.4'), true);
  assert.equal(list.allows('192.168.5.7'), true);
  assert.equal(list.allows('2001:db8:abcd:12::1'), true);
});

test('ACL1: addresses outside every network are denied', () => {
  assert.equal(list.allows('10.21.0.1'), false);
  assert.equal(list.allows('192.168.5.8'), false);
  assert.equal(list.allows('2001:db8:abce::1'), false);
});

test('ACL2: an empty allow-list denies everything', () => {
  assert.equal(none.allows('127.0.0.1'), false);
  assert.equal(none.allows('::1'), false);
});

test('ACL3: IPv4-mapped IPv6 peers (dual-stack sockets) match their IPv4 rule', () => {
  assert.equal(list.allows('::ffff:10.20.3.4'), true);
  assert.equal(list.allows('::ffff:a14:304'), true);
  assert.equal(list.allows('::FFFF:10.21.0.1'), false);
});

test('ACL3: IPv4-compatible and NAT64 spellings are not the IPv4 address', () => {
  assert.equal(list.allows('::10.20.3.4'), false);
  assert.equal(list.allows('64:ff9b::10.20.3.4'), false);
});

test('ACL4: ambiguous IPv4 spellings (shorthand, octal, hex, leading zeros) are refused', () => {
  for (const bad of ['10.20.1', '127.1', '012.20.3.4', '0x0a.20.3.4', '10.020.3.4', '167772161', '10.20.3.4.', ' 10.20.3.4', '10.20.3.256']) {
    assert.throws(() => parseIp(bad), /not a valid address/, bad);
    assert.equal(list.allows(bad), false, bad);
  }
});

test('ACL4: malformed IPv6 (zone ids, brackets, extra groups, double ::) is refused', () => {
  for (const bad of ['fe80::1%eth0', '[::1]', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', '1:2:3:4:5:6:7', 'g::1', ':::']) {
    assert.throws(() => parseIp(bad), /not a valid address/, bad);
  }
});

test('ACL5: IPv6 is compared by value, whatever the spelling', () => {
  assert.equal(ip('2001:DB8:ABCD:0000:0000:0000:0000:0001'), '2001:db8:abcd::1');
  assert.equal(ip('0:0:0:0:0:0:0:1'), '::1');
  assert.equal(list.allows('2001:0db8:ABCD:0:0::1'), true);
});

test('ACL6: a network with host bits set, or a bad prefix, is a configuration error', () => {
  assert.throws(() => new AllowList(['10.20.0.0/8']), /host bits/);
  assert.throws(() => new AllowList(['10.0.0.0/33']), /prefix/);
  assert.throws(() => new AllowList(['10.0.0.0/08']), /prefix/);
  assert.throws(() => new AllowList(['2001:db8::/129']), /prefix/);
  assert.equal(parseCidr('::ffff:10.0.0.0/104').prefix, 8);
});

test('ACL6: /0 networks allow their whole family only', () => {
  const any4 = new AllowList(['0.0.0.0/0']);
  assert.equal(any4.allows('203.0.113.9'), true);
  assert.equal(any4.allows('2001:db8::1'), false);
});

test('PROXY1: forwarding headers are ignored unless the peer is a trusted proxy', () => {
  const got = clientAddress('10.20.3.4', '192.168.5.7', proxies);
  assert.equal(got && formatIp(got), '10.20.3.4');
});

test('PROXY2: behind a trusted proxy the rightmost untrusted hop is the client, not the spoofable leftmost', () => {
  const got = clientAddress('10.99.0.1', '192.168.5.7, 10.20.3.4', proxies);
  assert.equal(got && formatIp(got), '10.20.3.4');
});

test('PROXY2: chained trusted proxies are skipped', () => {
  const got = clientAddress('::ffff:10.99.0.1', '10.20.3.4, 10.99.0.2', proxies);
  assert.equal(got && formatIp(got), '10.20.3.4');
});

test('PROXY3: a garbage hop in the header from a trusted proxy denies', () => {
  assert.equal(clientAddress('10.99.0.1', '10.20.3.4, unknown', proxies), undefined);
  assert.equal(clientAddress('10.99.0.1', '10.20.3.4, 10.020.3.4', proxies), undefined);
});

test('PROXY3: an unparseable peer address denies', () => {
  assert.equal(clientAddress('not-an-ip', undefined, proxies), undefined);
});

// More address forms and forwarding-header cases (SPEC ACL4, ACL5, PROXY1-PROXY4).

test('ACL4: decimal, hex and octal integer forms of IPv4 are refused', () => {
  for (const bad of ['2130706433', '0x7f000001', '017700000001', '0x7f.1', '0177.1', '127.0.1']) {
    assert.throws(() => parseIp(bad), /not a valid address/, bad);
  }
});

test('ACL4: trailing newlines, full-width digits and embedded NULs are refused', () => {
  for (const bad of ['10.20.3.4\n', '１０.20.3.4', '10.20.3.4\0', '10.20.3.4/32', '']) {
    assert.throws(() => parseIp(bad), /not a valid address/, JSON.stringify(bad));
  }
});

test('ACL4: an IPv4 tail is only allowed as the last 32 bits of IPv6', () => {
  assert.throws(() => parseIp('::1.2.3.4:5'), /not a valid address/);
  assert.throws(() => parseIp('1.2.3.4::'), /not a valid address/);
  assert.throws(() => parseIp('::ffff:1.2.3'), /not a valid address/);
  assert.equal(ip('::ffff:1.2.3.4'), '1.2.3.4');
});

test('ACL5: leading zeros in IPv6 groups, upper case and full forms compare equal', () => {
  assert.equal(ip('FE80:0000:0000:0000:0202:B3FF:FE1E:8329'), 'fe80::202:b3ff:fe1e:8329');
  assert.equal(ip('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(ip('::'), '::');
  assert.equal(ip('::FFFF:0A14:0304'), '10.20.3.4');
});

test('ACL6: canonical CIDR text is what gets stored', () => {
  assert.equal(canonicalCidr('2001:DB8:ABCD::/48'), '2001:db8:abcd::/48');
  assert.equal(canonicalCidr('::ffff:10.0.0.0/104'), '10.0.0.0/8');
  assert.equal(canonicalCidr('192.168.5.7'), '192.168.5.7/32');
  assert.throws(() => canonicalCidr('10.0.0.0/8 '), /not a valid address|prefix/);
});

test('PROXY1: a spoofed X-Forwarded-For from an untrusted peer never changes the address, whatever it says', () => {
  for (const header of ['10.99.0.1', '10.20.3.4, 10.99.0.1', 'unknown', '[::1]', '']) {
    const got = clientAddress('192.168.5.7', header, proxies);
    assert.equal(got && formatIp(got), '192.168.5.7', header);
  }
});

test('PROXY1: the zone id of a link-local peer from the kernel is dropped; a zone id in a header is refused', () => {
  const got = clientAddress('fe80::1%lo', undefined, proxies);
  assert.equal(got && formatIp(got), 'fe80::1');
  assert.equal(clientAddress('10.99.0.1', 'fe80::1%eth0', proxies), undefined);
});

test('PROXY2: several X-Forwarded-For header lines count as one list, read from the right', () => {
  const got = clientAddress('10.99.0.1', ['192.168.5.7', '10.20.3.4, 10.99.0.2'], proxies);
  assert.equal(got && formatIp(got), '10.20.3.4');
});

test('PROXY2: IPv6 and IPv4-mapped hops from a trusted proxy are read canonically', () => {
  const v6 = clientAddress('10.99.0.2', '2001:DB8:ABCD:0:0:0:0:1', proxies);
  assert.equal(v6 && formatIp(v6), '2001:db8:abcd::1');
  const mapped = clientAddress('10.99.0.2', '::ffff:10.20.3.4', proxies);
  assert.equal(mapped && formatIp(mapped), '10.20.3.4');
});

test('PROXY2: a chain made only of trusted proxies yields the address of the leftmost proxy', () => {
  const got = clientAddress('10.99.0.1', '10.99.0.2', proxies);
  assert.equal(got && formatIp(got), '10.99.0.2');
});

test('PROXY3: ports, brackets, obfuscated identifiers or an empty header from a trusted proxy deny', () => {
  for (const header of ['10.20.3.4:443', '[2001:db8::1]', '[2001:db8::1]:443', '_hidden', 'unknown', '', ' , ', '10.20.3.4,,']) {
    assert.equal(clientAddress('10.99.0.1', header, proxies), undefined, JSON.stringify(header));
  }
});

test('PROXY3: ambiguous IPv4 spellings in a forwarded hop deny instead of being read as another address', () => {
  for (const header of ['0x0a.20.3.4', '167772161', '10.20.3.04', '10.20.3']) {
    assert.equal(clientAddress('10.99.0.1', header, proxies), undefined, header);
  }
});

test('ACL1: isAddressAllowed, the pure helper for other parts, follows the same rules', () => {
  assert.equal(isAddressAllowed('::ffff:10.20.3.4', ['10.20.0.0/16']), true);
  assert.equal(isAddressAllowed('10.020.3.4', ['10.20.0.0/16']), false);
  assert.equal(isAddressAllowed('10.20.3.4', []), false);
});
