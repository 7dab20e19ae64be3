// Installs what is missing: npm packages (npm ci) and, when run as root, the
// Debian packages the product and its tests need. Used by `npm start`,
// `npm test` and `npm run demo`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Debian packages: runtime (capture, input, relay) and test (browser, display, window manager). */
export const DEBIAN_PACKAGES = {
  runtime: ['ffmpeg', 'xdotool', 'x11-utils', 'coturn'],
  test: ['chromium', 'xvfb', 'openbox', 'xterm', 'x11-xserver-utils', 'imagemagick', 'iproute2', 'util-linux', 'xfonts-base', 'fonts-dejavu-core'],
};

function log(message) {
  process.stderr.write(`[setup] ${message}\n`);
}

function missingDebianPackages(names) {
  return names.filter((name) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

/** Installs missing Debian packages when root; otherwise says what to install. */
export function ensureDebianPackages(groups = ['runtime', 'test']) {
  const wanted = groups.flatMap((g) => DEBIAN_PACKAGES[g]);
  const missing = missingDebianPackages(wanted);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    log(`missing Debian packages: ${missing.join(' ')} (run as root, or: sudo apt-get install ${missing.join(' ')})`);
    return;
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  execFileSync('apt-get', ['update', '-q'], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** Runs `npm ci` when node_modules is missing or older than the lockfile. */
export function ensureNodeModules() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log('installing npm packages (npm ci)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Bundles the browser UIs. */
export async function ensureBuilt() {
  const { buildAll } = await import('./build.mjs');
  await buildAll({ quiet: true });
}
