// Component tests of the browser UIs (technician viewer, ward page) in
// Debian's Chromium: `npx web-test-runner`. Tests are silent when they pass.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/support/chromium.mjs';

export default {
  files: ['viewer/src/**/*.test.ts', 'host-agent/ui/**/*.test.ts', 'recordings/browser/**/*.test.ts'],
  // socket.io-client must resolve to its browser build (the node build pulls in ws).
  nodeResolve: { browser: true, exportConditions: ['browser'] },
  concurrency: 2,
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json' }),
    // @hpke/core (recordings/) falls back to `import("crypto")` on Node <= 18 only; browsers never
    // reach it, but the dev server must resolve it, so it gets an empty stand-in (esbuild bundles tolerate it).
    {
      name: 'node-crypto-stand-in',
      resolveImport: ({ source }) => (source === 'crypto' ? '/__stand-in/crypto.js' : undefined),
      serve: (context) =>
        context.path === '/__stand-in/crypto.js' ? { body: 'export const webcrypto = globalThis.crypto;\nexport default {};\n', type: 'js' } : undefined,
    },
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
  // Generous: the shared 2-core machine can be busy; passing tests take well under a second each.
  testFramework: { config: { timeout: 20000 } },
  // Keep the output quiet: no browser console echo unless a test fails.
  filterBrowserLogs: ({ type }) => type === 'error',
};
