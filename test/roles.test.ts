// ROLE1-ROLE5, AUTH2: least privilege on every HTTP route and socket.io event, checked against a
// real broker with one account per role; CSRF and cross-origin WebSocket attempts are refused.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { call, connect, connectHost, emit, enrollHost, login, type TestHost } from './support/access.ts';
import { startBroker, type TestBroker } from './support/broker.ts';

const FROM = '127.0.0.1';
const ROLES = ['admin', 'helpdesk', 'vendor', 'auditor'] as const;
type Who = 'anonymous' | (typeof ROLES)[number];
const WHO: Who[] = ['anonymous', ...ROLES];

let broker: TestBroker;
let host: TestHost;
const cookies = new Map<Who, string>();
const sockets = new Map<Who, Socket>();
let hostSocket: Socket;
const tokens = new Map<Who, string>();

before(async () => {
  broker = await startBroker();
  const users = await Promise.all(ROLES.map((role) => broker.addUser({ username: `${role}1`, role, org: 'Hospital IT' })));
  for (const [i, role] of ROLES.entries()) cookies.set(role, await login(broker, users[i]!, FROM));
  for (const role of ROLES) {
    const c = await connect(broker, '/tech', { from: FROM, cookie: cookies.get(role)! });
    assert.equal(c.result, 'connected', `${role} connects to /tech`);
    sockets.set(role, c.socket);
  }
  const issued = await Promise.all(WHO.map((who) => broker.enrollToken(`PC of ${who}`)));
  WHO.forEach((who, i) => tokens.set(who, issued[i]!));
  host = await enrollHost(broker, FROM);
  const h = await connectHost(broker, host, FROM);
  assert.equal(h.result, 'connected');
  hostSocket = h.socket!;
});

after(async () => {
  sockets.forEach((s) => s.disconnect());
  hostSocket?.disconnect();
  await broker?.stop();
});

/**
 * Expected outcome per route, per principal (anonymous, admin, helpdesk, vendor, auditor), written
 * from SPEC ROLE3 by hand. A code other than `unauthenticated`/`forbidden`/`not_found` means the
 * request reached its route.
 */
