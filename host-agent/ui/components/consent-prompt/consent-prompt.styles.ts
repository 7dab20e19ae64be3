import { css } from 'lit';

/**
 * Layout of `<wl-consent-prompt>`: a framed card that stands out from the
 * page, large checkboxes (whole rows are click targets) and large buttons.
 * Comes after the ui-kit's `theme`.
 */
export const consentPromptStyles = css`
  :host {
    display: block;
    margin: 0 0 1.5rem;
    text-align: left;
  }
  section {
    padding: 1.25rem 1.5rem;
    border: 4px solid var(--wl-primary);
    border-radius: 12px;
    background: #f2f7fd;
  }
  h2 {
    margin: 0 0 1rem;
    font-size: 1.625rem;
  }
  /* Focused by the page, not by the user: the prompt's frame already shows where they are. */
  h2:focus,
  h2:focus-visible {
    outline: none;
    box-shadow: none;
  }
  .who {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.25rem 1rem;
    margin: 0 0 1.25rem;
    font-size: 1.25rem;
  }
  .who div {
    display: contents;
  }
  .who dt {
    color: var(--wl-muted);
  }
  .who dd {
    margin: 0;
    font-weight: 700;
    overflow-wrap: anywhere;
  }
  fieldset {
    margin: 0 0 1rem;
    padding: 0.75rem 1rem;
    border: 2px solid var(--wl-border);
    border-radius: var(--wl-radius);
    background: var(--wl-surface);
  }
  legend {
    padding: 0 0.25rem;
    font-weight: 700;
    font-size: 1.125rem;
  }
  .hint {
    margin: 0 0 0.5rem;
    color: var(--wl-muted);
  }
  .hint:empty {
    margin: 0;
  }
  .permission {
    display: flex;
    align-items: center;
    gap: 0.75rem;
    min-height: 48px;
    font-size: 1.125rem;
    cursor: pointer;
  }
  .permission input {
    width: 28px;
    height: 28px;
    min-height: 0;
    margin: 0;
    flex: none;
    cursor: inherit;
  }
  .permission:has(input:disabled) {
    color: var(--wl-muted);
    cursor: not-allowed;
  }
  .needs {
    margin: -0.25rem 0 0.5rem 2.5rem;
    color: var(--wl-muted);
  }
  .recording {
    margin: 0 0 1rem;
    font-size: 1.125rem;
  }
  .recording.on {
    font-weight: 700;
  }
  .recording.on::before {
    content: '●' / '';
    margin-right: 0.5rem;
    color: var(--wl-danger);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 1rem;
    justify-content: center;
  }
  button.big {
    min-width: 12rem;
    min-height: 64px;
    padding: 0.75rem 2rem;
    font-size: 1.375rem;
    border-radius: 12px;
  }
`;
