// Bundles the browser UIs with esbuild: the technician viewer (served by the
// broker) and the ward user's page (served by the host agent on 127.0.0.1).
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Each UI: its entry module, its static index.html, and where the bundle goes. */
const uis = [
  { entry: 'viewer/src/main.ts', html: 'viewer/index.html', out: 'viewer/dist' },
  { entry: 'host-agent/ui/main.ts', html: 'host-agent/ui/index.html', out: 'host-agent/dist/ui' },
];

export async function buildAll({ quiet = false } = {}) {
  for (const ui of uis) {
    const outdir = join(root, ui.out);
    mkdirSync(outdir, { recursive: true });
    await build({
      entryPoints: [join(root, ui.entry)],
      outfile: join(outdir, 'app.js'),
      bundle: true,
      format: 'esm',
      target: 'es2022',
      sourcemap: true,
      minify: true,
      legalComments: 'none',
      logLevel: quiet ? 'error' : 'info',
      tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    });
    cpSync(join(root, ui.html), join(outdir, 'index.html'));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildAll();
}
