import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIONS, httpAction, isAllowed, mayEmit, sessionPermissionsFor, socketAction, type Action, type Principal } from './policy.ts';

// The expected matrix, written out by hand from docs/SPEC.md ROLE3 (not derived from ROLE_ACTIONS).
// Columns: anonymous, admin, helpdesk, vendor, auditor, host. 1 = allowed.
const EXPECTED: Record<Action, [number, number, number, number, number, number]> = {
  'viewer:load': [1, 1, 1, 1, 1, 0],
  'auth:login': [1, 1, 1, 1, 1, 0],
  'auth:logout': [1, 1, 1, 1, 1, 0],
  'auth:totp': [1, 1, 1, 1, 1, 0],
  'host:enroll': [1, 1, 1, 1, 1, 0],
  'host:challenge': [1, 1, 1, 1, 1, 0],
  'host:recording_upload': [1, 1, 1, 1, 1, 0],
  'account:read': [0, 1, 1, 1, 1, 0],
  'hosts:list': [0, 1, 1, 1, 0, 0],
  'session:join': [0, 0, 1, 1, 0, 0],
  'session:signal': [0, 0, 1, 1, 0, 0],
  'session:end': [0, 0, 1, 1, 0, 0],
  'users:manage': [0, 1, 0, 0, 0, 0],
  'hosts:manage': [0, 1, 0, 0, 0, 0],
  'allowlist:manage': [0, 1, 0, 0, 0, 0],
  'enroll:issue': [0, 1, 0, 0, 0, 0],
  'audit:read': [0, 0, 0, 0, 1, 0],
  'recordings:list': [0, 0, 0, 0, 1, 0],
  'recordings:read': [0, 0, 0, 0, 1, 0],
  'auditor:key_register': [0, 0, 0, 0, 1, 0],
  'auditor:key_read': [0, 0, 0, 0, 1, 0],
  'host:session_open': [0, 0, 0, 0, 0, 1],
  'host:session_answer': [0, 0, 0, 0, 0, 1],
  'host:session_report': [0, 0, 0, 0, 0, 1],
  'host:session_end': [0, 0, 0, 0, 0, 1],
  'host:recording_start': [0, 0, 0, 0, 0, 1],
  'host:policy_get': [0, 0, 0, 0, 0, 1],
};
const PRINCIPALS: Principal[] = ['anonymous', 'admin', 'helpdesk', 'vendor', 'auditor', 'host'];

test('ROLE3: every principal x every action matches the hand-written matrix', () => {
  assert.deepEqual(Object.keys(EXPECTED).sort(), [...ACTIONS].sort());
  for (const action of ACTIONS) {
    PRINCIPALS.forEach((principal, i) => {
      assert.equal(isAllowed(principal, action), EXPECTED[action][i] === 1, `${principal} x ${action}`);
    });
  }
});

test('ROLE1: an action nobody named is denied to everyone', () => {
  for (const principal of PRINCIPALS) assert.equal(isAllowed(principal, undefined), false);
});

test('ROLE4: every HTTP route names its action; unknown /api routes and methods have none', () => {
  assert.equal(httpAction('POST', '/api/login'), 'auth:login');
  assert.equal(httpAction('GET', '/api/me'), 'account:read');
  assert.equal(httpAction('GET', '/api/hosts'), 'hosts:list');
  assert.equal(httpAction('POST', '/api/hosts/enroll'), 'host:enroll');
  assert.equal(httpAction('POST', '/api/hosts/challenge'), 'host:challenge');
  assert.equal(httpAction('HEAD', '/api/hosts'), 'hosts:list');
  assert.equal(httpAction('GET', '/'), 'viewer:load');
  assert.equal(httpAction('GET', '/app.js'), 'viewer:load');
  assert.equal(httpAction('POST', '/'), undefined);
  assert.equal(httpAction('GET', '/api/login'), undefined);
  assert.equal(httpAction('DELETE', '/api/hosts'), undefined);
  assert.equal(httpAction('GET', '/api/admin/users'), undefined);
  assert.equal(httpAction('GET', '/api'), undefined);
  assert.equal(httpAction('GET', '/api/hosts/enroll/../../me'), undefined);
  assert.equal(httpAction('GET', '/API/Hosts/'), 'hosts:list');
  assert.equal(httpAction('GET', '/Api/Me'), 'account:read');
  assert.equal(httpAction('GET', '/api/%68osts'), undefined);
});

