// ACL1-ACL14, PROXY1-PROXY3: the broker enforces its allow-lists on every HTTP request and every
// socket.io connection, from real source addresses. The test adds addresses to `lo` of its private
// network namespace; the broker listens on the dual-stack wildcard `::`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'socket.io-client';
import {
  addLoopbackAddresses,
  call,
  connect,
  connectHost,
  deniedEvents,
  disconnected,
  enrollHost,
  inPrivateNetworkNamespace,
  login,
  type TestHost,
} from './support/access.ts';
import { startBroker, type TestBroker, type TestUser } from './support/broker.ts';

// Addresses on lo for this test:
const INSIDE = '10.99.0.1'; // in the organisation's list, the role's list and host group "default"
const ROLE_ONLY = '10.99.0.2'; // in the role's list and group "radiology", not in the organisation's list
const OUTSIDE = '10.98.0.1'; // in no list at all
const PROXY = '10.99.0.9'; // the trusted reverse proxy (in the role's list only)
const INSIDE6 = 'fd99::1';
const OUTSIDE6 = 'fd99:1::2';

const isolated = await inPrivateNetworkNamespace();
const skip = isolated ? false : 'needs a private network namespace (run through npm test or unshare -n)';

let broker: TestBroker;
let removeAddresses: () => Promise<void> = async () => undefined;
let user: TestUser;
let cookie: string;
let host: TestHost;
const sockets: Socket[] = [];

before(async () => {
  if (!isolated) return;
  removeAddresses = await addLoopbackAddresses([INSIDE, ROLE_ONLY, OUTSIDE, PROXY, INSIDE6, OUTSIDE6]);
  broker = await startBroker({ host: '::', env: { WARDLINK_TRUSTED_PROXIES: `${PROXY}/32`, WARDLINK_ALLOW_RELOAD_MS: '100' } });
  user = await broker.addUser({ username: 'nurse.it', org: 'Clinic IT', role: 'helpdesk' });
  // Narrow the fresh broker's defaults (ACL14) the way a hospital would: empty defaults, explicit lists.
  await Promise.all([
    broker.cli(['allow', 'clear', 'org', '*']),
    broker.cli(['allow', 'clear', 'role', '*']),
    broker.cli(['allow', 'set', 'org', 'Clinic IT', `${INSIDE},${INSIDE6}`]),
    broker.cli(['allow', 'set', 'role', 'helpdesk', `10.99.0.0/24,${INSIDE6}/128`]),
  ]);
  await broker.cli(['allow', 'set', 'group', '*', `${INSIDE}/32`]);
  await broker.cli(['allow', 'set', 'group', 'radiology', `${ROLE_ONLY}/32`]);
  await new Promise((r) => setTimeout(r, 300));
  cookie = await login(broker, user, INSIDE);
  host = await enrollHost(broker, INSIDE);
});

after(async () => {
  sockets.forEach((s) => s.disconnect());
  await broker?.stop();
  await removeAddresses();
});

/** Connects to /tech with the technician's cookie; keeps connected sockets for cleanup. */
async function tech(from: string, headers?: Record<string, string>): Promise<{ result: string; socket: Socket }> {
  const c = await connect(broker, '/tech', { from, cookie, ...(headers ? { headers } : {}) });
  if (c.result === 'connected') sockets.push(c.socket);
  return c;
}