const HTTP: Array<{ route: string; request: (who: Who) => { method: string; path: string; body?: unknown }; expect: [string, string, string, string, string] }> = [
  { route: 'GET /api/me', request: () => ({ method: 'GET', path: '/api/me' }), expect: ['unauthenticated', 'ok', 'ok', 'ok', 'ok'] },
  { route: 'GET /api/hosts', request: () => ({ method: 'GET', path: '/api/hosts' }), expect: ['unauthenticated', 'ok', 'ok', 'ok', 'forbidden'] },
  { route: 'GET /API/Hosts/ (router is case-insensitive)', request: () => ({ method: 'GET', path: '/API/Hosts/' }), expect: ['unauthenticated', 'ok', 'ok', 'ok', 'forbidden'] },
  { route: 'GET /api/hosts?x=1', request: () => ({ method: 'GET', path: '/api/hosts?x=1' }), expect: ['unauthenticated', 'ok', 'ok', 'ok', 'forbidden'] },
  {
    route: 'POST /api/login (wrong password)',
    request: () => ({ method: 'POST', path: '/api/login', body: { username: 'nobody', password: 'wrong-password' } }),
    expect: ['unauthenticated', 'unauthenticated', 'unauthenticated', 'unauthenticated', 'unauthenticated'],
  },
  {
    route: 'POST /api/hosts/enroll',
    request: (who) => ({ method: 'POST', path: '/api/hosts/enroll', body: { token: tokens.get(who), name: `PC of ${who}`, publicKey: randomBytes(32).toString('base64url') } }),
    expect: ['ok', 'ok', 'ok', 'ok', 'ok'],
  },
  {
    route: 'POST /api/hosts/challenge',
    request: () => ({ method: 'POST', path: '/api/hosts/challenge', body: { hostId: host.hostId } }),
    expect: ['ok', 'ok', 'ok', 'ok', 'ok'],
  },
  {
    route: 'PUT /api/recordings/:id/:part (no upload token)',
    request: () => ({ method: 'PUT', path: '/api/recordings/rec-00000001/segment-1', body: { any: 'bytes' } }),
    expect: ['unauthenticated', 'unauthenticated', 'unauthenticated', 'unauthenticated', 'unauthenticated'],
  },
  // The auditor console (REP1-REP7): a code past `forbidden` (ok, not_found, bad_message) means the auditor reached the route.
  { route: 'GET /api/recordings', request: () => ({ method: 'GET', path: '/api/recordings' }), expect: ['unauthenticated', 'forbidden', 'forbidden', 'forbidden', 'ok'] },
  { route: 'GET /api/recordings?limit=0 (the role is checked before the query)', request: () => ({ method: 'GET', path: '/api/recordings?limit=0' }), expect: ['unauthenticated', 'forbidden', 'forbidden', 'forbidden', 'bad_message'] },
  { route: 'GET /API/Recordings/ (router is case-insensitive)', request: () => ({ method: 'GET', path: '/API/Recordings/' }), expect: ['unauthenticated', 'forbidden', 'forbidden', 'forbidden', 'ok'] },
  { route: 'GET /api/recordings/:id', request: () => ({ method: 'GET', path: '/api/recordings/rec-00000001' }), expect: ['unauthenticated', 'forbidden', 'forbidden', 'forbidden', 'not_found'] },
  { route: 'GET /api/recordings/:id/:part', request: () => ({ method: 'GET', path: '/api/recordings/rec-00000001/header' }), expect: ['unauthenticated', 'forbidden', 'forbidden', 'forbidden', 'not_found'] },
  { route: 'GET /api/recordings/:id/:part (bad part)', request: () => ({ method: 'GET', path: '/api/recordings/rec-00000001/segment-1' }), expect: ['unauthenticated', 'forbidden', 'forbidden', 'forbidden', 'bad_message'] },
  { route: 'GET /api/auditor/keys', request: () => ({ method: 'GET', path: '/api/auditor/keys' }), expect: ['unauthenticated', 'forbidden', 'forbidden', 'forbidden', 'ok'] },
  {
    route: 'POST /api/auditor/keys (malformed key)',
    request: () => ({ method: 'POST', path: '/api/auditor/keys', body: { publicKey: 'short', label: 'x' } }),
    expect: ['unauthenticated', 'forbidden', 'forbidden', 'forbidden', 'bad_message'],
  },
  { route: 'DELETE /api/recordings/:id (no rule)', request: () => ({ method: 'DELETE', path: '/api/recordings/rec-00000001' }), expect: ['not_found', 'not_found', 'not_found', 'not_found', 'not_found'] },
  { route: 'GET /api/admin/users (no rule)', request: () => ({ method: 'GET', path: '/api/admin/users' }), expect: ['not_found', 'not_found', 'not_found', 'not_found', 'not_found'] },
  { route: 'DELETE /api/hosts (no rule)', request: () => ({ method: 'DELETE', path: '/api/hosts' }), expect: ['not_found', 'not_found', 'not_found', 'not_found', 'not_found'] },
  { route: 'GET /api/login (no rule)', request: () => ({ method: 'GET', path: '/api/login' }), expect: ['not_found', 'not_found', 'not_found', 'not_found', 'not_found'] },
];

describe('HTTP routes: role x action (ROLE3, ROLE4)', () => {
  for (const row of HTTP) {
    test(`ROLE4: ${row.route}`, async () => {
      const got: string[] = [];
      for (const who of WHO) {
        const req = row.request(who);
        const cookie = cookies.get(who);
        got.push((await call(broker, { from: FROM, method: req.method, path: req.path, ...(cookie ? { cookie } : {}), ...(req.body ? { body: req.body } : {}) })).code);
      }
      assert.deepEqual(got, row.expect);
    });
  }
});

/**
 * socket.io /tech events per role (admin, helpdesk, vendor, auditor). Payloads are empty, so an
 * event that passes the role check fails its schema (`bad_message`) instead of doing anything;
 * `forbidden` is the role check.
 */
