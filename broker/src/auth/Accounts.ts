import { hash, verify } from '@node-rs/argon2';
import type { Me } from '@wardlink/protocol';
import { hashToken, newId, newToken } from '../ids.ts';
import type { SqliteStore, UserRecord } from '../store/SqliteStore.ts';

/** argon2id parameters (OWASP: m=19 MiB, t=2, p=1). `algorithm: 2` is Argon2id (a const enum upstream). */
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Options for {@link Accounts}. */
export interface AccountsOptions {
  store: SqliteStore;
  /** Milliseconds a sign-in lasts. */
  sessionTtlMs: number;
}

/** New account fields, as given by the CLI. */
export interface NewUser {
  username: string;
  password: string;
  name: string;
  organisation: string;
  role: UserRecord['role'];
}

/**
 * Technician accounts and their browser sign-ins. Passwords are argon2id
 * hashes; sign-in tokens are random and stored only as SHA-256 hashes.
 */
export class Accounts {
  private readonly store: SqliteStore;
  private readonly sessionTtlMs: number;
  private dummyHash: Promise<string> | undefined;

  constructor(options: AccountsOptions) {
    this.store = options.store;
    this.sessionTtlMs = options.sessionTtlMs;
  }

  /** Creates an account; throws when the username is taken. */
  async create(user: NewUser): Promise<UserRecord> {
    if (user.password.length < 10) throw new Error('The password must have at least 10 characters.');
    const record: UserRecord = {
      id: newId(),
      username: user.username,
      name: user.name,
      organisation: user.organisation,
      role: user.role,
      passwordHash: await hash(user.password, ARGON2),
    };
    this.store.addUser(record);
    return record;
  }

  /**
   * Checks a password and opens a sign-in. Unknown users cost the same argon2
   * work as known ones, so timing does not reveal which usernames exist.
   */
  async signIn(username: string, password: string, address: string): Promise<{ token: string; user: UserRecord } | undefined> {
    const user = this.store.userByName(username);
    const stored = user?.passwordHash ?? (await this.fallbackHash());
    const valid = await verify(stored, password).catch(() => false);
    if (!user || !valid) return undefined;
    const token = newToken();
    this.store.addWebSession(hashToken(token), user.id, Date.now() + this.sessionTtlMs, address);
    return { token, user };
  }

  /** The user behind a sign-in token, if it is valid and unexpired. */
  userForToken(token: string | undefined): UserRecord | undefined {
    if (!token) return undefined;
    const userId = this.store.webSessionUser(hashToken(token), Date.now());
    return userId ? this.store.userById(userId) : undefined;
  }

  signOut(token: string): void {
    this.store.deleteWebSession(hashToken(token));
  }

  private fallbackHash(): Promise<string> {
    this.dummyHash ??= hash(newToken(), ARGON2);
    return this.dummyHash;
  }
}

/** The public view of an account. */
export function toMe(user: UserRecord): Me {
  return { id: user.id, username: user.username, name: user.name, organisation: user.organisation, role: user.role };
}
