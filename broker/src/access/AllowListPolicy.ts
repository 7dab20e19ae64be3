import { AllowList, parseCidr, type IpAddress } from '@wardlink/protocol';
import { DEFAULT_LIST, type AllowListRecord, type Scope } from './AllowListStore.ts';

/** Which list decided, for the audit log; `any` is a union of several lists. */
export interface Decision {
  allowed: boolean;
  scope: Scope | 'technician' | 'host' | 'any';
  /** Name of the list that refused (or `*` for a default list, `` for a union). */
  name: string;
}

/** What the policy needs to know about a technician. */
export interface TechnicianRef {
  organisation: string;
  role: string;
}

/**
 * Allow-list decisions over one snapshot of the lists (docs/SPEC.md ACL7-ACL10).
 * Pure: no I/O, so every rule is unit-tested here.
 * - A name's list is its own list if it exists (even empty), else the scope's
 *   default list `*`; no list, or an empty one, denies (ACL2, ACL8).
 * - A signed-in technician needs both the organisation's and the role's list (ACL9).
 * - Before sign-in, any technician list (organisation or role) must contain the address (ACL10).
 * - A host needs its host group's list; before its id is known, any host-group list (ACL11).
 */
export class AllowListPolicy {
  private readonly lists = new Map<string, AllowList>();
  private readonly hostGroups: ReadonlyMap<string, string>;
  private readonly unions = new Map<string, AllowList[]>();

  /** Entries that fail to parse (a hand-edited database) are skipped, which only narrows a list. */
  constructor(records: readonly AllowListRecord[], hostGroups: ReadonlyMap<string, string>, onBadEntry?: (entry: string) => void) {
    for (const record of records) {
      const valid = record.entries.filter((entry) => {
        try {
          parseCidr(entry);
          return true;
        } catch {
          onBadEntry?.(`${record.scope} ${record.name}: ${entry}`);
          return false;
        }
      });
      const list = new AllowList(valid);
      this.lists.set(key(record.scope, record.name), list);
      const union = this.unions.get(record.scope) ?? [];
      union.push(list);
      this.unions.set(record.scope, union);
    }
    this.hostGroups = hostGroups;
  }

  /** The list that applies to `name` in `scope` (its own, else the default), and the name it goes by. */
  listFor(scope: Scope, name: string): { name: string; list: AllowList | undefined } {
    const own = this.lists.get(key(scope, name));
    if (own) return { name, list: own };
    return { name: DEFAULT_LIST, list: this.lists.get(key(scope, DEFAULT_LIST)) };
  }

  /** A signed-in technician: the organisation's list AND the role's list must contain the address. */
  technician(address: IpAddress | undefined, user: TechnicianRef): Decision {
    const org = this.listFor('org', user.organisation);
    if (!address || !org.list?.allows(address)) return { allowed: false, scope: 'org', name: org.name };
    const role = this.listFor('role', user.role);
    if (!role.list?.allows(address)) return { allowed: false, scope: 'role', name: role.name };
    return { allowed: true, scope: 'role', name: role.name };
  }

  /** Before sign-in: inside at least one organisation or role list. */
  anyTechnician(address: IpAddress | undefined): Decision {
    return this.union(address, ['org', 'role'], 'technician');
  }

  /** A host agent: its group's list; an unknown or not yet known host needs any host-group list. */
  host(address: IpAddress | undefined, hostId?: string): Decision {
    const group = hostId === undefined ? undefined : this.hostGroups.get(hostId);
    if (group === undefined) return this.union(address, ['group'], 'host');
    const found = this.listFor('group', group);
    return { allowed: !!address && !!found.list?.allows(address), scope: 'group', name: found.name };
  }

  /** Whether the snapshot has this host (a host enrolled after it was taken is unknown). */
  knowsHost(hostId: string): boolean {
    return this.hostGroups.has(hostId);
  }

  /** Anyone at all: inside at least one list of any scope (the socket.io transport's first gate). */
  anyone(address: IpAddress | undefined): Decision {
    return this.union(address, ['org', 'role', 'group'], 'any');
  }

  private union(address: IpAddress | undefined, scopes: Scope[], label: Decision['scope']): Decision {
    const allowed = !!address && scopes.some((s) => (this.unions.get(s) ?? []).some((l) => l.allows(address)));
    return { allowed, scope: label, name: '' };
  }
}

function key(scope: Scope, name: string): string {
  return `${scope}\0${name}`;
}