test('ROLE4, REP7: the auditor console routes name the recording and key actions; the upload route stays the host\'s', () => {
  assert.equal(httpAction('GET', '/api/recordings'), 'recordings:list');
  assert.equal(httpAction('GET', '/api/recordings/'), 'recordings:list');
  assert.equal(httpAction('GET', '/api/recordings?from=1'), undefined, 'the guard matches the path, never the query');
  assert.equal(httpAction('GET', '/api/recordings/rec-00000001'), 'recordings:read');
  assert.equal(httpAction('HEAD', '/api/recordings/rec-00000001/header'), 'recordings:read');
  assert.equal(httpAction('GET', '/api/recordings/rec-00000001/segment-000001'), 'recordings:read');
  assert.equal(httpAction('GET', '/api/recordings/rec-00000001/segment-000001/x'), undefined);
  assert.equal(httpAction('PUT', '/api/recordings/rec-00000001/header'), 'host:recording_upload');
  assert.equal(httpAction('PUT', '/api/recordings/rec-00000001'), undefined);
  assert.equal(httpAction('POST', '/api/recordings'), undefined);
  assert.equal(httpAction('DELETE', '/api/recordings/rec-00000001'), undefined);
  assert.equal(httpAction('GET', '/api/auditor/keys'), 'auditor:key_read');
  assert.equal(httpAction('POST', '/api/auditor/keys'), 'auditor:key_register');
  assert.equal(httpAction('DELETE', '/api/auditor/keys'), undefined);
  for (const principal of PRINCIPALS) {
    const auditor = principal === 'auditor';
    assert.equal(isAllowed(principal, httpAction('GET', '/api/recordings')), auditor, principal);
    assert.equal(isAllowed(principal, httpAction('GET', '/api/recordings/rec-00000001/header')), auditor, principal);
    assert.equal(isAllowed(principal, httpAction('GET', '/api/auditor/keys')), auditor, principal);
  }
});

test('ROLE5: socket events map per namespace; the same event name means different actions', () => {
  assert.equal(socketAction('/tech', 'session:end'), 'session:end');
  assert.equal(socketAction('/host', 'session:end'), 'host:session_end');
  assert.equal(socketAction('/tech', 'signal:confirm'), 'session:signal');
  assert.equal(socketAction('/tech', 'signal:answer'), undefined);
  assert.equal(socketAction('/host', 'signal:offer'), undefined);
  assert.equal(socketAction('/tech', 'constructor'), undefined);
  assert.equal(socketAction('/tech', '__proto__'), undefined);
  assert.equal(socketAction('/', 'hosts:list'), undefined);
});

test('ROLE5: a socket principal comes from what its namespace authenticated', () => {
  assert.equal(mayEmit('/tech', 'session:join', { user: { role: 'vendor' } }), true);
  assert.equal(mayEmit('/tech', 'session:join', { user: { role: 'auditor' } }), false);
  assert.equal(mayEmit('/tech', 'session:join', { user: { role: 'root' } }), false);
  assert.equal(mayEmit('/tech', 'hosts:list', {}), false);
  assert.equal(mayEmit('/host', 'session:open', { hostId: 'abcdefgh' }), true);
  assert.equal(mayEmit('/tech', 'session:join', { hostId: 'abcdefgh' }), false);
});

test('ROLE6: advisory session permissions narrow from help-desk to vendor; admin and auditor get none', () => {
  assert.equal(sessionPermissionsFor('helpdesk').length, 8);
  assert.deepEqual(sessionPermissionsFor('vendor'), ['view', 'control', 'chat']);
  assert.deepEqual(sessionPermissionsFor('admin'), []);
  assert.deepEqual(sessionPermissionsFor('auditor'), []);
});
