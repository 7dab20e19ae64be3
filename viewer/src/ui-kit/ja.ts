/**
 * Japanese text of the ui-kit's own components, keyed by message id.
 * Written by hand (lit-localize runtime mode); `configureLocales()` adds
 * it to every page's templates, so the pages' `ja` modules leave it out.
 */

/** Message id -> Japanese text. */
export const templates = {
  'language.label': '言語 (Language)',
};