const TECH_EVENTS: Array<{ event: string; payload: unknown; expect: [string, string, string, string] }> = [
  { event: 'hosts:list', payload: {}, expect: ['ok', 'ok', 'ok', 'forbidden'] },
  { event: 'session:join', payload: {}, expect: ['forbidden', 'bad_message', 'bad_message', 'forbidden'] },
  { event: 'signal:offer', payload: {}, expect: ['forbidden', 'bad_message', 'bad_message', 'forbidden'] },
  { event: 'signal:confirm', payload: {}, expect: ['forbidden', 'bad_message', 'bad_message', 'forbidden'] },
  { event: 'session:end', payload: {}, expect: ['forbidden', 'bad_message', 'bad_message', 'forbidden'] },
  { event: 'session:join (a well-formed unknown code)', payload: { code: '100000001' }, expect: ['forbidden', 'not_found', 'not_found', 'forbidden'] },
  { event: 'signal:answer (a host event)', payload: {}, expect: ['bad_message', 'bad_message', 'bad_message', 'bad_message'] },
  { event: 'session:open (a host event)', payload: {}, expect: ['bad_message', 'bad_message', 'bad_message', 'bad_message'] },
];

describe('socket.io /tech events: role x action (ROLE3, ROLE5)', () => {
  for (const row of TECH_EVENTS) {
    test(`ROLE5: ${row.event}`, async () => {
      const event = row.event.split(' ')[0]!;
      const got: string[] = [];
      for (const role of ROLES) got.push(await emit(sockets.get(role)!, event, row.payload));
      assert.deepEqual(got, row.expect);
    });
  }
});

describe('socket.io /host events (ROLE5)', () => {
  test('ROLE5: a host may send its own events, and no technician event works on /host', async () => {
    const got: Record<string, string> = {};
    for (const event of ['session:open', 'signal:answer', 'session:report', 'session:end', 'recording:start', 'hosts:list', 'session:join', 'signal:offer']) {
      got[event] = await emit(hostSocket, event, { bogus: true });
    }
    assert.deepEqual(got, {
      'session:open': 'bad_message',
      'signal:answer': 'bad_message',
      'session:report': 'bad_message',
      'session:end': 'bad_message',
      'recording:start': 'bad_message',
      'hosts:list': 'bad_message',
      'session:join': 'bad_message',
      'signal:offer': 'bad_message',
    });
  });

  test('ROLE5: a technician cookie does not open /host', async () => {
    const c = await connect(broker, '/host', { from: FROM, cookie: cookies.get('admin')! });
    assert.equal(c.result, 'bad_message');
  });
});

describe('cross-origin requests (AUTH2)', () => {
  const evil = { origin: 'https://evil.example' };

  test('AUTH2: a cross-origin POST is refused even with a valid cookie, and does not sign out', async () => {
    const cookie = cookies.get('helpdesk')!;
    assert.equal((await call(broker, { from: FROM, path: '/api/logout', cookie, body: {}, headers: evil })).code, 'forbidden');
    assert.equal((await call(broker, { from: FROM, path: '/api/hosts/challenge', body: { hostId: host.hostId }, headers: evil })).code, 'forbidden');
    assert.equal((await call(broker, { from: FROM, path: '/api/me', cookie })).code, 'ok');
  });

  test('AUTH2: look-alike origins (other port, plain http, suffix, null) are foreign too', async () => {
    const cookie = cookies.get('helpdesk')!;
    const same = `https://127.0.0.1:${broker.port}`;
    for (const origin of [`https://127.0.0.1:${broker.port + 1}`, `http://127.0.0.1:${broker.port}`, `${same}.evil.example`, 'null']) {
      assert.equal((await call(broker, { from: FROM, path: '/api/logout', cookie, body: {}, headers: { origin } })).code, 'forbidden', origin);
      assert.equal((await connect(broker, '/tech', { from: FROM, cookie, origin })).result, 'forbidden', origin);
    }
  });

  test('AUTH2: a /tech WebSocket without an Origin header is refused', async () => {
    const c = await connect(broker, '/tech', { from: FROM, cookie: cookies.get('vendor')!, origin: null });
    assert.equal(c.result, 'forbidden');
  });
});

describe('sign-out (ROLE2)', () => {
  test('ROLE2: every principal may sign out; the cookie is then worthless', async () => {
    for (const who of WHO) {
      const cookie = cookies.get(who);
      assert.equal((await call(broker, { from: FROM, path: '/api/logout', body: {}, ...(cookie ? { cookie } : {}) })).code, 'ok', who);
      if (cookie) assert.equal((await call(broker, { from: FROM, path: '/api/me', cookie })).code, 'unauthenticated', who);
    }
  });
});
