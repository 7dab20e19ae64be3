// The admin command line: `npm run wardlink -- <command>`; works on the broker's data directory.
import { parse, Username } from '@wardlink/protocol';
import { loadConfig, parseFlags } from './config.ts';
import { openDomain } from './index.ts';
import { createLogger } from './logger.ts';

const USAGE = `Usage:
  wardlink user add --username NAME --name "Full Name" --org "Organisation" --role admin|helpdesk|vendor|auditor
                    [--password-stdin]   (otherwise asks on the terminal)
  wardlink host token [--name "Ward 3 PC"] [--hours 24]
Common flags: --data-dir DIR (default: data/)`;

const [group, command, ...rest] = process.argv.slice(2);
const flags = parseFlags(rest);
const config = loadConfig(rest.filter((a, i) => a === '--data-dir' || rest[i - 1] === '--data-dir'));
const domain = openDomain(config, createLogger('warn'));

try {
  if (group === 'user' && command === 'add') await addUser();
  else if (group === 'host' && command === 'token') issueToken();
  else {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
  }
} catch (err) {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  domain.store.close();
}

async function addUser(): Promise<void> {
  const username = flags['username'] ?? '';
  if (!parse(Username, username).ok) throw new Error('--username: 2-64 of a-z 0-9 . _ -');
  const role = flags['role'] ?? 'vendor';
  if (role !== 'admin' && role !== 'helpdesk' && role !== 'vendor' && role !== 'auditor') {
    throw new Error('--role must be admin, helpdesk, vendor or auditor');
  }
  if (domain.store.userByName(username)) throw new Error(`the user "${username}" exists already`);
  const password = await readPassword(flags['password-stdin'] === 'true');
  const user = await domain.accounts.create({
    username,
    password,
    name: flags['name'] ?? username,
    organisation: flags['org'] ?? '',
    role,
  });
  process.stdout.write(`created ${user.role} "${user.username}" (${user.id})\n`);
}

function issueToken(): void {
  const hours = Number(flags['hours'] ?? 24);
  if (!(hours > 0 && hours <= 24 * 30)) throw new Error('--hours must be between 0 and 720');
  const token = domain.hosts.issueEnrollToken(flags['name'], hours * 3_600_000);
  process.stdout.write(`${token}\n`);
  process.stderr.write(`One-time enrollment token, valid ${hours} h. Start the agent with --enroll <token>.\n`);
}

async function readPassword(fromStdin: boolean): Promise<string> {
  if (!fromStdin && process.stdin.isTTY) {
    const { createInterface } = await import('node:readline/promises');
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const password = await rl.question('Password (min. 10 characters): ');
    rl.close();
    return password;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
