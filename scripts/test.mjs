// `npm test`: installs what is missing, then type-checks, lints and runs every
// test. Tests that open sockets run in a private network namespace that has
// only loopback, so WebRTC never touches another interface.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureBuilt, ensureDebianPackages, ensureNodeModules, root } from './setup.mjs';

const only = process.argv.slice(2);
ensureDebianPackages(['runtime', 'test']);
ensureNodeModules();
await ensureBuilt();

const failures = [];
function step(name, command, args, options = {}) {
  process.stderr.write(`\n=== ${name}\n`);
  const started = Date.now();
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) failures.push(`${name} (exit ${r.status ?? r.signal})`);
  process.stderr.write(`=== ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${seconds} s\n`);
}

/**
 * Runs argv in a new network namespace with only `lo` up, and a private mount namespace (tests may
 * mount a small tmpfs to fill a disk without touching the machine's mounts). Root: unshare -nm; else
 * inside a user namespace.
 */
function isolated(argv) {
  const inner = ['sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...argv];
  const asRoot = process.getuid?.() === 0;
  return asRoot ? ['unshare', ['-nm', ...inner]] : ['unshare', ['-rnm', ...inner]];
}

function findTests(dir, pattern) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...findTests(path, pattern));
    else if (pattern.test(entry)) out.push(relative(root, path));
  }
  return out.sort();
}

const unitDirs = ['protocol', 'certs', 'broker', 'host-agent/src', 'recordings/src', 'bench/lib'];
const unit = unitDirs.flatMap((d) => findTests(join(root, d), /\.test\.ts$/));
const e2e = findTests(join(root, 'test'), /\.test\.ts$/);
const selected = (files) => (only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files);

if (!only.length) {
  step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  step('lint', 'npx', ['eslint', '--max-warnings=0', '.']);
  const [cmd, args] = isolated(['npx', 'web-test-runner']);
  step('viewer components (web-test-runner, Chromium, loopback-only namespace)', cmd, args);
}
const nodeTests = [...selected(unit), ...selected(e2e)];
if (nodeTests.length) {
  const [cmd, args] = isolated([process.execPath, '--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...nodeTests]);
  step(`unit + end-to-end tests (${nodeTests.length} files, loopback-only namespace)`, cmd, args);
}

if (failures.length) {
  process.stderr.write(`\nFAILED: ${failures.join(', ')}\n`);
  process.exit(1);
}
process.stderr.write('\nAll test steps passed.\n');
