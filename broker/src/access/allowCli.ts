import type { SqliteStore } from '../store/SqliteStore.ts';
import { AllowListPolicy, type Decision } from './AllowListPolicy.ts';
import { AllowListStore, DEFAULT_LIST, isScope, SCOPES, type Scope } from './AllowListStore.ts';
import { formatIp, parseIp } from '@wardlink/protocol';

/** Usage lines of the allow-list and host-group commands, for the CLI's help text. */
export const ALLOW_USAGE = `  wardlink allow list [org|role|group]
  wardlink allow add|remove org|role|group NAME CIDR   (NAME "*" is the scope's default list)
  wardlink allow set org|role|group NAME CIDR[,CIDR...] (replaces the list in one step)
  wardlink allow clear org|role|group NAME             (keeps an empty list: denies everyone it applies to)
  wardlink allow drop org|role|group NAME              (deletes the list: the default "*" applies again)
  wardlink allow check ADDRESS --user NAME | --host ID|NAME | --before-sign-in
  wardlink host list
  wardlink host group ID|NAME GROUP                     (hosts start in group "default")`;

/** Names of the commands {@link runAccessCommand} understands, as `group command`. */
export const ACCESS_COMMANDS = [
  'allow list',
  'allow add',
  'allow remove',
  'allow set',
  'allow clear',
  'allow drop',
  'allow check',
  'host list',
  'host group',
] as const;

/**
 * Runs one allow-list or host-group command of the admin CLI on the broker's
 * database and returns what to print. Every change is audited. A running
 * broker notices within `WARDLINK_ALLOW_RELOAD_MS` and disconnects sockets the
 * new lists no longer allow (ACL13). Throws with a message fit for the CLI.
 */
export function runAccessCommand(
  command: (typeof ACCESS_COMMANDS)[number],
  args: readonly string[],
  flags: Readonly<Record<string, string>>,
  store: SqliteStore,
): string {
  const lists = new AllowListStore(store);
  const changed = (detail: Record<string, unknown>): void => {
    store.audit({ type: 'allowlist.changed', detail });
  };
  switch (command) {
    case 'allow list':
      return formatLists(lists, args[0]);
    case 'allow add': {
      const [scope, name, cidr] = need(args, 3, 'allow add org|role|group NAME CIDR');
      const canonical = lists.add(scopeOf(scope), name, cidr);
      changed({ op: 'add', scope, list: name, cidr: canonical });
      return `${scope} ${name}: added ${canonical}\n`;
    }
    case 'allow remove': {
      const [scope, name, cidr] = need(args, 3, 'allow remove org|role|group NAME CIDR');
      if (!lists.remove(scopeOf(scope), name, cidr)) throw new Error(`${scope} ${name} has no entry ${cidr}`);
      changed({ op: 'remove', scope, list: name, cidr });
      return `${scope} ${name}: removed ${cidr}\n`;
    }
    case 'allow set': {
      const [scope, name, text] = need(args, 3, 'allow set org|role|group NAME CIDR[,CIDR...]');
      const entries = text.split(',').map((c) => c.trim()).filter((c) => c !== '');
      const canonical = lists.set(scopeOf(scope), name, entries);
      changed({ op: 'set', scope, list: name, cidrs: canonical });
      return `${scope} ${name}: ${canonical.length ? canonical.join(', ') : '(empty: denies everyone)'}\n`;
    }
    case 'allow clear': {
      const [scope, name] = need(args, 2, 'allow clear org|role|group NAME');
      lists.set(scopeOf(scope), name, []);
      changed({ op: 'clear', scope, list: name });
      return `${scope} ${name}: empty, denies everyone it applies to\n`;
    }
    case 'allow drop': {
      const [scope, name] = need(args, 2, 'allow drop org|role|group NAME');
      if (!lists.drop(scopeOf(scope), name)) throw new Error(`there is no list ${scope} ${name}`);
      changed({ op: 'drop', scope, list: name });
      return `${scope} ${name}: deleted${name === DEFAULT_LIST ? '' : ` (the default list "${DEFAULT_LIST}" applies to it again)`}\n`;
    }
    case 'allow check':
      return check(lists, store, need(args, 1, 'allow check ADDRESS --user NAME | --host ID|NAME | --before-sign-in')[0], flags);
    case 'host list':
      return lists.hosts().map((h) => `${h.id}  ${h.group}  ${h.name}\n`).join('') || '(no hosts enrolled)\n';
    case 'host group': {
      const [host, group] = need(args, 2, 'host group ID|NAME GROUP');
      const id = lists.setHostGroup(host, group);
      if (!id) throw new Error(`no single host with the id or name "${host}" (see: wardlink host list)`);
      store.audit({ type: 'host.group_changed', hostId: id, detail: { group } });
      return `host ${id}: group ${group}\n`;
    }
    default: {
      const unreachable: never = command;
      throw new Error(`unknown command ${String(unreachable)}`);
    }
  }
}

function need(args: readonly string[], count: number, usage: string): string[] {
  if (args.length < count) throw new Error(`usage: wardlink ${usage}`);
  return args.slice(0, count);
}

function scopeOf(text: string): Scope {
  if (!isScope(text)) throw new Error(`the scope is ${SCOPES.join(', ')}, not "${text}"`);
  return text;
}

function formatLists(lists: AllowListStore, only: string | undefined): string {
  if (only !== undefined) scopeOf(only);
  const lines: string[] = [];
  for (const list of lists.lists()) {
    if (only !== undefined && list.scope !== only) continue;
    lines.push(`${list.scope} ${JSON.stringify(list.name)}: ${list.entries.length ? list.entries.join(', ') : '(empty: denies everyone)'}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '(no lists: everyone is denied)\n';
}

function check(lists: AllowListStore, store: SqliteStore, addressText: string, flags: Readonly<Record<string, string>>): string {
  const address = parseIp(addressText);
  const policy = new AllowListPolicy(lists.lists(), lists.hostGroups());
  let decision: Decision;
  if (flags['user']) {
    const user = store.userByName(flags['user']);
    if (!user) throw new Error(`no user "${flags['user']}"`);
    decision = policy.technician(address, user);
    if (decision.allowed) {
      const org = policy.listFor('org', user.organisation).name;
      return `allowed: ${formatIp(address)} (org ${JSON.stringify(org)} and role ${JSON.stringify(decision.name)})\n`;
    }
  } else if (flags['host']) {
    const host = lists.hosts().find((h) => h.id === flags['host'] || h.name === flags['host']);
    if (!host) throw new Error(`no host "${flags['host']}"`);
    decision = policy.host(address, host.id);
  } else if (flags['before-sign-in']) {
    decision = policy.anyTechnician(address);
  } else {
    throw new Error('say who: --user NAME, --host ID|NAME or --before-sign-in');
  }
  const list = decision.name === '' ? `any ${decision.scope} list` : `${decision.scope} ${JSON.stringify(decision.name)}`;
  return decision.allowed ? `allowed: ${formatIp(address)} (${list})\n` : `denied: ${formatIp(address)} is outside ${list}\n`;
}
