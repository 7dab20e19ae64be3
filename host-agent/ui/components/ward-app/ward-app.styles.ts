import { css } from 'lit';

/**
 * Layout of `<wl-ward-app>`: one calm card, a very large code and PIN, very
 * large buttons, a framed banner while live and a loud alarm when locked.
 * Comes after the ui-kit's `theme` and `pageStyles` (page, top bar, brand).
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
  .expiry {
    margin: 0 0 1.5rem;
    font-size: 1.125rem;
  }
  .live-banner {
    margin: 0 0 1.5rem;
    padding: 1rem 1.25rem;
    border: 3px solid var(--wl-ok);
    border-radius: 12px;
    background: #ecf7ef;
  }
  .live-banner .status {
    margin-bottom: 0.75rem;
    overflow-wrap: anywhere;
  }
  .live-details {
    text-align: left;
    font-size: 1.125rem;
  }
  .live-details p {
    margin: 0 0 0.5rem;
  }
  .may {
    font-weight: 700;
  }
  .granted {
    margin: 0 0 0.75rem;
    padding-left: 1.75rem;
  }
  .recording.on {
    font-weight: 700;
  }
  .recording.on::before {
    content: '●' / '';
    margin-right: 0.5rem;
    color: var(--wl-danger);
  }
  .frozen {
    font-weight: 700;
    border-left: 4px solid var(--wl-danger);
    padding-left: 0.5rem;
  }
  .unattended {
    font-style: italic;
  }
  .notice,
  .warning {
    margin: 0 0 1.25rem;
    padding: 0.75rem 1rem;
    border-left: 6px solid #8a5a00;
    background: #fff4d6;
    text-align: left;
  }
  .warning {
    font-size: 1.125rem;
    font-weight: 700;
  }
  .warning.quiet {
    margin: 0;
    padding: 0;
    border: 0;
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
  .secret {
    margin: 0 0 0.75rem;
    font-size: 1.125rem;
    font-weight: 700;
  }
  .alarm {
    margin: 0 0 1.5rem;
    padding: 1rem 1.25rem;
    border: 4px solid var(--wl-danger);
    border-left-width: 12px;
    border-radius: 12px;
    background: var(--wl-error-bg);
    text-align: left;
    font-size: 1.125rem;
  }
  .alarm p {
    margin: 0 0 0.5rem;
  }
  .alarm p:last-child {
    margin-bottom: 0;
  }
  .alarm-title {
    font-size: 1.5rem;
    font-weight: 700;
    color: var(--wl-danger-hover);
  }
  .alarm-icon {
    margin-right: 0.5rem;
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
