import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** A technician or staff account. */
export interface UserRecord {
  id: string;
  username: string;
  name: string;
  organisation: string;
  role: 'admin' | 'helpdesk' | 'vendor' | 'auditor';
  passwordHash: string;
}

/** An enrolled host PC. */
export interface HostRecord {
  id: string;
  name: string;
  /** Raw Ed25519 public key, base64url. */
  publicKey: string;
  enrolledAt: number;
}

/** One audit event; the hash chain is added by the audit issue over these rows. */
export interface AuditEvent {
  type: string;
  actor?: string;
  hostId?: string;
  sessionId?: string;
  address?: string;
  detail?: Record<string, unknown>;
}

const MIGRATIONS: string[] = [
  `CREATE TABLE users (
     id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
     organisation TEXT NOT NULL, role TEXT NOT NULL, password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);
   CREATE TABLE hosts (
     id TEXT PRIMARY KEY, name TEXT NOT NULL, public_key TEXT NOT NULL UNIQUE, enrolled_at INTEGER NOT NULL);
   CREATE TABLE enroll_tokens (
     token_hash TEXT PRIMARY KEY, name TEXT, expires_at INTEGER NOT NULL, used_at INTEGER);
   CREATE TABLE web_sessions (
     token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), expires_at INTEGER NOT NULL,
     address TEXT NOT NULL);
   CREATE TABLE audit_events (
     seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, type TEXT NOT NULL, actor TEXT,
     host_id TEXT, session_id TEXT, address TEXT, detail TEXT NOT NULL);`,
  // Technician sign-in (SPEC AUTH5-AUTH11): TOTP, recovery codes, throttling, session expiry, client certificates.
  `CREATE TABLE totp_credentials (
     user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE, secret TEXT NOT NULL,
     created_at INTEGER NOT NULL, confirmed_at INTEGER, last_step INTEGER);
   CREATE TABLE recovery_codes (
     user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, code_hash TEXT NOT NULL, used_at INTEGER,
     PRIMARY KEY (user_id, code_hash));
   CREATE TABLE login_failures (key TEXT NOT NULL, at INTEGER NOT NULL);
   CREATE INDEX login_failures_key_at ON login_failures (key, at);
   CREATE TABLE client_certs (
     serial TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     fingerprint TEXT NOT NULL UNIQUE, issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER);
   ALTER TABLE web_sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'full';
   ALTER TABLE web_sessions ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE web_sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;`,
  // Allow-lists (SPEC ACL7-ACL12): CIDR lists per organisation, role and host group; hosts get a group.
  // A fresh broker allows loopback, private and link-local networks in the '*' (default) list of each scope.
  `ALTER TABLE hosts ADD COLUMN host_group TEXT NOT NULL DEFAULT 'default';
   CREATE TABLE allow_lists (
     scope TEXT NOT NULL CHECK (scope IN ('org', 'role', 'group')), name TEXT NOT NULL, created_at INTEGER NOT NULL,
     PRIMARY KEY (scope, name));
   CREATE TABLE allow_entries (
     scope TEXT NOT NULL, name TEXT NOT NULL, cidr TEXT NOT NULL, PRIMARY KEY (scope, name, cidr),
     FOREIGN KEY (scope, name) REFERENCES allow_lists (scope, name) ON DELETE CASCADE);
   INSERT INTO allow_lists (scope, name, created_at) VALUES ('org', '*', 0), ('role', '*', 0), ('group', '*', 0);
   INSERT INTO allow_entries (scope, name, cidr) SELECT l.scope, l.name, d.column1 FROM allow_lists l,
     (VALUES ('127.0.0.0/8'), ('::1/128'), ('10.0.0.0/8'), ('172.16.0.0/12'), ('192.168.0.0/16'), ('169.254.0.0/16'),
      ('fc00::/7'), ('fe80::/10')) d;`,
  // Recording index (SPEC UPL4): the broker stores ciphertext parts on disk, the facts about them here.
  `CREATE TABLE recordings (
     id TEXT PRIMARY KEY, session_id TEXT NOT NULL, host_id TEXT NOT NULL, technician_id TEXT NOT NULL,
     organisation TEXT NOT NULL, started_at INTEGER NOT NULL, ended_at INTEGER, last_part_at INTEGER NOT NULL,
     size_bytes INTEGER NOT NULL DEFAULT 0, segments INTEGER NOT NULL DEFAULT 0, complete INTEGER NOT NULL DEFAULT 0);
   CREATE INDEX recordings_by_host ON recordings (host_id, started_at);
   CREATE INDEX recordings_by_technician ON recordings (technician_id, started_at);`,
  // Recording policy (SPEC POL1-POL5): auditor keys waiting for or holding approval, and the
  // admin-signed policies (the admin's private key is never here).
  `CREATE TABLE auditor_keys (
     key_id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), public_key TEXT NOT NULL UNIQUE,
     label TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'revoked')), created_at INTEGER NOT NULL);
   CREATE TABLE policies (version INTEGER PRIMARY KEY, text TEXT NOT NULL, signature TEXT NOT NULL, created_at INTEGER NOT NULL);`,
];

