// Recording uploads at the broker (docs/SPEC.md UPL1-UPL6), with a real broker process: only the
// recording host may upload, parts are append-only and idempotent, the index follows, a restart
// loses nothing, and a full disk is refused cleanly without corrupting what is stored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Socket } from 'socket.io-client';
import type { Ack, RecordingUploadGrant } from '@wardlink/protocol';
import { auditEvents } from './support/audit.ts';
import { connectHost, enrollHost, type TestHost } from './support/access.ts';
import { startBroker, type TestBroker } from './support/broker.ts';
import { run, tempDir } from './support/processes.ts';
import { TechClient } from './support/techClient.ts';

const FROM = '127.0.0.1';
let broker: TestBroker;
let host: TestHost;
let hostSocket: Socket;
let tech: TechClient;
const sockets: Socket[] = [];

before(async () => {
  broker = await startBroker();
  host = await enrollHost(broker, FROM);
  hostSocket = await connected(host);
  tech = await TechClient.connect(broker, await broker.addUser({ role: 'helpdesk', org: 'Help Desk' }));
});

after(async () => {
  tech?.close();
  sockets.forEach((s) => s.disconnect());
  await broker?.stop();
});

async function connected(h: TestHost): Promise<Socket> {
  const c = await connectHost(broker, h, FROM);
  assert.equal(c.result, 'connected');
  sockets.push(c.socket!);
  return c.socket!;
}

async function ack<T>(socket: Socket, event: string, payload: unknown): Promise<Ack<T>> {
  return (await socket.timeout(10_000).emitWithAck(event, payload)) as Ack<T>;
}

/** A live session between `tech` and the host on `socket`: Get help, then the technician joins. */
async function liveSession(socket: Socket): Promise<string> {
  const opened = await ack<{ code: string }>(socket, 'session:open', { sid: randomBytes(16).toString('base64url') });
  assert.ok(opened.ok);
  const joined = await tech.request<{ sessionId: string }>('session:join', { code: opened.data.code });
  assert.ok(joined.ok, JSON.stringify(joined));
  return joined.data.sessionId;
}

