// `npm start`: installs what is missing, builds the viewer, starts the broker
// on the embedded default (SQLite in data/, local CA in certs/local/).
import { spawn } from 'node:child_process';
import { ensureBuilt, ensureDebianPackages, ensureNodeModules, root } from './setup.mjs';

ensureDebianPackages(['runtime']);
ensureNodeModules();
await ensureBuilt();
const child = spawn(process.execPath, ['--import', 'tsx', 'broker/src/main.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