/**
 * The embedded SQLite store: one file in the data directory, WAL mode, schema
 * migrations keyed by `user_version`. Tokens are stored only as SHA-256 hashes.
 */
export class SqliteStore {
  readonly db: Database.Database;
  private closed = false;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.db = new Database(join(dataDir, 'wardlink.sqlite'));
    // First: the CLI opens the file while the broker writes to it, and even switching to WAL
    // needs a lock, so every later statement waits for one instead of failing "database is locked".
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let i = version; i < MIGRATIONS.length; i++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[i]!);
        this.db.pragma(`user_version = ${i + 1}`);
      })();
    }
  }

  addUser(user: UserRecord): void {
    this.db
      .prepare(
        `INSERT INTO users (id, username, name, organisation, role, password_hash, created_at)
         VALUES (@id, @username, @name, @organisation, @role, @passwordHash, @now)`,
      )
      .run({ ...user, now: Date.now() });
  }

  userByName(username: string): UserRecord | undefined {
    return this.db
      .prepare(
        `SELECT id, username, name, organisation, role, password_hash AS passwordHash FROM users WHERE username = ?`,
      )
      .get(username) as UserRecord | undefined;
  }

  userById(id: string): UserRecord | undefined {
    return this.db
      .prepare(`SELECT id, username, name, organisation, role, password_hash AS passwordHash FROM users WHERE id = ?`)
      .get(id) as UserRecord | undefined;
  }

  addEnrollToken(tokenHash: string, name: string | undefined, expiresAt: number): void {
    this.db
      .prepare(`INSERT INTO enroll_tokens (token_hash, name, expires_at) VALUES (?, ?, ?)`)
      .run(tokenHash, name ?? null, expiresAt);
  }

  /** Marks an unused, unexpired token as used; true when it was valid. Atomic, so a token works once. */
  consumeEnrollToken(tokenHash: string, now: number): boolean {
    const result = this.db
      .prepare(`UPDATE enroll_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`)
      .run(now, tokenHash, now);
    return result.changes === 1;
  }

  addHost(host: HostRecord): void {
    this.db
      .prepare(`INSERT INTO hosts (id, name, public_key, enrolled_at) VALUES (@id, @name, @publicKey, @enrolledAt)`)
      .run(host);
  }

  hostById(id: string): HostRecord | undefined {
    return this.db
      .prepare(`SELECT id, name, public_key AS publicKey, enrolled_at AS enrolledAt FROM hosts WHERE id = ?`)
      .get(id) as HostRecord | undefined;
  }

  listHosts(): HostRecord[] {
    return this.db
      .prepare(`SELECT id, name, public_key AS publicKey, enrolled_at AS enrolledAt FROM hosts ORDER BY name`)
      .all() as HostRecord[];
  }

  // Browser sign-ins (web_sessions) are read and written by AuthStore (store/AuthStore.ts).

  /** Appends an audit event and returns its sequence number. */
  audit(event: AuditEvent, at: number = Date.now()): number {
    const result = this.db
      .prepare(
        `INSERT INTO audit_events (at, type, actor, host_id, session_id, address, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        at,
        event.type,
        event.actor ?? null,
        event.hostId ?? null,
        event.sessionId ?? null,
        event.address ?? null,
        JSON.stringify(event.detail ?? {}),
      );
    return Number(result.lastInsertRowid);
  }

  /** Audit events in order, for tests and the later audit console. */
  auditEvents(): Array<AuditEvent & { seq: number; at: number }> {
    const rows = this.db
      .prepare(
        `SELECT seq, at, type, actor, host_id AS hostId, session_id AS sessionId, address, detail FROM audit_events ORDER BY seq`,
      )
      .all() as Array<{ seq: number; at: number; type: string; actor: string | null; hostId: string | null; sessionId: string | null; address: string | null; detail: string }>;
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      type: r.type,
      ...(r.actor ? { actor: r.actor } : {}),
      ...(r.hostId ? { hostId: r.hostId } : {}),
      ...(r.sessionId ? { sessionId: r.sessionId } : {}),
      ...(r.address ? { address: r.address } : {}),
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }

  /** Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