describe('HTTP (ACL9, ACL10)', { skip }, () => {
  test('ACL9: a signed-in technician inside both lists is served, over IPv4 and IPv6', async () => {
    assert.deepEqual(await pick(call(broker, { from: INSIDE, path: '/api/me', cookie })), [200, 'ok']);
    assert.deepEqual(await pick(call(broker, { from: INSIDE6, path: '/api/me', cookie })), [200, 'ok']);
  });

  test('ACL10: an address outside every list gets address_denied for files, sign-in and API alike', async () => {
    assert.deepEqual(await pick(call(broker, { from: OUTSIDE, path: '/' })), [403, 'address_denied']);
    assert.deepEqual(await pick(call(broker, { from: OUTSIDE, path: '/api/login', body: { username: 'x1', password: 'y' } })), [403, 'address_denied']);
    assert.deepEqual(await pick(call(broker, { from: OUTSIDE, path: '/api/me', cookie })), [403, 'address_denied']);
    assert.deepEqual(await pick(call(broker, { from: OUTSIDE6, path: '/api/hosts', cookie })), [403, 'address_denied']);
  });

  test('ACL9: inside the role list but outside the organisation list: only what comes before sign-in', async () => {
    assert.deepEqual(await pick(call(broker, { from: ROLE_ONLY, path: '/api/me' })), [401, 'unauthenticated']);
    assert.deepEqual(await pick(call(broker, { from: ROLE_ONLY, path: '/api/me', cookie })), [403, 'address_denied']);
  });

  test('ACL11: host routes need a host-group list; technician lists do not open them', async () => {
    const unknown = { hostId: 'AAAAAAAAAAAA' };
    assert.deepEqual(await pick(call(broker, { from: INSIDE, path: '/api/hosts/challenge', body: unknown })), [404, 'not_found']);
    assert.deepEqual(await pick(call(broker, { from: ROLE_ONLY, path: '/api/hosts/challenge', body: unknown })), [404, 'not_found']);
    assert.deepEqual(await pick(call(broker, { from: INSIDE6, path: '/api/hosts/challenge', body: unknown })), [403, 'address_denied']);
    assert.deepEqual(await pick(call(broker, { from: OUTSIDE, path: '/api/hosts/enroll', body: { token: 'A'.repeat(43), name: 'x', publicKey: 'B'.repeat(43) } })), [
      403,
      'address_denied',
    ]);
  });
});

describe('forwarding headers (PROXY1-PROXY3)', { skip }, () => {
  test('PROXY2: behind the trusted proxy, the forwarded client address decides', async () => {
    assert.deepEqual(await pick(call(broker, { from: PROXY, path: '/api/me', cookie, headers: { 'x-forwarded-for': INSIDE } })), [200, 'ok']);
    assert.deepEqual(await pick(call(broker, { from: PROXY, path: '/api/me', cookie, headers: { 'x-forwarded-for': `${INSIDE}, ${OUTSIDE}` } })), [
      403,
      'address_denied',
    ]);
    assert.deepEqual(await pick(call(broker, { from: PROXY, path: '/api/me', cookie, headers: { 'x-forwarded-for': `${OUTSIDE}, ${INSIDE}` } })), [
      200,
      'ok',
    ]);
  });

  test('PROXY1: X-Forwarded-For from an untrusted peer is ignored (no spoofing in)', async () => {
    assert.deepEqual(await pick(call(broker, { from: OUTSIDE, path: '/api/me', cookie, headers: { 'x-forwarded-for': INSIDE } })), [403, 'address_denied']);
    assert.deepEqual(await pick(call(broker, { from: ROLE_ONLY, path: '/api/me', cookie, headers: { 'x-forwarded-for': INSIDE } })), [403, 'address_denied']);
  });

  test('PROXY1: the Forwarded header is never read, even from the trusted proxy', async () => {
    assert.deepEqual(await pick(call(broker, { from: PROXY, path: '/api/me', cookie, headers: { forwarded: `for=${INSIDE}` } })), [403, 'address_denied']);
  });

  test('PROXY3: a malformed forwarded hop from the trusted proxy denies', async () => {
    for (const header of [`${INSIDE}:443`, '010.99.0.1', 'unknown', `[${INSIDE6}]`]) {
      assert.deepEqual(await pick(call(broker, { from: PROXY, path: '/api/me', cookie, headers: { 'x-forwarded-for': header } })), [403, 'address_denied'], header);
    }
  });

  test('PROXY2: socket.io behind the trusted proxy uses the forwarded address too', async () => {
    assert.equal((await tech(PROXY, { 'x-forwarded-for': INSIDE })).result, 'connected');
    assert.equal((await tech(PROXY, { 'x-forwarded-for': ROLE_ONLY })).result, 'address_denied');
    assert.equal((await tech(OUTSIDE, { 'x-forwarded-for': INSIDE })).result, 'websocket error');
  });
});

