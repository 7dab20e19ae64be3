// `npm run demo`: a broker, a host agent on a virtual display with a sample
// desktop, a technician account and a session code, ready to use in a minute.
// Everything lives in temporary folders and is removed on Ctrl-C.
import { startAgent } from '../test/support/agent.ts';
import { startBroker } from '../test/support/broker.ts';
import { run } from '../test/support/processes.ts';
import { setUpRecording } from '../test/support/recording.ts';
import { requestHelp } from '../test/support/ward.ts';
import { startXDisplay } from '../test/support/xdisplay.ts';

const x = await startXDisplay({ width: 1280, height: 800, wm: true });
await run('xsetroot', ['-solid', '#35607a'], { env: x.env });
x.spawn('xterm', ['-geometry', '90x26+40+40', '-title', 'Ward 3 terminal']);
x.spawn('xterm', ['-geometry', '60x14-30-30', '-title', 'System monitor', '-e', 'top']);
const broker = await startBroker({ env: { WARDLINK_LOG_LEVEL: 'info' } });
const user = await broker.addUser({ username: 'demo', name: 'Demo Technician', org: 'Demo Vendor KK' });
// Sessions are recorded (the default). The demo is its own hospital admin: it makes the admin policy
// key and a first approved auditor key held by this script, so sessions can start at once; keys that
// auditors register in their browser are approved as they arrive, and later recordings are theirs too.
const recording = await setUpRecording(broker);
const auditor = await broker.addUser({ username: 'auditor', role: 'auditor', name: 'Demo Auditor', org: 'Audit Office' });
const approver = setInterval(() => void approvePendingKeys(), 2000);
const agent = await startAgent({ broker, display: x.display, name: 'Demo ward PC', recording });
const { code, pin } = await requestHelp(agent);

process.stdout.write(`
wardlink demo is running.

  Technician console: ${broker.url}   (the certificate comes from a throw-away local CA: accept it)
  Sign in:            ${user.username} / ${user.password}
  One-time code:      add this key to an authenticator app (TOTP, 30 s, 6 digits): ${user.totpSecret ?? ''}
                      or use a recovery code (each works once): ${user.recoveryCodes.slice(0, 3).join('  ')}
  Session code:       ${code.slice(0, 3)} ${code.slice(3, 6)} ${code.slice(6)}   (valid 10 minutes)
  PIN:                ${pin.slice(0, 4)} ${pin.slice(4)}   (shown only on the ward user's page; 3 wrong tries void it)
  Ward user's page:   ${agent.uiUrl}   (open it to allow the session; "Get help" there makes a new code and PIN)

  Auditor:            ${auditor.username} / ${auditor.password}, TOTP key ${auditor.totpSecret ?? ''}
                      Sign in, make your recording key; this demo approves it within seconds. Sessions
                      recorded after that can be replayed in the browser (earlier ones are sealed to
                      the demo's own key only).

Press Ctrl-C to stop.
`);

async function approvePendingKeys(): Promise<void> {
  try {
    const pending = [...(await broker.cli(['policy', 'keys'])).matchAll(/^(\S+)\s+pending\b/gm)].map((m) => m[1]!);
    if (pending.length) await broker.cli(['policy', 'approve', ...pending, '--key', recording.adminKeyFile]);
  } catch (err) {
    process.stderr.write(`could not approve auditor keys: ${(err as Error).message}\n`);
  }
}

const stop = async (): Promise<void> => {
  clearInterval(approver);
  await agent.stop();
  await broker.stop();
  recording.remove();
  await x.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
