// A recording made with the device key of a real, enrolled host, uploaded through its spool to a real
// broker, then checked with `wardlink verify-recording` (issue 4 item 6) and opened with an auditor key.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { createRecording, generateAuditorKeyPair, openRecording, type AuditorKeyPair } from '@wardlink/recordings';
import { BrokerClient } from '../host-agent/src/broker/BrokerClient.ts';
import { DeviceIdentity } from '../host-agent/src/identity/DeviceIdentity.ts';
import { Uploader } from '../host-agent/src/recording/Uploader.ts';
import { startBroker, type TestBroker } from './support/broker.ts';
import { tempDir, tsxArgs } from './support/processes.ts';
import { TechClient } from './support/techClient.ts';

const log = pino({ level: 'silent' });
const work = tempDir('verify');
const RECORDING = 'rec-verify-0001';
let broker: TestBroker;
let client: BrokerClient;
let tech: TechClient;
let auditor: AuditorKeyPair;
let stored = '';

before(async () => {
  broker = await startBroker();
  const identity = DeviceIdentity.load(join(work.path, 'agent'));
  client = new BrokerClient({ brokerUrl: broker.url, caFile: broker.caFile, identity, name: 'Lab PC', enrollToken: await broker.enrollToken(), log });
  await client.start();
  for (const deadline = Date.now() + 20_000; !client.online; ) {
    assert.ok(Date.now() < deadline);
    await new Promise((r) => setTimeout(r, 50));
  }
  tech = await TechClient.connect(broker, await broker.addUser({ role: 'vendor', name: 'Ken Sato', org: 'Lab Vendor KK' }));
  const { code } = await client.openSession(randomBytes(16).toString('base64url'));
  const joined = await tech.request<{ sessionId: string; technicianId: string }>('session:join', { code });
  assert.ok(joined.ok);

  auditor = await generateAuditorKeyPair();
  const writer = await createRecording(
    {
      recordingId: RECORDING,
      sessionId: joined.data.sessionId,
      hostId: client.id!,
      technician: { id: joined.data.technicianId, name: 'Ken Sato', organisation: 'Lab Vendor KK' },
      startedAt: Date.now(),
      video: { codec: 'av01.0.04M.08', width: 1024, height: 768 },
    },
    [{ keyId: auditor.keyId, publicKey: auditor.rawPublicKey }],
    { publicKey: new Uint8Array(Buffer.from(identity.publicKey, 'base64url')), sign: (m) => identity.signBytes(m) },
  );
  const uploader = new Uploader({ dataDir: join(work.path, 'agent'), link: client, log, retryMs: 100 });
  uploader.begin(RECORDING, joined.data.sessionId);
  uploader.add(RECORDING, 'header', writer.header);
  for (let i = 0; i < 3; i++) {
    const sealed = await writer.sealSegment({
      startMs: i * 10_000,
      endMs: (i + 1) * 10_000,
      frames: [{ t: i * 10_000, key: i === 0, data: randomBytes(3000) }],
      events: [{ t: i * 10_000 + 5, type: 'input:text', data: { text: `word-${i}` } }],
    });
    uploader.add(RECORDING, `segment-${sealed.index}`, sealed.bytes);
  }
  uploader.add(RECORDING, 'manifest', await writer.finish(Date.now(), 'ended_by_technician'));
  await uploader.flushed();
  uploader.close();
  stored = join(broker.dataDir, 'recordings', RECORDING);
});

after(async () => {
  client?.close();
  tech?.close();
  await broker?.stop();
  work.remove();
});

function verify(target: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, tsxArgs('broker/src/cli.ts', ['verify-recording', target, '--data-dir', broker.dataDir]), { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('verify-recording: a complete recording from an enrolled host verifies (exit 0)', () => {
  const r = verify(RECORDING);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /OK complete/);
  assert.match(r.out, /host: Lab PC/);
});

test('an auditor key opens what the broker stored; the broker\'s files alone do not say what was typed', async () => {
  const header = new Uint8Array(readFileSync(join(stored, 'header')));
  const reader = await openRecording(header, auditor);
  const segment = await reader.openSegment(new Uint8Array(readFileSync(join(stored, 'segment-000001'))), 1);
  assert.deepEqual(segment.events.map((e) => e.data?.['text']), ['word-1']);
  for (const name of ['header', 'segment-000000', 'segment-000001', 'segment-000002', 'manifest']) {
    assert.equal(readFileSync(join(stored, name)).includes('word-'), false, `${name} holds plaintext`);
  }
});

test('verify-recording: a flipped byte fails (exit 1) and names the segment', () => {
  const file = join(stored, 'segment-000001');
  const original = readFileSync(file);
  const flipped = Buffer.from(original);
  flipped[200] = flipped[200]! ^ 0x01;
  writeFileSync(file, flipped);
  try {
    const r = verify(stored);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /FAILED/);
    assert.match(r.out, /segment 1\b/);
  } finally {
    writeFileSync(file, original);
  }
});

test('verify-recording: without the manifest it is incomplete (exit 3), verified up to the last segment', () => {
  renameSync(join(stored, 'manifest'), join(work.path, 'manifest.saved'));
  try {
    const r = verify(RECORDING);
    assert.equal(r.status, 3, r.out);
    assert.match(r.out, /OK incomplete.*up to segment 2/);
  } finally {
    renameSync(join(work.path, 'manifest.saved'), join(stored, 'manifest'));
  }
  assert.equal(verify('no-such-recording').status, 2);
});