describe('socket.io (ACL11, ACL13)', { skip }, () => {
  test('ACL9: /tech accepts a technician inside both lists, over IPv4 and IPv6', async () => {
    assert.equal((await tech(INSIDE)).result, 'connected');
    assert.equal((await tech(INSIDE6)).result, 'connected');
  });

  test('ACL9: /tech refuses a signed-in technician outside the organisation list with address_denied', async () => {
    assert.equal((await tech(ROLE_ONLY)).result, 'address_denied');
  });

  test('ACL11: an address outside every list gets no socket.io connection at all, in any namespace', async () => {
    for (const namespace of ['/tech', '/host', '/'] as const) {
      assert.equal((await connect(broker, namespace, { from: OUTSIDE, cookie })).result, 'websocket error', namespace);
      assert.equal((await connect(broker, namespace, { from: OUTSIDE6, cookie })).result, 'websocket error', namespace);
    }
  });

  test('ACL11: /host accepts a host inside its group list and refuses it from another group\'s network', async () => {
    const inside = await connectHost(broker, host, INSIDE);
    assert.equal(inside.result, 'connected');
    inside.socket?.disconnect();
    assert.equal((await connectHost(broker, host, ROLE_ONLY)).result, 'address_denied');
    assert.equal((await connectHost(broker, host, OUTSIDE)).result, 'challenge: address_denied');
  });

  test('ACL13: removing an address disconnects the connected /tech socket, and a reconnect is refused', async () => {
    const { socket } = await tech(INSIDE);
    const gone = disconnected(socket);
    await broker.cli(['allow', 'remove', 'org', 'Clinic IT', INSIDE]);
    assert.equal(await gone, 'io server disconnect');
    assert.equal((await tech(INSIDE)).result, 'address_denied');
    assert.deepEqual(await pick(call(broker, { from: INSIDE, path: '/api/me', cookie })), [403, 'address_denied']);
    await broker.cli(['allow', 'add', 'org', 'Clinic IT', INSIDE]);
    await eventually(async () => (await call(broker, { from: INSIDE, path: '/api/me', cookie })).code === 'ok');
    assert.equal((await tech(INSIDE)).result, 'connected');
  });

  test('ACL13: moving a connected host to a group whose list lacks its address disconnects it', async () => {
    const { result, socket } = await connectHost(broker, host, INSIDE);
    assert.equal(result, 'connected');
    const gone = disconnected(socket!);
    await broker.cli(['host', 'group', host.hostId, 'radiology']);
    assert.equal(await gone, 'io server disconnect');
    assert.equal((await connectHost(broker, host, INSIDE)).result, 'address_denied');
    await broker.cli(['host', 'group', host.hostId, 'default']);
  });
});

describe('audit (ACL12)', { skip }, () => {
  test('ACL12: denials are audited with address, scope and channel', () => {
    const rows = deniedEvents(broker).filter((r) => r.type === 'access.denied');
    const seen = (address: string, channel: string) => rows.some((r) => r.address === address && r.detail['channel'] === channel);
    assert.ok(seen(OUTSIDE, 'http'), 'HTTP denial of the outside address');
    assert.ok(seen(OUTSIDE, 'socket'), 'socket.io transport denial');
    assert.ok(seen(ROLE_ONLY, '/tech'), '/tech namespace denial');
    assert.ok(seen(ROLE_ONLY, '/host'), '/host namespace denial');
    assert.ok(rows.some((r) => r.address === INSIDE && r.detail['reason'] === 'list_changed'), 'disconnect after a list change');
    const refused = rows.find((r) => r.address === ROLE_ONLY && r.detail['channel'] === '/tech');
    assert.deepEqual(refused?.detail, { scope: 'org', list: 'Clinic IT', channel: '/tech', reason: 'outside_list' });
  });

  test('ACL12: a flood of refused requests writes a bounded number of audit events', async () => {
    const earlier = deniedEvents(broker).length;
    await Promise.all(Array.from({ length: 200 }, () => call(broker, { from: OUTSIDE6, path: '/' })));
    const written = deniedEvents(broker).length - earlier;
    assert.ok(written <= 1, `${written} events for 200 identical refusals`);
  });
});

async function pick(answer: Promise<{ status: number; code: string }>): Promise<[number, string]> {
  const { status, code } = await answer;
  return [status, code];
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
