import type Database from 'better-sqlite3';
import type { SqliteStore } from './SqliteStore.ts';

/** What a browser sign-in may do: `full`, or only set up TOTP (`enrol`, SPEC AUTH8). */
export type WebSessionStage = 'full' | 'enrol';

/** A browser sign-in as stored (the token itself is never stored, only its SHA-256). */
export interface WebSessionRecord {
  userId: string;
  stage: WebSessionStage;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds of the last authenticated request. */
  lastSeenAt: number;
  /** Epoch milliseconds: the absolute end of the sign-in. */
  expiresAt: number;
}

/** A user's TOTP credential; `confirmedAt` is unset while enrolment is pending. */
export interface TotpRecord {
  /** Base32. */
  secret: string;
  confirmedAt: number | undefined;
  /** The last accepted time step (Unix time / 30 s); codes of this step or earlier are refused. */
  lastStep: number | undefined;
}

/** A client certificate issued by the local CA to a user. */
export interface ClientCertRecord {
  /** Hex, upper case, as Node's `getPeerCertificate().serialNumber` shows it. */
  serial: string;
  userId: string;
  /** SHA-256 of the DER certificate, `AB:CD:...` as Node's `fingerprint256` shows it. */
  fingerprint: string;
  /** Epoch milliseconds. */
  issuedAt: number;
  /** Epoch milliseconds. */
  expiresAt: number;
  revokedAt: number | undefined;
}

/**
 * SQL for the sign-in tables (web sessions, TOTP, recovery codes, login
 * failures, client certificates) on the broker's SQLite database. The schema
 * lives in the migrations of {@link SqliteStore}.
 */
export class AuthStore {
  private readonly db: Database.Database;

  constructor(store: SqliteStore) {
    this.db = store.db;
  }

