import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, CHROMIUM_WEBRTC_ARGS } from './chromium.mjs';
import { tempDir } from './processes.ts';
import type { TestUser } from './broker.ts';

/** A TLS client certificate Playwright presents to `origin` (PEM files). */
export interface BrowserClientCert {
  origin: string;
  certPath: string;
  keyPath: string;
}

/** Debian's Chromium, headless, in a fresh profile; `close()` removes the profile. */
export async function launchBrowser(
  options: { locale?: string; clientCertificates?: BrowserClientCert[] } = {},
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = tempDir('chromium');
  const context = await chromium.launchPersistentContext(profile.path, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...CHROMIUM_WEBRTC_ARGS],
    // The broker's certificate comes from a CA made for this test run only.
    ignoreHTTPSErrors: true,
    locale: options.locale ?? 'en-US',
    viewport: { width: 1400, height: 1000 },
    ...(options.clientCertificates ? { clientCertificates: options.clientCertificates } : {}),
  });
  return {
    context,
    async close() {
      await context.close();
      profile.remove();
    },
  };
}

/**
 * Signs a technician in through the viewer's form: username, password and a fresh TOTP code
 * (SPEC AUTH5). Resolves once the console shows; a user without TOTP lands on enrolment instead.
 */
export async function signInPage(page: Page, url: string, user: Pick<TestUser, 'username' | 'password'> & Partial<Pick<TestUser, 'totpSecret' | 'code'>>): Promise<void> {
  await page.goto(url);
  await page.getByRole('textbox', { name: 'Username' }).fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  if (user.totpSecret && user.code) await page.getByRole('textbox', { name: 'One-time code' }).fill(await user.code());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
