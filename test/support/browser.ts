import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, CHROMIUM_WEBRTC_ARGS } from './chromium.mjs';
import { tempDir } from './processes.ts';

/** Debian's Chromium, headless, in a fresh profile; `close()` removes the profile. */
export async function launchBrowser(options: { locale?: string } = {}): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = tempDir('chromium');
  const context = await chromium.launchPersistentContext(profile.path, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...CHROMIUM_WEBRTC_ARGS],
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
