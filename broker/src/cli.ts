// The admin command line: `npm run wardlink -- <command>`; works on the broker's data directory.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { parse, Username } from '@wardlink/protocol';
import { toPkcs12 } from '@wardlink/certs';
import type { TotpSetup } from './auth/TotpFactor.ts';
import { ALLOW_USAGE, runAccessCommand } from './access/allowCli.ts';
import { POLICY_USAGE, runPolicyCommand } from './recordings/policyCli.ts';
import { VERIFY_USAGE, verifyRecordingCommand } from './recordings/verifyCli.ts';
import { loadConfig, parseFlags } from './config.ts';
import { openDomain } from './index.ts';
import { createLogger } from './logger.ts';
import type { UserRecord } from './store/SqliteStore.ts';

const USAGE = `Usage:
  wardlink user add --username NAME --name "Full Name" --org "Organisation" --role admin|helpdesk|vendor|auditor
                    [--password-stdin]   (otherwise asks on the terminal)
                    [--totp]             (enrol TOTP now and print the secret; otherwise the first sign-in enrols)
  wardlink user reset-totp --username NAME   (forget TOTP and end the user's sign-ins; the next sign-in enrols)
  wardlink user unlock --username NAME       (forget the user's failed sign-ins)
  wardlink cert issue USERNAME --out FILE.p12|DIR [--days 365] [--passphrase-stdin]
                    (a client certificate from the local CA: PKCS#12 for browsers, or client.crt + client.key in DIR)
  wardlink cert revoke SERIAL
  wardlink cert list
  wardlink host token [--name "Ward 3 PC"] [--hours 24]
${ALLOW_USAGE}
${POLICY_USAGE}
${VERIFY_USAGE}
Common flags: --data-dir DIR (default: data/), --cert-dir DIR (default: certs/local/)`;

const [group, command, ...rest] = process.argv.slice(2);
const flags = parseFlags(rest);
const positional = positionals(rest);
const config = loadConfig(rest.filter((a, i) => /^--(data|cert)-dir(=|$)/.test(a) || /^--(data|cert)-dir$/.test(rest[i - 1] ?? '')));
const domain = openDomain(config, createLogger('warn'));

