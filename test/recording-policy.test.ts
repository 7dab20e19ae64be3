// Who recordings are encrypted to (docs/SPEC.md POL1-POL5), with a real broker: an auditor registers
// a key, only the hospital admin's key (kept off the broker) can approve it into a signed policy, and a
// host refuses a policy the broker forged, altered or rolled back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { policyMessage } from '@wardlink/protocol';
import { BrokerClient } from '../host-agent/src/broker/BrokerClient.ts';
import { DeviceIdentity } from '../host-agent/src/identity/DeviceIdentity.ts';
import { RecordingPolicy } from '../host-agent/src/recording/RecordingPolicy.ts';
import { call, login } from './support/access.ts';
import { auditEvents } from './support/audit.ts';
import { startBroker, type TestBroker } from './support/broker.ts';
import { tempDir } from './support/processes.ts';

const FROM = '127.0.0.1';
const log = pino({ level: 'silent' });
const work = tempDir('policy');
const adminKeyFile = join(work.path, 'admin-key.pem');
let broker: TestBroker;
let client: BrokerClient;
let adminPublicKey: Uint8Array;
let policy: RecordingPolicy;
const auditorKeys: string[] = [];

before(async () => {
  broker = await startBroker();
  const printed = await broker.cli(['policy', 'keygen', '--out', adminKeyFile]);
  adminPublicKey = new Uint8Array(Buffer.from(/policy key for host agents: (\S+)/.exec(printed)![1]!, 'base64url'));
  client = new BrokerClient({
    brokerUrl: broker.url,
    caFile: broker.caFile,
    identity: DeviceIdentity.load(join(work.path, 'agent')),
    name: 'Policy PC',
    enrollToken: await broker.enrollToken(),
    log,
  });
  await client.start();
  for (const deadline = Date.now() + 20_000; !client.online; ) {
    assert.ok(Date.now() < deadline);
    await new Promise((r) => setTimeout(r, 50));
  }
  policy = new RecordingPolicy({ dataDir: join(work.path, 'agent'), adminKey: adminPublicKey, fetch: () => client.getPolicy(), log });
});

after(async () => {
  client?.close();
  await broker?.stop();
  work.remove();
});

async function registerKey(label: string): Promise<string> {
  const auditor = await broker.addUser({ role: 'auditor' });
  const cookie = await login(broker, auditor, FROM);
  const { publicKey } = generateKeyPairSync('x25519');
  const raw = publicKey.export({ format: 'jwk' }).x!;
  const answer = await call(broker, { from: FROM, path: '/api/auditor/keys', cookie, body: { publicKey: raw, label } });
  assert.equal(answer.code, 'ok');
  assert.deepEqual(Object.keys(answer.data as object).sort(), ['keyId', 'status']);
  assert.equal((answer.data as { status: string }).status, 'pending');
  return (answer.data as { keyId: string }).keyId;
}

/** Writes a policy row straight into the broker's database, as a compromised broker could. */
function brokerWrites(version: number, text: string, signature: string): void {
  const db = new Database(join(broker.dataDir, 'wardlink.sqlite'));
  try {
    db.prepare('INSERT OR REPLACE INTO policies (version, text, signature, created_at) VALUES (?, ?, ?, ?)').run(version, text, signature, Date.now());
  } finally {
    db.close();
  }
}

test('POL1/POL4: a registered but unapproved key does not make a policy; a host without one cannot record', async () => {
  auditorKeys.push(await registerKey('Audit office PC'));
  await assert.rejects(policy.current(), (err: { code?: string }) => err.code === 'no_recording_policy');
  const helpdesk = await broker.addUser({ role: 'helpdesk' });
  const answer = await call(broker, { from: FROM, path: '/api/auditor/keys', cookie: await login(broker, helpdesk, FROM), body: { publicKey: 'A'.repeat(43), label: 'x' } });
  assert.equal(answer.code, 'forbidden', 'only auditors register keys');
});

test('POL2/POL3: the admin approves with the admin key; the host takes the signed policy', async () => {
  await assert.rejects(broker.cli(['policy', 'approve', auditorKeys[0]!]), /--key/);
  await broker.cli(['policy', 'approve', auditorKeys[0]!, '--key', adminKeyFile]);
  const current = await policy.current();
  assert.equal(current.version, 1);
  assert.deepEqual(current.auditors.map((a) => a.keyId), auditorKeys);
  assert.equal(auditEvents(broker, 'policy.signed').length, 1);
});

test('POL5: a policy the broker forged (its own key, or an edit) is refused; the last good one stays', async () => {
  const rogue = await registerKey('Broker itself');
  const { privateKey } = generateKeyPairSync('ed25519');
  const forged = JSON.stringify({ format: 'wardlink-policy-1', version: 7, issuedAt: Date.now(), auditors: [{ keyId: rogue, publicKey: 'B'.repeat(43), label: 'rogue' }] });
  brokerWrites(7, forged, sign(null, policyMessage(forged), privateKey).toString('base64url'));
  assert.deepEqual((await policy.current()).auditors.map((a) => a.keyId), auditorKeys);

  const served = JSON.parse((await broker.cli(['policy', 'show'])).trim()) as { version: number };
  assert.equal(served.version, 7, 'the broker serves its forgery');
  const db = new Database(join(broker.dataDir, 'wardlink.sqlite'), { readonly: true });
  const v1 = db.prepare('SELECT text, signature FROM policies WHERE version = 1').get() as { text: string; signature: string };
  db.close();
  const edited = v1.text.replace('"version":1', '"version":8');
  brokerWrites(8, edited, v1.signature);
  assert.equal((await policy.current()).version, 1, 'an edited policy with a reused signature is refused');
});

test('POL5: a rollback to an older signed policy is refused, also after a host restart', async () => {
  const db = new Database(join(broker.dataDir, 'wardlink.sqlite'));
  db.prepare('DELETE FROM policies WHERE version > 1').run();
  db.close();
  auditorKeys.push(await registerKey('Second auditor'));
  await broker.cli(['policy', 'approve', auditorKeys[1]!, '--key', adminKeyFile]);
  assert.equal((await policy.current()).version, 2);
  const db2 = new Database(join(broker.dataDir, 'wardlink.sqlite'));
  db2.prepare('DELETE FROM policies WHERE version = 2').run();
  db2.close();
  const restarted = new RecordingPolicy({ dataDir: join(work.path, 'agent'), adminKey: adminPublicKey, fetch: () => client.getPolicy(), log });
  const current = await restarted.current();
  assert.equal(current.version, 2);
  assert.deepEqual(current.auditors.map((a) => a.keyId).sort(), [...auditorKeys].sort());
  const offline = new RecordingPolicy({ dataDir: join(work.path, 'agent'), adminKey: adminPublicKey, fetch: () => Promise.reject(new Error('offline')), log });
  assert.equal((await offline.current()).version, 2, 'the stored policy works without the broker');
});
