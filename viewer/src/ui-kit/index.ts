/**
 * What the technician console and the ward page (host-agent/ui) share in
 * the browser: the theme, the language setup and `<wl-language-switch>`,
 * and the start-up of a page. Other packages import it as
 * `@wardlink/viewer/ui-kit`; the viewer's own components import the files.
 *
 * Importing this module defines `<wl-language-switch>`.
 */
export { theme, pageStyles } from './theme.ts';
export {
  LOCALES,
  LOCALE_STORAGE_KEY,
  applyLocale,
  configureLocales,
  currentLocale,
  initLocale,
  isAppLocale,
  preferredLocale,
  type AppLocale,
  type PageTemplates,
  type TargetLocale,
} from './localization.ts';
export { startPage, type StartPageOptions } from './startPage.ts';
export { LanguageSwitch } from './language-switch/language-switch.ts';
