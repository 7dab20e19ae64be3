// `npm run demo`: installs what is missing, builds, then runs scripts/demo.ts.
import { spawn } from 'node:child_process';
import { ensureBuilt, ensureDebianPackages, ensureNodeModules, root } from './setup.mjs';

ensureDebianPackages(['runtime', 'test']);
ensureNodeModules();
await ensureBuilt();
const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
