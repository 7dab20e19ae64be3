import { chromium, type BrowserContext } from 'playwright-core';
import { tempDir } from './processes.ts';

/** Chromium flags for tests on this machine (see FIELD-NOTES). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--allow-loopback-in-peer-connection',
  '--use-fake-ui-for-media-stream',
];

/** Debian's Chromium, headless, in a fresh profile; `close()` removes the profile. */
export async function launchBrowser(options: { locale?: string } = {}): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = tempDir('chromium');
  const context = await chromium.launchPersistentContext(profile.path, {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    // The broker's certificate comes from a CA made for this test run only.
    ignoreHTTPSErrors: true,
    locale: options.locale ?? 'en-US',
    viewport: { width: 1400, height: 1000 },
  });
  return {
    context,
    async close() {
      await context.close();
      profile.remove();
    },
  };
}
