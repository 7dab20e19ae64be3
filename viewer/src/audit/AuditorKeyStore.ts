/**
 * An auditor's recording keys in this browser's IndexedDB (SECURITY.md "Recordings only auditors
 * can open"): X25519 key pairs whose private half is a non-extractable WebCrypto key. IndexedDB
 * stores the CryptoKey objects themselves (they are structured-cloneable), so the private key's
 * bytes are never visible to script, not even here. Keys are kept per user and never deleted: a
 * newer key becomes the current one, and older ones still open the recordings sealed to them.
 */

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/** One stored key pair. */
export interface StoredAuditorKey {
  /** Key id (POL1): base64url of the first 16 bytes of the SHA-256 of the raw public key. */
  keyId: string;
  /** The signed-in account it belongs to. */
  userId: string;
  /** The label it was registered with. */
  label: string;
  /** Epoch milliseconds when it was made. */
  createdAt: number;
  /** Raw X25519 public key, 32 bytes. */
  rawPublicKey: Uint8Array;
  /** Non-extractable X25519 private key (usage `deriveBits`). */
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/** Options of {@link AuditorKeyStore}. */
export interface AuditorKeyStoreOptions {
  /** IndexedDB database name; tests use their own. */
  databaseName?: string;
}

const STORE = 'keys';
const BY_USER = 'userId';

interface KeyDatabase extends DBSchema {
  keys: { key: string; value: StoredAuditorKey; indexes: { userId: string } };
}

/** The auditor's keys in IndexedDB (via `idb`). Safe to create more than once; opens the database lazily. */
export class AuditorKeyStore {
  private readonly databaseName: string;
  private db: Promise<IDBPDatabase<KeyDatabase>> | undefined;

  constructor(options: AuditorKeyStoreOptions = {}) {
    this.databaseName = options.databaseName ?? 'wardlink-auditor';
  }

  /** The keys of `userId`, newest first: the first is the current key. */
  async keys(userId: string): Promise<StoredAuditorKey[]> {
    const db = await this.open();
    const rows = await db.getAllFromIndex(STORE, BY_USER, userId);
    return rows.sort((a, b) => b.createdAt - a.createdAt);
  }

  /** The newest key of `userId`, or undefined. */
  async current(userId: string): Promise<StoredAuditorKey | undefined> {
    return (await this.keys(userId))[0];
  }

  /** Stores a new key (an existing key id is refused: keys are never replaced). */
  async add(key: StoredAuditorKey): Promise<void> {
    const db = await this.open();
    await db.add(STORE, key);
  }

  /** Closes the database connection; the store reopens it on next use. */
  close(): void {
    const db = this.db;
    this.db = undefined;
    void db?.then((d) => d.close()).catch(() => undefined);
  }

  private open(): Promise<IDBPDatabase<KeyDatabase>> {
    this.db ??= openDB<KeyDatabase>(this.databaseName, 1, {
      upgrade(db) {
        db.createObjectStore(STORE, { keyPath: 'keyId' }).createIndex(BY_USER, 'userId');
      },
      blocked() {
        // Another tab holds an older version open; the open waits until it closes.
      },
    });
    const opened = this.db;
    opened.catch(() => {
      // A failed open is retried on next use.
      if (this.db === opened) this.db = undefined;
    });
    return opened;
  }
}
