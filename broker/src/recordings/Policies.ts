import { createHash, createPrivateKey, sign } from 'node:crypto';
import { MAX_POLICY_AUDITORS, policyMessage, type HostPolicy, type SignedPolicy } from '@wardlink/protocol';
import { BrokerError } from '../errors.ts';
import type { SqliteStore } from '../store/SqliteStore.ts';

/** An auditor key as the broker keeps it. */
export interface AuditorKeyRecord {
  keyId: string;
  userId: string;
  publicKey: string;
  label: string;
  status: 'pending' | 'approved' | 'revoked';
  createdAt: number;
}

/** The id of a raw X25519 public key: base64url of the first 16 bytes of its SHA-256 (POL1). */
export function auditorKeyId(publicKey: Uint8Array): string {
  return createHash('sha256').update(publicKey).digest().subarray(0, 16).toString('base64url');
}

/**
 * Auditor keys and admin-signed recording policies at the broker (docs/SPEC.md POL1-POL5). The
 * broker stores and serves them but cannot make one: signing needs the hospital admin's private
 * key, which the `policy` CLI reads from a file the admin keeps elsewhere.
 */
export class Policies {
  constructor(private readonly store: SqliteStore) {}

  /** POL1: an auditor registers a public key; it waits for an admin's approval. */
  register(userId: string, publicKey: Uint8Array, label: string): AuditorKeyRecord {
    if (publicKey.length !== 32) throw new BrokerError('bad_message', 'an X25519 public key has 32 bytes');
    const keyId = auditorKeyId(publicKey);
    const existing = this.key(keyId);
    if (existing) {
      if (existing.userId !== userId) throw BrokerError.forbidden('key registered by someone else');
      return existing;
    }
    this.store.db
      .prepare(`INSERT INTO auditor_keys (key_id, user_id, public_key, label, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)`)
      .run(keyId, userId, Buffer.from(publicKey).toString('base64url'), label, Date.now());
    this.store.audit({ type: 'auditor_key.registered', actor: userId, detail: { keyId, label } });
    return this.key(keyId)!;
  }

  key(keyId: string): AuditorKeyRecord | undefined {
    return this.store.db.prepare(`${SELECT_KEYS} WHERE key_id = ?`).get(keyId) as AuditorKeyRecord | undefined;
  }

  /** REP6: the keys one auditor registered, oldest first. */
  keysOf(userId: string): AuditorKeyRecord[] {
    return this.store.db.prepare(`${SELECT_KEYS} WHERE user_id = ? ORDER BY created_at, key_id`).all(userId) as AuditorKeyRecord[];
  }

  keys(): AuditorKeyRecord[] {
    return this.store.db.prepare(`${SELECT_KEYS} ORDER BY created_at`).all() as AuditorKeyRecord[];
  }

  /** The newest signed policy, as hosts fetch it (POL3). */
  latest(): SignedPolicy | null {
    const row = this.store.db.prepare('SELECT text, signature FROM policies ORDER BY version DESC LIMIT 1').get() as SignedPolicy | undefined;
    return row ?? null;
  }

  /**
   * POL2: sets the status of keys and signs a new policy listing every approved key, with the
   * admin's Ed25519 private key (PEM, read by the CLI from the admin's own file).
   */
  approve(changes: { approve?: string[]; revoke?: string[] }, adminKeyPem: string, now = Date.now()): HostPolicy {
    const adminKey = createPrivateKey(adminKeyPem);
    if (adminKey.asymmetricKeyType !== 'ed25519') throw new Error('The admin key must be an Ed25519 private key.');
    return this.store.db.transaction(() => {
      for (const [ids, status] of [
        [changes.approve ?? [], 'approved'],
        [changes.revoke ?? [], 'revoked'],
      ] as const) {
        for (const keyId of ids) {
          if (!this.key(keyId)) throw new Error(`No auditor key ${keyId}.`);
          this.store.db.prepare('UPDATE auditor_keys SET status = ? WHERE key_id = ?').run(status, keyId);
        }
      }
      const approved = this.keys().filter((k) => k.status === 'approved');
      if (approved.length === 0) throw new Error('A policy needs at least one approved auditor key.');
      if (approved.length > MAX_POLICY_AUDITORS) {
        throw new Error(`A policy can list at most ${MAX_POLICY_AUDITORS} auditor keys (each recording is sealed to all of them); revoke some first.`);
      }
      const last = this.store.db.prepare('SELECT MAX(version) AS v FROM policies').get() as { v: number | null };
      const policy: HostPolicy = {
        format: 'wardlink-policy-1',
        version: (last.v ?? 0) + 1,
        issuedAt: now,
        auditors: approved.map((k) => ({ keyId: k.keyId, publicKey: k.publicKey, label: k.label })),
      };
      const text = JSON.stringify(policy);
      const signature = sign(null, policyMessage(text), adminKey).toString('base64url');
      this.store.db.prepare('INSERT INTO policies (version, text, signature, created_at) VALUES (?, ?, ?, ?)').run(policy.version, text, signature, now);
      this.store.audit({ type: 'policy.signed', detail: { version: policy.version, auditors: policy.auditors.map((a) => a.keyId) } });
      return policy;
    })();
  }
}

const SELECT_KEYS = `SELECT key_id AS keyId, user_id AS userId, public_key AS publicKey, label, status, created_at AS createdAt FROM auditor_keys`;
