// The auditor console's read routes (docs/SPEC.md REP1-REP7), with a real broker process: only
// auditors list and fetch recordings; filters and part names are validated strictly; the stored
// ciphertext comes back byte for byte; fetching a header is audited once per sign-in; an auditor
// sees the status of their own keys only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import type { Ack, AuditorKeyList, RecordingDetail, RecordingList, RecordingUploadGrant } from '@wardlink/protocol';
import { call, connectHost, enrollHost, login, type TestHost } from './support/access.ts';
import { auditEvents } from './support/audit.ts';
import { startBroker, type TestBroker, type TestUser } from './support/broker.ts';
import { tempDir } from './support/processes.ts';
import { TechClient } from './support/techClient.ts';

const FROM = '127.0.0.1';
let broker: TestBroker;
const sockets: Socket[] = [];
const techs: TechClient[] = [];
let auditor: TestUser;
let auditorCookie = '';
const cookies = new Map<'admin' | 'helpdesk' | 'vendor', string>();
let hostA: TestHost;
let hostB: TestHost;
/** Epoch milliseconds: before the first recording, between the two, after the second. */
const times = { before: 0, between: 0, after: 0 };

const REC_A = 'rec-access-0001';
const REC_B = 'rec-access-0002';
const parts = {
  headerA: randomBytes(600),
  segA0: randomBytes(5_000),
  segA1: randomBytes(7_000),
  manifestA: randomBytes(300),
  headerB: randomBytes(650),
  segB0: randomBytes(4_000),
  segB2: randomBytes(3_000),
};

before(async () => {
  broker = await startBroker();
  hostA = await enrollHost(broker, FROM, 'Ward 3 PC');
  hostB = await enrollHost(broker, FROM, 'Ward 5 PC');
  const socketA = await connected(hostA);
  const socketB = await connected(hostB);
  const helpdesk = await broker.addUser({ username: 'helpdesk1', name: 'Sato Hanako', role: 'helpdesk', org: 'Help Desk' });
  const vendor = await broker.addUser({ username: 'vendor1', name: 'Suzuki Jiro', role: 'vendor', org: 'Vendor KK' });
  auditor = await broker.addUser({ username: 'auditor1', name: 'Audit One', role: 'auditor', org: 'Hospital' });
  const admin = await broker.addUser({ username: 'admin1', role: 'admin', org: 'Hospital IT' });
  auditorCookie = await login(broker, auditor, FROM);
  cookies.set('admin', await login(broker, admin, FROM));
  cookies.set('helpdesk', await login(broker, helpdesk, FROM));
  cookies.set('vendor', await login(broker, vendor, FROM));

  times.before = Date.now() - 1;
  const grantA = await record(socketA, helpdesk, REC_A);
  await upload(REC_A, grantA, [['header', parts.headerA], ['segment-0', parts.segA0], ['segment-1', parts.segA1], ['manifest', parts.manifestA]]);
  await new Promise((r) => setTimeout(r, 30));
  times.between = Date.now();
  await new Promise((r) => setTimeout(r, 30));
  const grantB = await record(socketB, vendor, REC_B);
  // Segment 1 never arrived: the recording is incomplete and has a gap.
  await upload(REC_B, grantB, [['header', parts.headerB], ['segment-0', parts.segB0], ['segment-2', parts.segB2]]);
  times.after = Date.now() + 1;
});

after(async () => {
  techs.forEach((t) => t.close());
  sockets.forEach((s) => s.disconnect());
  await broker?.stop();
});

async function connected(host: TestHost): Promise<Socket> {
  const c = await connectHost(broker, host, FROM);
  assert.equal(c.result, 'connected');
  sockets.push(c.socket!);
  return c.socket!;
}

async function ack<T>(socket: Socket, event: string, payload: unknown): Promise<Ack<T>> {
  return (await socket.timeout(10_000).emitWithAck(event, payload)) as Ack<T>;
}

