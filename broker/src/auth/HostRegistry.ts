import { createPublicKey, verify } from 'node:crypto';
import { hostAuthMessage, type HostAuth } from '@wardlink/protocol';
import { hashToken, newId, newToken } from '../ids.ts';
import type { HostRecord, SqliteStore } from '../store/SqliteStore.ts';

/** Options for {@link HostRegistry}. */
export interface HostRegistryOptions {
  store: SqliteStore;
  /** Milliseconds an authentication nonce stays valid. */
  nonceTtlMs?: number;
}

/**
 * Host enrollment and device-key authentication. A host enrolls once with a
 * one-time token from the CLI and registers its Ed25519 public key; later it
 * proves possession of the key by signing a single-use broker nonce.
 */
export class HostRegistry {
  private readonly store: SqliteStore;
  private readonly nonceTtlMs: number;
  private readonly nonces = new Map<string, { hostId: string; expiresAt: number }>();

  constructor(options: HostRegistryOptions) {
    this.store = options.store;
    this.nonceTtlMs = options.nonceTtlMs ?? 60_000;
  }

  /** Issues a one-time enrollment token. Milliseconds `ttlMs`. */
  issueEnrollToken(name: string | undefined, ttlMs: number = 24 * 3_600_000): string {
    const token = newToken();
    this.store.addEnrollToken(hashToken(token), name, Date.now() + ttlMs);
    return token;
  }

  /** Enrolls a host; undefined when the token is unknown, used or expired. */
  enroll(token: string, name: string, publicKey: string): HostRecord | undefined {
    return this.store.db.transaction(() => {
      if (!this.store.consumeEnrollToken(hashToken(token), Date.now())) return undefined;
      const host: HostRecord = { id: newId(), name, publicKey, enrolledAt: Date.now() };
      this.store.addHost(host);
      return host;
    })();
  }

  /** A fresh nonce for `hostId`; undefined when the host is not enrolled. */
  challenge(hostId: string): string | undefined {
    if (!this.store.hostById(hostId)) return undefined;
    this.sweep();
    const nonce = newToken();
    this.nonces.set(nonce, { hostId, expiresAt: Date.now() + this.nonceTtlMs });
    return nonce;
  }

  /** Verifies a socket handshake; the nonce is consumed whatever the outcome. */
  authenticate(auth: HostAuth): HostRecord | undefined {
    const entry = this.nonces.get(auth.nonce);
    this.nonces.delete(auth.nonce);
    if (!entry || entry.hostId !== auth.hostId || entry.expiresAt < Date.now()) return undefined;
    const host = this.store.hostById(auth.hostId);
    if (!host) return undefined;
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: host.publicKey }, format: 'jwk' });
    const valid = verify(
      null,
      Buffer.from(hostAuthMessage(auth.hostId, auth.nonce)),
      key,
      Buffer.from(auth.signature, 'base64url'),
    );
    return valid ? host : undefined;
  }

  hostName(hostId: string): string | undefined {
    return this.store.hostById(hostId)?.name;
  }

  listHosts(): HostRecord[] {
    return this.store.listHosts();
  }

  /** Drops expired nonces; also bounds memory under a flood of challenges. */
  private sweep(): void {
    const now = Date.now();
    for (const [nonce, entry] of this.nonces) if (entry.expiresAt < now) this.nonces.delete(nonce);
    if (this.nonces.size > 100_000) this.nonces.clear();
  }
}
