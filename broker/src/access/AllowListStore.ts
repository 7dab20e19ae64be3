import type { SqliteStore } from '../store/SqliteStore.ts';
import { formatIp, parseCidr } from '@wardlink/protocol';
import { isRole } from './policy.ts';

/**
 * What an allow-list applies to (SPEC ACL7): technicians of an organisation,
 * technicians of a role, or host agents of a host group.
 */
export type Scope = 'org' | 'role' | 'group';

/** Every scope, in display order. */
export const SCOPES: readonly Scope[] = ['org', 'role', 'group'];

/** Name of the default list of a scope: it applies to every name without a list of its own (ACL8). */
export const DEFAULT_LIST = '*';

/** Group of a newly enrolled host. */
export const DEFAULT_HOST_GROUP = 'default';

/** One allow-list as stored: canonical CIDR entries; an empty list denies. */
export interface AllowListRecord {
  scope: Scope;
  name: string;
  entries: string[];
}

/** Whether `text` names a scope. */
export function isScope(text: string): text is Scope {
  return (SCOPES as readonly string[]).includes(text);
}

const GROUP_NAME = /^[a-z0-9._-]{1,64}$/;
const ORG_NAME = /^[^\p{Cc}]{1,128}$/u;

/** Checks a list name for its scope; throws a message fit for the CLI. */
export function checkListName(scope: Scope, name: string): void {
  if (name === DEFAULT_LIST) return;
  switch (scope) {
    case 'org':
      if (!ORG_NAME.test(name)) throw new Error('an organisation name has 1-128 printable characters');
      return;
    case 'role':
      if (!isRole(name)) throw new Error('a role list is named admin, helpdesk, vendor, auditor or *');
      return;
    case 'group':
      checkGroupName(name);
      return;
    default: {
      const unreachable: never = scope;
      throw new Error(`unknown scope ${String(unreachable)}`);
    }
  }
}

/** Checks a host group name; throws a message fit for the CLI. */
export function checkGroupName(name: string): void {
  if (!GROUP_NAME.test(name)) throw new Error('a host group name has 1-64 of a-z 0-9 . _ -');
}

/** Canonical text of a CIDR (`10.1.0.0/16`, `2001:db8::/32`); throws on any non-canonical input form. */
export function canonicalCidr(text: string): string {
  const network = parseCidr(text);
  return `${formatIp(network)}/${network.prefix}`;
}

/**
 * Reads and writes the allow-list tables and host groups. Used by the broker
 * (reads) and by the admin CLI (writes, from another process: the broker
 * notices through SQLite's `data_version`).
 */
export class AllowListStore {
  private readonly store: SqliteStore;

  constructor(store: SqliteStore) {
    this.store = store;
  }

  /** Every list with its entries. */
  lists(): AllowListRecord[] {
    const db = this.store.db;
    const lists = db.prepare(`SELECT scope, name FROM allow_lists ORDER BY scope, name`).all() as Array<{ scope: Scope; name: string }>;
    const entries = db.prepare(`SELECT scope, name, cidr FROM allow_entries ORDER BY scope, name, cidr`).all() as Array<{
      scope: Scope;
      name: string;
      cidr: string;
    }>;
    const byKey = new Map<string, AllowListRecord>();
    for (const l of lists) byKey.set(`${l.scope}\0${l.name}`, { scope: l.scope, name: l.name, entries: [] });
    for (const e of entries) byKey.get(`${e.scope}\0${e.name}`)?.entries.push(e.cidr);
    return [...byKey.values()];
  }

  /** Adds one network (created the list if needed); returns its canonical text. */
  add(scope: Scope, name: string, cidr: string): string {
    checkListName(scope, name);
    const canonical = canonicalCidr(cidr);
    this.store.db.transaction(() => {
      this.ensure(scope, name);
      this.store.db.prepare(`INSERT OR IGNORE INTO allow_entries (scope, name, cidr) VALUES (?, ?, ?)`).run(scope, name, canonical);
    })();
    return canonical;
  }

  /** Removes one network; the list stays, and denies everything once empty. True when the entry existed. */
  remove(scope: Scope, name: string, cidr: string): boolean {
    const canonical = canonicalCidr(cidr);
    const result = this.store.db.prepare(`DELETE FROM allow_entries WHERE scope = ? AND name = ? AND cidr = ?`).run(scope, name, canonical);
    return result.changes === 1;
  }

  /** Replaces a list's entries in one transaction (an empty array leaves an empty, denying list). */
  set(scope: Scope, name: string, cidrs: readonly string[]): string[] {
    checkListName(scope, name);
    const canonical = [...new Set(cidrs.map(canonicalCidr))];
    this.store.db.transaction(() => {
      this.ensure(scope, name);
      this.store.db.prepare(`DELETE FROM allow_entries WHERE scope = ? AND name = ?`).run(scope, name);
      const insert = this.store.db.prepare(`INSERT INTO allow_entries (scope, name, cidr) VALUES (?, ?, ?)`);
      for (const c of canonical) insert.run(scope, name, c);
    })();
    return canonical;
  }

  /** Deletes a whole list, so the scope's default list applies to that name again. True when it existed. */
  drop(scope: Scope, name: string): boolean {
    return this.store.db.prepare(`DELETE FROM allow_lists WHERE scope = ? AND name = ?`).run(scope, name).changes === 1;
  }

  /** Host id -> host group, for every enrolled host. */
  hostGroups(): Map<string, string> {
    const rows = this.store.db.prepare(`SELECT id, host_group AS hostGroup FROM hosts`).all() as Array<{ id: string; hostGroup: string }>;
    return new Map(rows.map((r) => [r.id, r.hostGroup]));
  }

  /** Moves a host (by id or exact name) into a group; returns its id, or undefined when no single host matches. */
  setHostGroup(hostIdOrName: string, group: string): string | undefined {
    checkGroupName(group);
    const rows = this.store.db.prepare(`SELECT id FROM hosts WHERE id = ? OR name = ?`).all(hostIdOrName, hostIdOrName) as Array<{ id: string }>;
    if (rows.length !== 1) return undefined;
    this.store.db.prepare(`UPDATE hosts SET host_group = ? WHERE id = ?`).run(group, rows[0]!.id);
    return rows[0]!.id;
  }

  /** Enrolled hosts with their groups, for the CLI. */
  hosts(): Array<{ id: string; name: string; group: string }> {
    return this.store.db.prepare(`SELECT id, name, host_group AS "group" FROM hosts ORDER BY name`).all() as Array<{
      id: string;
      name: string;
      group: string;
    }>;
  }

  /** Changes whenever another connection (the CLI) commits to the database. */
  dataVersion(): number {
    return this.store.db.pragma('data_version', { simple: true }) as number;
  }

  private ensure(scope: Scope, name: string): void {
    this.store.db.prepare(`INSERT OR IGNORE INTO allow_lists (scope, name, created_at) VALUES (?, ?, ?)`).run(scope, name, Date.now());
  }
}
