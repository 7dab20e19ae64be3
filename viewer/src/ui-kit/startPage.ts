import { css } from 'lit';
import { LOCALE_STATUS_EVENT } from '@lit/localize';
import { configureLocales, initLocale, type PageTemplates } from './localization.ts';

/** Options of {@link startPage}. */
export interface StartPageOptions {
  /** The page's own translations, e.g. `{ ja }` (see `PageTemplates`). */
  templates: PageTemplates;
  /**
   * The document title in the language shown now. Calls `msg()` with the
   * page's own id, so that each page keeps its title in its own templates.
   */
  title: () => string;
}

/** The document around the page's root component. */
const documentStyles = css`
  html,
  body {
    margin: 0;
    background: #f4f6f8;
  }
`;

/**
 * Starts a wardlink page from its entry module (`main.ts`): configures the
 * page's languages, styles the document, keeps `document.title` in the
 * language shown, and applies the stored or browser language. Resolves
 * once that language is shown. Call once per page.
 */
export async function startPage(options: StartPageOptions): Promise<void> {
  configureLocales(options.templates);
  if (documentStyles.styleSheet) {
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, documentStyles.styleSheet];
  }
  const updateTitle = (): void => {
    document.title = options.title();
  };
  window.addEventListener(LOCALE_STATUS_EVENT, (e) => {
    if (e.detail.status === 'ready') {
      updateTitle();
    }
  });
  await initLocale();
  updateTitle();
}