try {
  const action = `${group ?? ''} ${command ?? ''}`;
  switch (action) {
    case 'user add':
      await addUser();
      break;
    case 'user reset-totp':
      domain.accounts.resetTotp(existingUser(flags['username']));
      process.stdout.write(`TOTP reset for "${flags['username']}": the next sign-in sets it up again.\n`);
      break;
    case 'user unlock':
      domain.accounts.unlock(existingUser(flags['username']));
      process.stdout.write(`failed sign-ins of "${flags['username']}" forgotten\n`);
      break;
    case 'cert issue':
      await issueCert();
      break;
    case 'cert revoke':
      revokeCert();
      break;
    case 'cert list':
      listCerts();
      break;
    case 'host token':
      issueToken();
      break;
    // Allow-lists and host groups (SPEC ACL7-ACL13): broker/src/access/allowCli.ts.
    case 'allow list':
    case 'allow add':
    case 'allow remove':
    case 'allow set':
    case 'allow clear':
    case 'allow drop':
    case 'allow check':
    case 'host list':
    case 'host group':
      process.stdout.write(runAccessCommand(action, positional, flags, domain.store));
      break;
    case `verify-recording ${command ?? ''}`:
      process.exitCode = await verifyRecordingCommand(command, config.dataDir, domain.store, (t) => process.stdout.write(t));
      break;
    case 'policy keygen':
    case 'policy keys':
    case 'policy approve':
    case 'policy revoke':
    case 'policy show':
      process.stdout.write(runPolicyCommand(command!, positional, flags, domain.policies));
      break;
    default:
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
  const password = await readSecret('Password (min. 10 characters): ', flags['password-stdin'] === 'true');
  const { user, totp } = await domain.accounts.create(
    { username, password, name: flags['name'] ?? username, organisation: flags['org'] ?? '', role },
    { totp: flags['totp'] === 'true' },
  );
  process.stdout.write(`created ${user.role} "${user.username}" (${user.id})\n`);
  if (totp) await printTotp(totp);
  else process.stdout.write('The first sign-in sets up two-step sign-in (TOTP).\n');
}

async function printTotp(totp: TotpSetup): Promise<void> {
  if (process.stdout.isTTY) process.stdout.write(await QRCode.toString(totp.uri, { type: 'terminal', small: true }));
  process.stdout.write(
    [
      `TOTP secret: ${totp.secret}`,
      `TOTP URI: ${totp.uri}`,
      'Recovery codes (each works once; hand them over with the secret):',
      ...totp.recoveryCodes.map((c) => `  ${c}`),
      '',
    ].join('\n'),
  );
}

function existingUser(username: string | undefined): UserRecord {
  const user = username ? domain.store.userByName(username) : undefined;
  if (!user) throw new Error(`no user "${username ?? ''}" (--username NAME)`);
  return user;
}

async function issueCert(): Promise<void> {
  const user = existingUser(positional[0] ?? flags['username']);
  const out = flags['out'];
  if (!out || out === 'true') throw new Error('--out FILE.p12 or --out DIR is required');
  const days = Number(flags['days'] ?? 365);
  if (!(Number.isInteger(days) && days > 0 && days <= 3650)) throw new Error('--days must be between 1 and 3650');
  const pkcs12 = /\.(p12|pfx)$/i.test(out);
  const passphrase = pkcs12 ? await readSecret('Passphrase for the .p12 file: ', flags['passphrase-stdin'] === 'true') : '';
  if (pkcs12 && passphrase.length < 8) throw new Error('the passphrase must have at least 8 characters');
  const cert = await domain.certs.issue(user, days);
  if (pkcs12) {
    writeFileSync(out, toPkcs12({ certPem: cert.certPem, keyPem: cert.keyPem, caCertPem: cert.caCertPem, passphrase, name: user.username }), { mode: 0o600 });
    chmodSync(out, 0o600);
  } else {
    mkdirSync(out, { recursive: true, mode: 0o700 });
    writeFileSync(join(out, 'client.crt'), cert.certPem);
    writeFileSync(join(out, 'client.key'), cert.keyPem, { mode: 0o600 });
    chmodSync(join(out, 'client.key'), 0o600);
    writeFileSync(join(out, 'ca.crt'), cert.caCertPem);
  }
  domain.store.audit({ type: 'cert.issued', actor: user.id, detail: { serial: cert.serial, notAfter: cert.notAfter.toISOString() } });
  process.stdout.write(`serial ${cert.serial}\nfingerprint ${cert.fingerprint}\nvalid until ${cert.notAfter.toISOString()}\n`);
}

function revokeCert(): void {
  const serial = positional[0] ?? '';
  if (!/^[0-9A-Fa-f:]{2,128}$/.test(serial)) throw new Error('usage: wardlink cert revoke SERIAL (hex, from cert list)');
  if (!domain.certs.revoke(serial)) throw new Error(`no unrevoked certificate with serial ${serial}`);
  domain.store.audit({ type: 'cert.revoked', detail: { serial: serial.replace(/:/g, '').toUpperCase() } });
  process.stdout.write(`revoked ${serial}\n`);
}

function listCerts(): void {
  for (const cert of domain.certs.list()) {
    const user = domain.store.userById(cert.userId);
    const state = cert.revokedAt !== undefined ? `revoked ${new Date(cert.revokedAt).toISOString()}` : cert.expiresAt <= Date.now() ? 'expired' : 'valid';
    process.stdout.write(`${cert.serial}  ${user?.username ?? cert.userId}  until ${new Date(cert.expiresAt).toISOString()}  ${state}\n`);
  }
}

function issueToken(): void {
  const hours = Number(flags['hours'] ?? 24);
  if (!(hours > 0 && hours <= 24 * 30)) throw new Error('--hours must be between 0 and 720');
  const token = domain.hosts.issueEnrollToken(flags['name'], hours * 3_600_000);
  process.stdout.write(`${token}\n`);
  process.stderr.write(`One-time enrollment token, valid ${hours} h. Start the agent with --enroll <token>.\n`);
}

async function readSecret(prompt: string, fromStdin: boolean): Promise<string> {
  if (!fromStdin && process.stdin.isTTY) {
    const { createInterface } = await import('node:readline/promises');
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const secret = await rl.question(prompt);
    rl.close();
    return secret;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Arguments that are neither flags nor flag values (as {@link parseFlags} pairs them). */
function positionals(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) out.push(arg);
    else if (!arg.includes('=') && i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) i++;
  }
  return out;
}
