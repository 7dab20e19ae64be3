import type { TLSSocket } from 'node:tls';
import { issueClientCertificate, type ClientCertificate } from '@wardlink/certs';
import type { AuthStore, ClientCertRecord } from '../store/AuthStore.ts';
import type { UserRecord } from '../store/SqliteStore.ts';

/** Options for {@link ClientCerts}. */
export interface ClientCertsOptions {
  store: AuthStore;
  /** Roles that must present their own valid, unrevoked client certificate (SPEC AUTH11). */
  requiredRoles: readonly UserRecord['role'][];
  /** Folder of the local CA that issues the certificates. */
  certDir: string;
}

/** The client certificate a TLS connection presented, as the broker sees it. */
export interface PresentedCert {
  /** SHA-256 of the certificate, `AB:CD:...`. */
  fingerprint: string;
  /** Whether it chains to the local CA and is within its validity (checked by TLS). */
  authorized: boolean;
}

/** Why a presented certificate does not do. */
export type CertRefusal = 'missing' | 'untrusted' | 'unknown' | 'other_user' | 'revoked' | 'expired';

/**
 * TLS client certificates from the local CA: issues and revokes them and
 * decides whether a connection's certificate may stand for a user. Which
 * user a certificate belongs to is looked up by its fingerprint in the
 * database, never read from its subject.
 */
export class ClientCerts {
  private readonly store: AuthStore;
  private readonly required: ReadonlySet<string>;
  private readonly certDir: string;

  constructor(options: ClientCertsOptions) {
    this.store = options.store;
    this.required = new Set(options.requiredRoles);
    this.certDir = options.certDir;
  }

  /** Whether users of this role must present a client certificate. */
  requires(role: UserRecord['role']): boolean {
    return this.required.has(role);
  }

  /** Undefined when `presented` is a valid, unrevoked certificate issued to `userId`; otherwise why not. */
  refusal(userId: string, presented: PresentedCert | undefined, now: number = Date.now()): CertRefusal | undefined {
    if (!presented) return 'missing';
    if (!presented.authorized) return 'untrusted';
    const record = this.store.clientCertByFingerprint(presented.fingerprint);
    if (!record) return 'unknown';
    if (record.userId !== userId) return 'other_user';
    if (record.revokedAt !== undefined) return 'revoked';
    if (record.expiresAt <= now) return 'expired';
    return undefined;
  }

  /** Issues a certificate for a user from the local CA and records it. */
  async issue(user: UserRecord, days: number): Promise<ClientCertificate> {
    const cert = await issueClientCertificate({
      dir: this.certDir,
      commonName: user.username,
      organisation: user.organisation || undefined,
      days,
    });
    this.store.addClientCert({
      serial: cert.serial,
      userId: user.id,
      fingerprint: cert.fingerprint,
      issuedAt: Date.now(),
      expiresAt: cert.notAfter.getTime(),
    });
    return cert;
  }

  /** Revokes by serial (hex, any case, colons allowed); false when unknown or revoked already. */
  revoke(serial: string): boolean {
    return this.store.revokeClientCert(serial.replace(/:/g, '').toUpperCase(), Date.now());
  }

  list(): ClientCertRecord[] {
    return this.store.clientCerts();
  }
}

/**
 * The client certificate of the TLS connection under an HTTP request or a
 * WebSocket upgrade, if the browser sent one (the server asks, never insists).
 */
export function presentedCert(socket: unknown): PresentedCert | undefined {
  const tls = socket as Partial<TLSSocket> | undefined;
  if (typeof tls?.getPeerCertificate !== 'function') return undefined;
  const cert = tls.getPeerCertificate();
  if (!cert || typeof cert.fingerprint256 !== 'string' || cert.fingerprint256 === '') return undefined;
  return { fingerprint: cert.fingerprint256, authorized: tls.authorized === true };
}
