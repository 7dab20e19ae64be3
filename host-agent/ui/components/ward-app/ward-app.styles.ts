import { css } from 'lit';

/**
 * Layout of `<wl-ward-app>`: one calm card, a very large code and very large
 * buttons. Comes after the ui-kit's `theme` and `pageStyles` (page, top bar, brand).
 */
export const wardAppStyles = css`
  .product {
    flex: 1 1 auto;
    color: var(--wl-muted);
  }
  main {
    max-width: 46rem;
    margin: 2rem auto;
    padding: 2rem 2.5rem;
    background: var(--wl-surface);
    border: 1px solid var(--wl-border);
    border-radius: 16px;
    text-align: center;
  }
  .this-pc {
    margin: 0;
    color: var(--wl-muted);
  }
  h1 {
    margin: 0.25rem 0 1.25rem;
    font-size: 2rem;
    overflow-wrap: anywhere;
  }
  .status {
    margin: 0 0 1.25rem;
    font-size: 1.5rem;
    font-weight: 700;
  }
  .status.live {
    color: var(--wl-ok);
  }
  .lead,
  .live-notice,
  .expiry {
    margin: 0 0 1.5rem;
    font-size: 1.125rem;
  }
  .live-notice {
    padding: 1rem;
    border: 2px solid var(--wl-ok);
    border-radius: var(--wl-radius);
    background: #ecf7ef;
  }
  .notice {
    margin: 0 0 1.25rem;
    padding: 0.75rem 1rem;
    border-left: 6px solid #8a5a00;
    background: #fff4d6;
    text-align: left;
  }
  .code-box {
    margin: 0 auto 1.5rem;
    padding: 1.25rem 1rem 0.25rem;
    border: 3px solid var(--wl-primary);
    border-radius: 12px;
  }
  .code-label {
    display: block;
    font-weight: 700;
    font-size: 1.125rem;
  }
  .code {
    margin: 0.25rem 0 0.75rem;
    font-size: clamp(3rem, 8vw, 4.5rem);
    font-weight: 700;
    letter-spacing: 0.06em;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  button.big {
    min-width: 16rem;
    min-height: 72px;
    padding: 0.75rem 2rem;
    font-size: 1.5rem;
    border-radius: 12px;
  }
  .alert {
    margin-top: 1.25rem;
    text-align: left;
  }
`;