/** A live session of `user` with the host on `socket`, recorded as `recordingId`. */
async function record(socket: Socket, user: TestUser, recordingId: string): Promise<RecordingUploadGrant> {
  const tech = await TechClient.connect(broker, user);
  techs.push(tech);
  const opened = await ack<{ code: string }>(socket, 'session:open', { sid: randomBytes(16).toString('base64url') });
  assert.ok(opened.ok);
  const joined = await tech.request<{ sessionId: string }>('session:join', { code: opened.data.code });
  assert.ok(joined.ok, JSON.stringify(joined));
  const started = await ack<RecordingUploadGrant>(socket, 'recording:start', { recordingId, sessionId: joined.data.sessionId });
  assert.ok(started.ok, JSON.stringify(started));
  return started.data;
}

/** One HTTPS request with raw bytes back. */
function fetchRaw(
  path: string,
  options: { method?: string; cookie?: string; headers?: Record<string, string>; body?: Uint8Array } = {},
): Promise<{ status: number; type: string; headers: Record<string, string | string[] | undefined>; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    // Host, port and path given separately: a URL string would have `..` and `%2e%2e` resolved before sending.
    const req = request(
      {
        host: FROM,
        port: broker.port,
        path,
        method: options.method ?? 'GET',
        ca: readFileSync(broker.caFile, 'utf8'),
        localAddress: FROM,
        agent: false,
        headers: { ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), headers: res.headers, bytes: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

async function upload(recordingId: string, grant: RecordingUploadGrant, list: Array<[string, Uint8Array]>): Promise<void> {
  for (const [part, bytes] of list) {
    const answer = await fetchRaw(`/api/recordings/${recordingId}/${part}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', 'x-wardlink-upload': grant.uploadToken },
      body: bytes,
    });
    assert.equal(answer.status, 200, `${part}: ${answer.bytes.toString()}`);
  }
}

/** GET as the auditor (or `cookie`): status, code and data. */
async function get<T>(path: string, cookie = auditorCookie): Promise<{ status: number; code: string; data: T; message?: string }> {
  const answer = await fetchRaw(path, { cookie });
  const body = JSON.parse(answer.bytes.toString('utf8')) as Ack<T>;
  return body.ok
    ? { status: answer.status, code: 'ok', data: body.data }
    : { status: answer.status, code: body.error.code, data: undefined as T, message: body.error.message };
}

async function ids(query: string): Promise<string[]> {
  const answer = await get<RecordingList>(`/api/recordings${query}`);
  assert.equal(answer.code, 'ok', `${query}: ${answer.message}`);
  return answer.data.recordings.map((r) => r.id);
}

describe('REP1, REP2: the recording index', () => {
  test('REP1: an auditor lists recordings newest first, with host and technician names and the filters\' values', async () => {
    const { data, status } = await get<RecordingList>('/api/recordings');
    assert.equal(status, 200);
    assert.deepEqual(data.recordings.map((r) => r.id), [REC_B, REC_A]);
    assert.equal(data.total, 2);
    assert.deepEqual([data.limit, data.offset], [50, 0]);
    const [b, a] = data.recordings;
    assert.deepEqual(
      { host: a!.hostName, hostId: a!.hostId, tech: a!.technicianName, org: a!.organisation, complete: a!.complete, segments: a!.segments },
      { host: 'Ward 3 PC', hostId: hostA.hostId, tech: 'Sato Hanako', org: 'Help Desk', complete: true, segments: 2 },
    );
    assert.equal(a!.sizeBytes, parts.headerA.length + parts.segA0.length + parts.segA1.length + parts.manifestA.length);
    assert.ok(a!.endedAt !== null && a!.endedAt >= a!.startedAt);
    assert.deepEqual({ host: b!.hostName, tech: b!.technicianName, complete: b!.complete, endedAt: b!.endedAt }, { host: 'Ward 5 PC', tech: 'Suzuki Jiro', complete: false, endedAt: null });
    assert.deepEqual(data.facets.hosts.map((h) => h.name), ['Ward 3 PC', 'Ward 5 PC']);
    assert.deepEqual(data.facets.technicians.map((t) => t.name), ['Sato Hanako', 'Suzuki Jiro']);
    assert.deepEqual(data.facets.organisations, ['Help Desk', 'Vendor KK']);
  });

  test('REP1: filters by host, technician, organisation and completeness', async () => {
    const { data } = await get<RecordingList>('/api/recordings');
    const vendorId = data.facets.technicians.find((t) => t.name === 'Suzuki Jiro')!.id;
    assert.deepEqual(await ids(`?hostId=${hostA.hostId}`), [REC_A]);
    assert.deepEqual(await ids(`?technician=${vendorId}`), [REC_B]);
    assert.deepEqual(await ids(`?organisation=${encodeURIComponent('Help Desk')}`), [REC_A]);
    assert.deepEqual(await ids('?complete=true'), [REC_A]);
    assert.deepEqual(await ids('?complete=false'), [REC_B]);
    assert.deepEqual(await ids(`?complete=false&hostId=${hostA.hostId}`), []);
    assert.deepEqual(await ids('?organisation=Nobody'), []);
  });

  test('REP1: from is inclusive and to exclusive on the start time, as epoch milliseconds or ISO dates', async () => {
    assert.deepEqual(await ids(`?from=${times.before}&to=${times.between}`), [REC_A]);
    assert.deepEqual(await ids(`?from=${times.between}`), [REC_B]);
    assert.deepEqual(await ids(`?to=${times.between}`), [REC_A]);
    assert.deepEqual(await ids(`?from=${times.after}`), []);
    const iso = new Date(times.between).toISOString();
    assert.deepEqual(await ids(`?from=${encodeURIComponent(iso)}`), [REC_B]);
    assert.deepEqual(await ids('?from=2000-01-01&to=2000-01-02'), []);
    assert.deepEqual(await ids('?from=2000-01-01'), [REC_B, REC_A]);
  });

  test('REP2: limit and offset page through the index; total counts every match', async () => {
    const first = await get<RecordingList>('/api/recordings?limit=1');
    assert.deepEqual([first.data.recordings.map((r) => r.id), first.data.total, first.data.limit], [[REC_B], 2, 1]);
    const second = await get<RecordingList>('/api/recordings?limit=1&offset=1');
    assert.deepEqual([second.data.recordings.map((r) => r.id), second.data.offset], [[REC_A], 1]);
    const past = await get<RecordingList>('/api/recordings?limit=1&offset=5');
    assert.deepEqual([past.data.recordings, past.data.total], [[], 2]);
  });

  test('REP1: malformed, unknown, repeated or empty query fields are refused with bad_message naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['?limit=0', 'limit'],
      ['?limit=201', 'limit'],
      ['?limit=ten', 'limit'],
      ['?limit=-1', 'limit'],
      ['?offset=01', 'offset'],
      ['?offset=1000001', 'offset'],
      ['?from=yesterday', 'from'],
      ['?from=2025-02-30', 'from'],
      ['?to=2025-13-01', 'to'],
      ['?from=1e3', 'from'],
      [`?from=${times.between}&to=${times.between}`, 'to'],
      ['?from=2025-01-02&to=2025-01-01', 'to'],
      ['?hostId=a', 'hostId'],
      ['?hostId=', 'hostId'],
      ['?hostId=../../etc', 'hostId'],
      ['?technician=%00abcdefgh', 'technician'],
      ['?organisation=', 'organisation'],
      [`?organisation=${'x'.repeat(129)}`, 'organisation'],
      ['?organisation=a%0Ab', 'organisation'],
      ['?complete=yes', 'complete'],
      ['?complete=1', 'complete'],
      ['?limit=1&limit=2', 'limit'],
      ['?sort=startedAt', 'sort'],
      ['?__proto__=x', '__proto__'],
    ];
    for (const [query, field] of cases) {
      const answer = await get(`/api/recordings${query}`);
      assert.deepEqual([answer.status, answer.code, answer.message], [400, 'bad_message', `Invalid field: ${field}.`], query);
    }
  });
});

describe('REP3, REP4: one recording and its parts', () => {
  test('REP3: a recording\'s row, its host\'s enrolled Ed25519 key and the stored parts', async () => {
    const a = await get<RecordingDetail>(`/api/recordings/${REC_A}`);
    assert.equal(a.code, 'ok');
    assert.equal(a.data.recording.id, REC_A);
    const rawKey = hostA.privateKey.export({ format: 'jwk' }).x;
    assert.equal(a.data.hostPublicKey, rawKey);
    assert.deepEqual(a.data.parts, { header: true, manifest: true, segmentCount: 2, storedSegments: 2 });
    const b = await get<RecordingDetail>(`/api/recordings/${REC_B}`);
    assert.deepEqual(b.data.parts, { header: true, manifest: false, segmentCount: 3, storedSegments: 2 }, 'a gap shows as fewer stored segments');
  });

  test('REP3: an unknown recording is not_found; a malformed id is bad_message', async () => {
    assert.deepEqual(pick(await get('/api/recordings/rec-nothing-01')), [404, 'not_found']);
    for (const id of ['short', 'a%20b%20c%20d%20e', 'x'.repeat(65), '..%2F..%2Fdata', '%2e%2e']) {
      assert.deepEqual(pick(await get(`/api/recordings/${id}`)), [400, 'bad_message'], id);
    }
  });

  test('REP4: each stored part comes back byte for byte as application/octet-stream, not cached', async () => {
    for (const [path, bytes] of [
      [`${REC_A}/header`, parts.headerA],
      [`${REC_A}/segment-000000`, parts.segA0],
      [`${REC_A}/segment-000001`, parts.segA1],
      [`${REC_A}/manifest`, parts.manifestA],
      [`${REC_B}/segment-000002`, parts.segB2],
    ] as const) {
      const answer = await fetchRaw(`/api/recordings/${path}`, { cookie: auditorCookie });
      assert.equal(answer.status, 200, path);
      assert.equal(answer.type, 'application/octet-stream');
      assert.equal(answer.headers['cache-control'], 'no-store');
      assert.equal(answer.headers['x-content-type-options'], 'nosniff');
      assert.ok(answer.bytes.equals(bytes), path);
    }
  });

  test('REP4: a part that is not stored, or of an unknown recording, is not_found', async () => {
    assert.deepEqual(pick(await get(`/api/recordings/${REC_B}/segment-000001`)), [404, 'not_found'], 'the gap');
    assert.deepEqual(pick(await get(`/api/recordings/${REC_B}/manifest`)), [404, 'not_found'], 'incomplete');
    assert.deepEqual(pick(await get(`/api/recordings/${REC_A}/segment-000099`)), [404, 'not_found']);
    assert.deepEqual(pick(await get('/api/recordings/rec-nothing-01/header')), [404, 'not_found']);
  });

  test('REP4: part names other than the format\'s file names are bad_message', async () => {
    for (const part of ['segment-1', 'segment-0', 'segment-0000001', 'segment-00001', 'segment-100000', 'segment-999999', 'Header', 'HEADER', 'header.bak', '.tmp-0123456789abcdef', '..', '%2e%2e', 'segment-%2F00001', 'segment--00001', 'segment-+00001']) {
      assert.deepEqual(pick(await get(`/api/recordings/${REC_A}/${part}`)), [400, 'bad_message'], part);
    }
    assert.deepEqual(pick(await get(`/api/recordings/bad/header`)), [400, 'bad_message']);
  });
});

describe('REP5: opening a recording is audited', () => {
  test('REP5: fetching a header writes recording.opened once per sign-in and recording; other parts do not', async () => {
    const opened = (id: string) => auditEvents(broker, 'recording.opened').filter((e) => e.detail.recordingId === id);
    const me = await get<{ id: string }>('/api/me');
    await fetchRaw(`/api/recordings/${REC_A}/header`, { cookie: auditorCookie });
    const once = opened(REC_A).length;
    assert.ok(once >= 1);
    await fetchRaw(`/api/recordings/${REC_A}/header`, { cookie: auditorCookie });
    await fetchRaw(`/api/recordings/${REC_A}/segment-000000`, { cookie: auditorCookie });
    await fetchRaw(`/api/recordings/${REC_A}/manifest`, { cookie: auditorCookie });
    assert.equal(opened(REC_A).length, once, 'the same sign-in again, and other parts, are not audited again');
    const last = opened(REC_A).at(-1)!;
    assert.deepEqual({ actor: last.actor, hostId: last.hostId }, { actor: me.data.id, hostId: hostA.hostId });
    assert.ok(last.sessionId);

    const again = await login(broker, auditor, FROM);
    await fetchRaw(`/api/recordings/${REC_A}/header`, { cookie: again });
    assert.equal(opened(REC_A).length, once + 1, 'a new sign-in is audited again');
  });
});

describe('REP6: the auditor\'s own keys', () => {
  test('REP6: an auditor sees their keys and their status, pending until the admin approves, never another auditor\'s', async () => {
    const empty = await get<AuditorKeyList>('/api/auditor/keys');
    assert.deepEqual([empty.code, empty.data.keys], ['ok', []]);
    const publicKey = randomBytes(32).toString('base64url');
    const registered = await call(broker, { from: FROM, path: '/api/auditor/keys', cookie: auditorCookie, body: { publicKey, label: 'Chromium 2025-04-01' } });
    assert.equal(registered.code, 'ok');
    const keyId = (registered.data as { keyId: string }).keyId;

    const other = await broker.addUser({ username: 'auditor2', role: 'auditor', org: 'Hospital' });
    const otherCookie = await login(broker, other, FROM);
    await call(broker, { from: FROM, path: '/api/auditor/keys', cookie: otherCookie, body: { publicKey: randomBytes(32).toString('base64url'), label: 'Other' } });

    const listed = await get<AuditorKeyList>('/api/auditor/keys');
    assert.equal(listed.data.keys.length, 1);
    assert.deepEqual(
      { ...listed.data.keys[0]!, createdAt: typeof listed.data.keys[0]!.createdAt },
      { keyId, publicKey, label: 'Chromium 2025-04-01', status: 'pending', createdAt: 'number' },
    );

    const work = tempDir('rep6');
    try {
      const adminKey = join(work.path, 'admin-key.pem');
      await broker.cli(['policy', 'keygen', '--out', adminKey]);
      await broker.cli(['policy', 'approve', keyId, '--key', adminKey]);
      assert.equal((await get<AuditorKeyList>('/api/auditor/keys')).data.keys[0]!.status, 'approved');
    } finally {
      work.remove();
    }
    const other2 = await get<AuditorKeyList>('/api/auditor/keys', otherCookie);
    assert.deepEqual(other2.data.keys.map((k) => k.label), ['Other']);
  });
});

describe('REP7: only auditors read recordings', () => {
  test('REP7: anonymous callers are unauthenticated; admin, help-desk and vendor accounts are forbidden', async () => {
    const paths = ['/api/recordings', `/api/recordings/${REC_A}`, `/api/recordings/${REC_A}/header`, `/api/recordings/${REC_A}/segment-000000`, '/api/auditor/keys'];
    for (const path of paths) {
      const got: Record<string, string> = {};
      got['anonymous'] = (await call(broker, { from: FROM, path })).code;
      for (const [who, cookie] of cookies) got[who] = (await call(broker, { from: FROM, path, cookie })).code;
      got['auditor'] = (await call(broker, { from: FROM, path, cookie: auditorCookie })).code;
      assert.deepEqual(got, { anonymous: 'unauthenticated', admin: 'forbidden', helpdesk: 'forbidden', vendor: 'forbidden', auditor: 'ok' }, path);
    }
  });

  test('REP7: a refused request writes no recording.opened event', async () => {
    const count = auditEvents(broker, 'recording.opened').length;
    for (const cookie of cookies.values()) await fetchRaw(`/api/recordings/${REC_B}/header`, { cookie });
    await fetchRaw(`/api/recordings/${REC_B}/header`);
    assert.equal(auditEvents(broker, 'recording.opened').length, count);
  });
});

function pick(answer: { status: number; code: string }): [number, string] {
  return [answer.status, answer.code];
}
