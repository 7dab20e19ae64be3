// The host agent's recording spool (docs/SPEC.md UPL5, UPL6) against a real broker process: parts
// are kept on the agent's disk until the broker acknowledges them, so a broker restart, an agent
// restart and a full broker disk only delay the upload; nothing is lost and nothing is duplicated.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { BrokerClient } from '../host-agent/src/broker/BrokerClient.ts';
import { DeviceIdentity } from '../host-agent/src/identity/DeviceIdentity.ts';
import { Uploader } from '../host-agent/src/recording/Uploader.ts';
import { startBroker, type TestBroker } from './support/broker.ts';
import { run, tempDir } from './support/processes.ts';
import { TechClient } from './support/techClient.ts';

const log = pino({ level: 'silent' });
const work = tempDir('spool');
const brokerDir = join(work.path, 'broker');
const recordingsDir = join(brokerDir, 'data', 'recordings');
const agentDir = join(work.path, 'agent');
let broker: TestBroker;
let client: BrokerClient;
let tech: TechClient;
let uploader: Uploader;
let sessionId = '';

before(async () => {
  // The broker's recording storage is a small tmpfs (private to the test runner's mount namespace).
  mkdirSync(recordingsDir, { recursive: true });
  await run('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', recordingsDir]);
  broker = await startBroker({ dir: brokerDir });
  client = new BrokerClient({
    brokerUrl: broker.url,
    caFile: broker.caFile,
    identity: DeviceIdentity.load(agentDir),
    name: 'Spool PC',
    enrollToken: await broker.enrollToken(),
    log,
  });
  await client.start();
  await online();
  tech = await TechClient.connect(broker, await broker.addUser({ role: 'helpdesk' }));
  const { code } = await client.openSession(randomBytes(16).toString('base64url'));
  const joined = await tech.request<{ sessionId: string }>('session:join', { code });
  assert.ok(joined.ok);
  sessionId = joined.data.sessionId;
  uploader = new Uploader({ dataDir: agentDir, link: client, log, retryMs: 100 });
});

after(async () => {
  uploader?.close();
  client?.close();
  tech?.close();
  await broker?.proc.stop();
  await run('umount', [recordingsDir]).catch(() => undefined);
  work.remove();
});

async function online(): Promise<void> {
  for (const deadline = Date.now() + 20_000; !client.online; ) {
    assert.ok(Date.now() < deadline, 'the agent did not connect');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function stored(recordingId: string): string[] {
  try {
    return readdirSync(join(recordingsDir, recordingId)).sort();
  } catch {
    return [];
  }
}

const parts = new Map<string, Buffer>();
function part(name: string, size = 20_000): Buffer {
  const bytes = randomBytes(size);
  parts.set(name, bytes);
  return bytes;
}

test('UPL5: parts go to the spool first and leave it once the broker has them', async () => {
  uploader.begin('rec-spool-0001', sessionId);
  uploader.add('rec-spool-0001', 'header', part('header', 600));
  uploader.add('rec-spool-0001', 'segment-0', part('segment-0'));
  await uploader.flushed();
  assert.deepEqual(stored('rec-spool-0001'), ['header', 'segment-000000']);
  assert.deepEqual(readFileSync(join(recordingsDir, 'rec-spool-0001', 'segment-000000')), parts.get('segment-0'));
  assert.deepEqual(readdirSync(join(agentDir, 'spool', 'rec-spool-0001')), ['meta.json'], 'acknowledged parts are removed');
});

test('UPL5: parts made while the broker is down wait on the agent\'s disk and arrive after it is back', async () => {
  await broker.proc.stop();
  uploader.add('rec-spool-0001', 'segment-1', part('segment-1'));
  uploader.add('rec-spool-0001', 'segment-2', part('segment-2'));
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(uploader.pending().get('rec-spool-0001')?.sort(), ['segment-1', 'segment-2']);
  await broker.restart();
  await online();
  await uploader.flushed();
  assert.deepEqual(stored('rec-spool-0001'), ['header', 'segment-000000', 'segment-000001', 'segment-000002']);
});

test('UPL5: an agent restart picks up what it had spooled', async () => {
  uploader.close();
  const spool = join(agentDir, 'spool', 'rec-spool-0001');
  writeFileSync(join(spool, 'segment-3'), part('segment-3'));
  uploader = new Uploader({ dataDir: agentDir, link: client, log, retryMs: 100 });
  uploader.kick();
  await uploader.flushed();
  assert.ok(stored('rec-spool-0001').includes('segment-000003'));
});

test('UPL6: a full broker disk keeps the parts on the agent until there is room again', async () => {
  const filler = join(recordingsDir, 'filler');
  mkdirSync(filler, { recursive: true });
  writeFileSync(join(filler, 'blob'), Buffer.alloc(400_000));
  uploader.add('rec-spool-0001', 'segment-4', part('segment-4', 120_000));
  await new Promise((r) => setTimeout(r, 800));
  assert.deepEqual(uploader.pending().get('rec-spool-0001'), ['segment-4'], 'the refused part stays spooled');
  assert.equal(stored('rec-spool-0001').includes('segment-000004'), false);
  rmSync(filler, { recursive: true });
  uploader.kick();
  await uploader.flushed();
  assert.deepEqual(readFileSync(join(recordingsDir, 'rec-spool-0001', 'segment-000004')), parts.get('segment-4'));
  uploader.add('rec-spool-0001', 'manifest', part('manifest', 300));
  await uploader.flushed();
  assert.equal(readdirSync(join(agentDir, 'spool')).includes('rec-spool-0001'), false, 'a finished recording leaves the spool');
  for (const [name, bytes] of parts) {
    const file = name.startsWith('segment-') ? `segment-${name.slice(8).padStart(6, '0')}` : name;
    assert.deepEqual(readFileSync(join(recordingsDir, 'rec-spool-0001', file)), bytes, `${name} arrived intact`);
  }
});
