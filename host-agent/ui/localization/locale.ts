import { configureLocalization, type LocaleModule } from '@lit/localize';
import * as ja from './ja.ts';

/** The languages the ward page is written in; English is the source. */
export const LOCALES = ['en', 'ja'] as const;

/** One of {@link LOCALES}. */
export type AppLocale = (typeof LOCALES)[number];

/** localStorage key of the language the user picked. */
export const LOCALE_STORAGE_KEY = 'wardlink.locale';

const modules: Record<Exclude<AppLocale, 'en'>, LocaleModule> = { ja };

const { getLocale, setLocale } = configureLocalization({
  sourceLocale: 'en',
  targetLocales: ['ja'],
  loadLocale: (locale) => Promise.resolve(modules[locale as 'ja']),
});

/** Whether a string names one of the supported languages. */
export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * Picks the language: a stored choice wins, then the browser's first
 * language (`ja*` -> Japanese), else English.
 */
export function preferredLocale(languages: readonly string[], stored: string | null): AppLocale {
  if (isAppLocale(stored)) {
    return stored;
  }
  const first = languages[0]?.toLowerCase() ?? '';
  return first.startsWith('ja') ? 'ja' : 'en';
}

/** The language shown now. */
export function currentLocale(): AppLocale {
  const locale = getLocale();
  return isAppLocale(locale) ? locale : 'en';
}

/**
 * Switches the UI language: re-renders every component that called
 * `updateWhenLocaleChanges`, sets `<html lang>`, and remembers the choice
 * when `persist` is true.
 */
export async function applyLocale(locale: AppLocale, persist = true): Promise<void> {
  await setLocale(locale);
  document.documentElement.lang = locale;
  if (persist) {
    try {
      localStorage.setItem(LOCALE_STORAGE_KEY, locale);
    } catch {
      // Storage may be disabled by policy; the choice then lasts for this page only.
    }
  }
}

/** Applies the stored or browser language at start-up. */
export async function initLocale(): Promise<void> {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    stored = null;
  }
  await applyLocale(preferredLocale(navigator.languages ?? [navigator.language], stored), false);
}
