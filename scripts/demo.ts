// `npm run demo`: a broker, a host agent on a virtual display with a sample
// desktop, a technician account and a session code, ready to use in a minute.
// Everything lives in temporary folders and is removed on Ctrl-C.
import { startAgent } from '../test/support/agent.ts';
import { startBroker } from '../test/support/broker.ts';
import { run } from '../test/support/processes.ts';
import { requestHelp } from '../test/support/ward.ts';
import { startXDisplay } from '../test/support/xdisplay.ts';

const x = await startXDisplay({ width: 1280, height: 800, wm: true });
await run('xsetroot', ['-solid', '#35607a'], { env: x.env });
x.spawn('xterm', ['-geometry', '90x26+40+40', '-title', 'Ward 3 terminal']);
x.spawn('xterm', ['-geometry', '60x14-30-30', '-title', 'System monitor', '-e', 'top']);
const broker = await startBroker({ env: { WARDLINK_LOG_LEVEL: 'info' } });
const user = await broker.addUser({ username: 'demo', name: 'Demo Technician', org: 'Demo Vendor KK' });
const agent = await startAgent({ broker, display: x.display, name: 'Demo ward PC' });
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

Press Ctrl-C to stop.
`);

const stop = async (): Promise<void> => {
  await agent.stop();
  await broker.stop();
  await x.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
