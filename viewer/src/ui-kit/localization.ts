/**
 * The language of a wardlink page, shared by the technician console and the
 * ward page: the @lit/localize runtime, the choice between English and
 * Japanese (stored choice, else the browser's language), its persistence in
 * localStorage, and `<html lang>`.
 *
 * @lit/localize keeps one configuration per page, so this module does too:
 * the page's entry calls {@link configureLocales} once with the page's own
 * translations (see `startPage()`); tests that switch languages call it
 * themselves. Until then the page shows English, its source language.
 */
import { configureLocalization, type LocaleModule } from '@lit/localize';
import * as uiKitJa from './ja.ts';

/** The languages wardlink's pages are written in; English is the source. */
export const LOCALES = ['en', 'ja'] as const;

/** One of {@link LOCALES}. */
export type AppLocale = (typeof LOCALES)[number];

/** A language the pages are translated into (every locale but the source). */
export type TargetLocale = Exclude<AppLocale, 'en'>;

/**
 * A page's translations: one lit-localize runtime module (`{ templates }`,
 * message id -> text) per {@link TargetLocale}, e.g. `{ ja }` after
 * `import * as ja from './localization/ja.ts'`.
 */
export type PageTemplates = Record<TargetLocale, LocaleModule>;

/** localStorage key of the language the user picked (the same on both pages). */
export const LOCALE_STORAGE_KEY = 'wardlink.locale';

/** The ui-kit's own text (the language switch), added to every page's templates. */
const uiKitTemplates: PageTemplates = { ja: uiKitJa };

/** The page's lit-localize runtime, once {@link configureLocales} has run. */
let runtime: ReturnType<typeof configureLocalization> | undefined;

/**
 * Configures @lit/localize for this page with the page's translations (the
 * ui-kit's own messages are added; the page's win on a shared id). Call
 * once per page, before switching languages; a second call throws, as
 * @lit/localize allows one configuration per page.
 */
export function configureLocales(templates: PageTemplates): void {
  if (runtime) {
    throw new Error('configureLocales() was already called on this page.');
  }
  runtime = configureLocalization({
    sourceLocale: 'en',
    targetLocales: ['ja'],
    loadLocale: (locale) => {
      const target = locale as TargetLocale;
      return Promise.resolve({ templates: { ...uiKitTemplates[target].templates, ...templates[target].templates } });
    },
  });
}

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

/** The language shown now (English until {@link configureLocales} has run). */
export function currentLocale(): AppLocale {
  const locale = runtime?.getLocale();
  return isAppLocale(locale) ? locale : 'en';
}

/**
 * Switches the UI language: re-renders every component that called
 * `updateWhenLocaleChanges`, sets `<html lang>`, and remembers the choice
 * when `persist` is true. Rejects if {@link configureLocales} has not run.
 */
export async function applyLocale(locale: AppLocale, persist = true): Promise<void> {
  if (!runtime) {
    throw new Error('configureLocales() must be called before the language can change.');
  }
  await runtime.setLocale(locale);
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
