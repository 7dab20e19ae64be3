// Setting up who recordings are encrypted to, the way a hospital does it: the admin makes the policy
// key off the broker (`wardlink policy keygen`), an auditor registers a key pair (made here with the
// same non-extractable WebCrypto code the browser uses), the admin approves it. Host agents then get
// `--policy-key` (test/support/agent.ts).
import { join } from 'node:path';
import { generateAuditorKeyPair, toBase64Url, type AuditorKeyPair } from '@wardlink/recordings';
import { call, login } from './access.ts';
import type { TestBroker, TestUser } from './broker.ts';
import { tempDir } from './processes.ts';

/** A recording policy in force at a test broker, and the auditor who can open its recordings. */
export interface RecordingSetup {
  /** The admin's policy public key as host agents take it (`--policy-key`). */
  policyKey: string;
  /** PEM file of the admin's private policy key (never in the broker's folders). */
  adminKeyFile: string;
  auditor: TestUser;
  /** The auditor's key pair (private key non-extractable). */
  auditorKey: AuditorKeyPair;
  /** The key id under which the broker and the policy know the auditor's key. */
  keyId: string;
  /** Removes the admin key's folder. */
  remove(): void;
}

/** Makes an admin policy key, registers and approves one auditor key. */
export async function setUpRecording(broker: TestBroker, from = '127.0.0.1'): Promise<RecordingSetup> {
  const dir = tempDir('admin-key');
  const adminKeyFile = join(dir.path, 'admin-key.pem');
  const printed = await broker.cli(['policy', 'keygen', '--out', adminKeyFile]);
  const policyKey = /policy key for host agents: (\S+)/.exec(printed)?.[1];
  if (!policyKey) throw new Error(`policy keygen printed no key:\n${printed}`);
  const auditor = await broker.addUser({ role: 'auditor', name: 'Audit Office' });
  const cookie = await login(broker, auditor, from);
  const auditorKey = await generateAuditorKeyPair();
  const answer = await call(broker, {
    from,
    path: '/api/auditor/keys',
    cookie,
    body: { publicKey: toBase64Url(auditorKey.rawPublicKey), label: 'Audit office test key' },
  });
  if (answer.code !== 'ok') throw new Error(`auditor key not registered: ${JSON.stringify(answer)}`);
  const { keyId } = answer.data as { keyId: string };
  await broker.cli(['policy', 'approve', keyId, '--key', adminKeyFile]);
  return { policyKey, adminKeyFile, auditor, auditorKey, keyId, remove: () => dir.remove() };
}
