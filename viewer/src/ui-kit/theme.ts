import { css } from 'lit';

/**
 * The look of both wardlink pages (technician console and ward page):
 * calm, high-contrast, large touch targets (at least 44 px), and a focus
 * ring that cannot be missed. Components add it first to their `static styles`.
 */
export const theme = css`
  :host {
    --wl-bg: #f4f6f8;
    --wl-surface: #ffffff;
    --wl-text: #111827;
    --wl-muted: #4b5563;
    --wl-border: #9ca3af;
    --wl-primary: #0b5cad;
    --wl-primary-hover: #084a8c;
    --wl-danger: #b3261e;
    --wl-danger-hover: #8c1d17;
    --wl-ok: #166534;
    --wl-off: #4b5563;
    --wl-error-bg: #fdecea;
    --wl-focus: #ffbf47;
    --wl-radius: 8px;
    font-family: system-ui, 'Hiragino Sans', 'Yu Gothic UI', Meiryo, sans-serif;
    font-size: 1.0625rem;
    line-height: 1.5;
    color: var(--wl-text);
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  button,
  input,
  select {
    font: inherit;
    min-height: 44px;
    border-radius: var(--wl-radius);
  }
  button {
    cursor: pointer;
    padding: 0.5rem 1.25rem;
    border: 2px solid var(--wl-primary);
    background: var(--wl-primary);
    color: #fff;
    font-weight: 600;
  }
  button:hover {
    background: var(--wl-primary-hover);
    border-color: var(--wl-primary-hover);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  button.secondary {
    background: var(--wl-surface);
    color: var(--wl-primary);
  }
  button.secondary:hover {
    background: #e8f0fa;
  }
  button.danger {
    background: var(--wl-danger);
    border-color: var(--wl-danger);
  }
  button.danger:hover {
    background: var(--wl-danger-hover);
    border-color: var(--wl-danger-hover);
  }
  input,
  select {
    padding: 0.5rem 0.75rem;
    border: 2px solid var(--wl-border);
    background: var(--wl-surface);
    color: var(--wl-text);
  }
  :focus-visible {
    outline: 3px solid var(--wl-focus);
    outline-offset: 2px;
    box-shadow: 0 0 0 5px var(--wl-text);
  }
  label {
    font-weight: 600;
  }
  .alert {
    margin: 0;
    padding: 0.75rem 1rem;
    border-left: 6px solid var(--wl-danger);
    background: var(--wl-error-bg);
  }
  .alert.quiet {
    padding: 0;
    border: 0;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;

/**
 * A component that is a whole page: it fills the window on the page
 * background, and its top bar (`<header>`) carries the `.brand` wordmark.
 * Add it after {@link theme}; the component's own styles may then adjust
 * the bar (gaps, wrapping).
 */
export const pageStyles = css`
  :host {
    display: block;
    min-height: 100vh;
    background: var(--wl-bg);
  }
  header {
    display: flex;
    align-items: center;
    gap: 1rem;
    padding: 0.75rem 1.5rem;
    background: var(--wl-surface);
    border-bottom: 2px solid var(--wl-border);
  }
  .brand {
    font-weight: 700;
    font-size: 1.25rem;
  }
`;

/**
 * The signed-in pages' layout (technician console, auditor console): a wrapping header with who is
 * signed in, a centred main column (width set by `--wl-main-width`), headings and card sections.
 */
export const consoleStyles = css`
  header {
    flex-wrap: wrap;
    gap: 0.75rem 1.5rem;
  }
  .who {
    flex: 1 1 auto;
    margin: 0;
    overflow-wrap: anywhere;
  }
  main {
    max-width: var(--wl-main-width, 60rem);
    margin: 0 auto;
    padding: 1.5rem;
  }
  h1 {
    margin: 0 0 1rem;
    font-size: 1.75rem;
    overflow-wrap: anywhere;
  }
  h2 {
    margin: 0 0 0.75rem;
    font-size: 1.25rem;
  }
  section {
    margin-bottom: 1.5rem;
    padding: 1.25rem 1.5rem;
    background: var(--wl-surface);
    border: 1px solid var(--wl-border);
    border-radius: 12px;
  }
`;