  addWebSession(tokenHash: string, userId: string, stage: WebSessionStage, address: string, now: number, expiresAt: number): void {
    this.db
      .prepare(
        `INSERT INTO web_sessions (token_hash, user_id, expires_at, address, stage, created_at, last_seen_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(tokenHash, userId, expiresAt, address, stage, now, now);
  }

  webSession(tokenHash: string): WebSessionRecord | undefined {
    return this.db
      .prepare(
        `SELECT user_id AS userId, stage, created_at AS createdAt, last_seen_at AS lastSeenAt, expires_at AS expiresAt
         FROM web_sessions WHERE token_hash = ?`,
      )
      .get(tokenHash) as WebSessionRecord | undefined;
  }

  touchWebSession(tokenHash: string, now: number): void {
    this.db.prepare(`UPDATE web_sessions SET last_seen_at = ? WHERE token_hash = ?`).run(now, tokenHash);
  }

  setWebSessionStage(tokenHash: string, stage: WebSessionStage): void {
    this.db.prepare(`UPDATE web_sessions SET stage = ? WHERE token_hash = ?`).run(stage, tokenHash);
  }

  deleteWebSession(tokenHash: string): void {
    this.db.prepare(`DELETE FROM web_sessions WHERE token_hash = ?`).run(tokenHash);
  }

  /** Ends every sign-in of a user (TOTP reset). */
  deleteWebSessionsOf(userId: string): number {
    return this.db.prepare(`DELETE FROM web_sessions WHERE user_id = ?`).run(userId).changes;
  }

  /** Removes sign-ins past their absolute end or idle for `idleMs`. */
  pruneWebSessions(now: number, idleMs: number): void {
    this.db.prepare(`DELETE FROM web_sessions WHERE expires_at <= ? OR last_seen_at <= ?`).run(now, now - idleMs);
  }

  totp(userId: string): TotpRecord | undefined {
    const row = this.db
      .prepare(`SELECT secret, confirmed_at AS confirmedAt, last_step AS lastStep FROM totp_credentials WHERE user_id = ?`)
      .get(userId) as { secret: string; confirmedAt: number | null; lastStep: number | null } | undefined;
    return row && { secret: row.secret, confirmedAt: row.confirmedAt ?? undefined, lastStep: row.lastStep ?? undefined };
  }

  /**
   * Stores a new, unconfirmed TOTP secret and its recovery codes (hashes),
   * replacing a pending one. False when the user has a confirmed secret.
   */
  beginTotp(userId: string, secret: string, recoveryHashes: string[], now: number): boolean {
    return this.db.transaction(() => {
      if (this.totp(userId)?.confirmedAt !== undefined) return false;
      this.db.prepare(`DELETE FROM totp_credentials WHERE user_id = ?`).run(userId);
      this.db.prepare(`DELETE FROM recovery_codes WHERE user_id = ?`).run(userId);
      this.db.prepare(`INSERT INTO totp_credentials (user_id, secret, created_at) VALUES (?, ?, ?)`).run(userId, secret, now);
      const add = this.db.prepare(`INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`);
      for (const hash of recoveryHashes) add.run(userId, hash);
      return true;
    })();
  }

  /** Activates a pending secret, recording the step of the code that confirmed it (if any). Atomic. */
  confirmTotp(userId: string, step: number | null, now: number): boolean {
    return (
      this.db
        .prepare(`UPDATE totp_credentials SET confirmed_at = ?, last_step = ? WHERE user_id = ? AND confirmed_at IS NULL`)
        .run(now, step, userId).changes === 1
    );
  }

  /** Records a used time step; false when that step or a later one was used already (a replay). Atomic. */
  useTotpStep(userId: string, step: number): boolean {
    return (
      this.db
        .prepare(
          `UPDATE totp_credentials SET last_step = ?
           WHERE user_id = ? AND confirmed_at IS NOT NULL AND (last_step IS NULL OR last_step < ?)`,
        )
        .run(step, userId, step).changes === 1
    );
  }

  /** Forgets a user's TOTP secret and recovery codes; the next sign-in enrols again. */
  resetTotp(userId: string): void {
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM totp_credentials WHERE user_id = ?`).run(userId);
      this.db.prepare(`DELETE FROM recovery_codes WHERE user_id = ?`).run(userId);
    })();
  }

  /** Marks an unused recovery code as used; true when it was valid. Atomic, so a code works once. */
  useRecoveryCode(userId: string, codeHash: string, now: number): boolean {
    return (
      this.db
        .prepare(`UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`)
        .run(now, userId, codeHash).changes === 1
    );
  }

  unusedRecoveryCodes(userId: string): number {
    const row = this.db
      .prepare(`SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`)
      .get(userId) as { n: number };
    return row.n;
  }

  /** Records a failure; returns its row id. */
  addLoginFailure(key: string, at: number): number {
    return Number(this.db.prepare(`INSERT INTO login_failures (key, at) VALUES (?, ?)`).run(key, at).lastInsertRowid);
  }

  deleteLoginFailure(rowId: number): void {
    this.db.prepare(`DELETE FROM login_failures WHERE rowid = ?`).run(rowId);
  }

  /** Times (epoch milliseconds, oldest first) of a key's failures since `since`. */
  loginFailuresSince(key: string, since: number): number[] {
    const rows = this.db
      .prepare(`SELECT at FROM login_failures WHERE key = ? AND at > ? ORDER BY at`)
      .all(key, since) as Array<{ at: number }>;
    return rows.map((r) => r.at);
  }

  clearLoginFailures(key: string): void {
    this.db.prepare(`DELETE FROM login_failures WHERE key = ?`).run(key);
  }

  pruneLoginFailures(before: number): void {
    this.db.prepare(`DELETE FROM login_failures WHERE at <= ?`).run(before);
  }

  addClientCert(cert: Omit<ClientCertRecord, 'revokedAt'>): void {
    this.db
      .prepare(
        `INSERT INTO client_certs (serial, user_id, fingerprint, issued_at, expires_at)
         VALUES (@serial, @userId, @fingerprint, @issuedAt, @expiresAt)`,
      )
      .run(cert);
  }

  clientCertByFingerprint(fingerprint: string): ClientCertRecord | undefined {
    return this.certRows(`WHERE fingerprint = ?`, fingerprint)[0];
  }

  /** Marks a certificate revoked; false when it is unknown or revoked already. */
  revokeClientCert(serial: string, now: number): boolean {
    return (
      this.db.prepare(`UPDATE client_certs SET revoked_at = ? WHERE serial = ? AND revoked_at IS NULL`).run(now, serial)
        .changes === 1
    );
  }

  clientCerts(): ClientCertRecord[] {
    return this.certRows(`ORDER BY issued_at`);
  }

  private certRows(where: string, ...params: unknown[]): ClientCertRecord[] {
    const rows = this.db
      .prepare(
        `SELECT serial, user_id AS userId, fingerprint, issued_at AS issuedAt, expires_at AS expiresAt, revoked_at AS revokedAt
         FROM client_certs ${where}`,
      )
      .all(...params) as Array<Omit<ClientCertRecord, 'revokedAt'> & { revokedAt: number | null }>;
    return rows.map((r) => ({ ...r, revokedAt: r.revokedAt ?? undefined }));
  }
}