/** PUT one part; returns [status, code or stored outcome]. */
function put(b: TestBroker, recordingId: string, part: string, bytes: Uint8Array, token?: string): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${b.url}/api/recordings/${recordingId}/${part}`,
      {
        method: 'PUT',
        ca: readFileSync(b.caFile, 'utf8'),
        agent: false,
        headers: { 'content-type': 'application/octet-stream', 'content-length': bytes.length, ...(token ? { 'x-wardlink-upload': token } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const reply = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Ack<{ stored: string }>;
          resolve([res.statusCode ?? 0, reply.ok ? reply.data.stored : reply.error.code]);
        });
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}

function indexRow(b: TestBroker, recordingId: string): Record<string, unknown> | undefined {
  const db = new Database(join(b.dataDir, 'wardlink.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT * FROM recordings WHERE id = ?').get(recordingId) as Record<string, unknown> | undefined;
  } finally {
    db.close();
  }
}

const header = randomBytes(700);
const seg0 = randomBytes(12_000);
const seg1 = randomBytes(9_000);
const manifest = randomBytes(400);
const RECORDING = 'rec-upload-0001';
let sessionId = '';
let grant: RecordingUploadGrant;

describe('UPL1-UPL4: announcing and uploading', () => {
  test('UPL1: only the session\'s own host may start its recording', async () => {
    sessionId = await liveSession(hostSocket);
    const other = await connected(await enrollHost(broker, FROM, 'Other PC'));
    const foreign = await ack(other, 'recording:start', { recordingId: 'rec-foreign-01', sessionId });
    assert.equal(foreign.ok ? 'ok' : foreign.error.code, 'not_found');
    const unknown = await ack(hostSocket, 'recording:start', { recordingId: 'rec-unknown-1', sessionId: 'no-such-session' });
    assert.equal(unknown.ok ? 'ok' : unknown.error.code, 'not_found');
    const started = await ack<RecordingUploadGrant>(hostSocket, 'recording:start', { recordingId: RECORDING, sessionId });
    assert.ok(started.ok, JSON.stringify(started));
    grant = started.data;
    const hijack = await ack(other, 'recording:start', { recordingId: RECORDING, sessionId });
    assert.equal(hijack.ok ? 'ok' : hijack.error.code, 'forbidden');
    assert.equal(auditEvents(broker, 'recording.started').at(-1)?.detail.recordingId, RECORDING);
  });

  test('UPL2/UPL3: parts need the token of that recording; stored parts never change; retries are harmless', async () => {
    assert.deepEqual(await put(broker, RECORDING, 'header', header), [401, 'unauthenticated']);
    assert.deepEqual(await put(broker, RECORDING, 'header', header, 'A'.repeat(43)), [401, 'unauthenticated']);
    assert.deepEqual(await put(broker, 'rec-other-0001', 'header', header, grant.uploadToken), [403, 'forbidden']);
    assert.deepEqual(await put(broker, RECORDING, 'header', header, grant.uploadToken), [200, 'new']);
    assert.deepEqual(await put(broker, RECORDING, 'segment-0', seg0, grant.uploadToken), [200, 'new']);
    assert.deepEqual(await put(broker, RECORDING, 'segment-1', seg1, grant.uploadToken), [200, 'new']);
    assert.deepEqual(await put(broker, RECORDING, 'segment-1', seg1, grant.uploadToken), [200, 'duplicate']);
    assert.deepEqual(await put(broker, RECORDING, 'segment-1', randomBytes(9_000), grant.uploadToken), [409, 'conflict']);
    assert.deepEqual(await put(broker, RECORDING, 'segment-01', seg1, grant.uploadToken), [400, 'bad_message']);
    assert.deepEqual(await put(broker, RECORDING, '..%2Fheader', seg1, grant.uploadToken), [400, 'bad_message']);
    // Over 8 MiB: answered 413 as soon as the length is known; the client may see the connection cut first.
    const oversized = await put(broker, RECORDING, 'segment-2', Buffer.alloc(8 * 1024 * 1024 + 1), grant.uploadToken).catch(
      (err: NodeJS.ErrnoException) => [0, err.code ?? 'error'] as [number, string],
    );
    assert.ok(['413,too_large', '0,EPIPE', '0,ECONNRESET'].includes(oversized.join()), oversized.join());
    const stored = join(broker.dataDir, 'recordings', RECORDING);
    assert.deepEqual(readdirSync(stored).sort(), ['header', 'segment-000000', 'segment-000001']);
    assert.deepEqual(readFileSync(join(stored, 'segment-000001')), seg1, 'the stored part is the first upload');
  });

  test('UPL4: the index says who, which host, how big and that it is not complete yet', () => {
    const row = indexRow(broker, RECORDING)!;
    assert.equal(row.host_id, host.hostId);
    assert.equal(row.session_id, sessionId);
    assert.equal(row.organisation, 'Help Desk');
    assert.equal(row.segments, 2);
    assert.equal(row.size_bytes, header.length + seg0.length + seg1.length);
    assert.equal(row.complete, 0);
  });

  test('UPL5: after a broker restart the stored parts are there, the host resumes with a new token and completes', async () => {
    await broker.restart();
    assert.deepEqual(await put(broker, RECORDING, 'manifest', manifest, grant.uploadToken), [401, 'unauthenticated']);
    hostSocket = await connected(host);
    const resumed = await ack<RecordingUploadGrant>(hostSocket, 'recording:start', { recordingId: RECORDING, sessionId });
    assert.ok(resumed.ok, JSON.stringify(resumed));
    assert.deepEqual(await put(broker, RECORDING, 'segment-1', seg1, resumed.data.uploadToken), [200, 'duplicate']);
    assert.deepEqual(await put(broker, RECORDING, 'manifest', manifest, resumed.data.uploadToken), [200, 'new']);
    const row = indexRow(broker, RECORDING)!;
    assert.equal(row.complete, 1);
    assert.ok(Number(row.ended_at) > 0);
    assert.equal(auditEvents(broker, 'recording.completed').at(-1)?.detail.recordingId, RECORDING);
    assert.deepEqual(await put(broker, RECORDING, 'segment-2', seg1, resumed.data.uploadToken), [403, 'forbidden']);
  });
});

describe('UPL6: a full disk', () => {
  test('uploads are refused with storage_full; what was stored stays intact; no temporary file is left', async () => {
    const dir = tempDir('full-broker');
    const recordingsDir = join(dir.path, 'data', 'recordings');
    mkdirSync(recordingsDir, { recursive: true });
    // The test runner has its own mount namespace (scripts/test.mjs): this tmpfs is private to it.
    await run('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', recordingsDir]);
    const full = await startBroker({ dir: dir.path });
    try {
      const fullHost = await enrollHost(full, FROM, 'Full PC');
      const c = await connectHost(full, fullHost, FROM);
      assert.equal(c.result, 'connected');
      sockets.push(c.socket!);
      const fullTech = await TechClient.connect(full, await full.addUser({ role: 'helpdesk' }));
      const opened = await ack<{ code: string }>(c.socket!, 'session:open', { sid: randomBytes(16).toString('base64url') });
      assert.ok(opened.ok);
      const joined = await fullTech.request<{ sessionId: string }>('session:join', { code: opened.data.code });
      assert.ok(joined.ok);
      const started = await ack<RecordingUploadGrant>(c.socket!, 'recording:start', { recordingId: 'rec-full-0001', sessionId: joined.data.sessionId });
      assert.ok(started.ok);
      const parts: Buffer[] = [];
      let outcome: [number, string] = [200, 'new'];
      for (let i = 0; i < 10 && outcome[1] === 'new'; i++) {
        const part = randomBytes(60_000);
        outcome = await put(full, 'rec-full-0001', `segment-${i}`, part, started.data.uploadToken);
        if (outcome[1] === 'new') parts.push(part);
      }
      assert.deepEqual(outcome, [507, 'storage_full']);
      assert.ok(parts.length >= 2, `only ${parts.length} parts fit`);
      const stored = join(recordingsDir, 'rec-full-0001');
      assert.deepEqual(readdirSync(stored).sort(), parts.map((_, i) => `segment-${String(i).padStart(6, '0')}`));
      parts.forEach((p, i) => assert.deepEqual(readFileSync(join(stored, `segment-${String(i).padStart(6, '0')}`)), p));
      assert.equal(indexRow(full, 'rec-full-0001')!.segments, parts.length);
      fullTech.close();
    } finally {
      await full.proc.stop();
      await run('umount', [recordingsDir]);
      dir.remove();
    }
  });
});
