import { css } from 'lit';

/** Layout of `<wl-remote-screen>`: a toolbar on top, the screen filling the rest of the window. */
export const remoteScreenStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    height: 100vh;
    background: #1f2933;
  }
  .bar {
    display: flex;
    align-items: center;
    gap: 1rem;
    padding: 0.5rem 1rem;
    background: var(--wl-surface);
    border-bottom: 2px solid var(--wl-border);
  }
  .info {
    min-width: 0;
    flex: 0 1 auto;
  }
  h1 {
    margin: 0;
    font-size: 1.125rem;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .status {
    margin: 0;
    font-weight: 600;
  }
  .status.connected {
    color: var(--wl-ok);
  }
  .status.failed,
  .status.ended {
    color: var(--wl-danger);
  }
  .recorded {
    margin: 0;
    font-size: 0.875rem;
  }
  .recorded::before {
    content: '●' / '';
    margin-right: 0.375rem;
    color: var(--wl-danger);
  }
  .hint {
    flex: 1 1 auto;
    margin: 0;
    padding: 0.375rem 0.75rem;
    color: var(--wl-muted);
    font-size: 0.9375rem;
    border-radius: var(--wl-radius);
  }
  .hint.captured {
    color: var(--wl-text);
    background: #fff4d6;
    border: 2px solid var(--wl-focus);
  }
  .bar button {
    flex: 0 0 auto;
  }
  .alert {
    background: var(--wl-error-bg);
  }
  .stage {
    position: relative;
    flex: 1 1 auto;
    min-height: 0;
    margin: 4px;
    outline: none;
    cursor: default;
    touch-action: none;
  }
  .stage:focus-within {
    outline: 4px solid var(--wl-focus);
    outline-offset: -4px;
  }
  video {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: contain;
    background: #000;
  }
  .keyboard {
    /* Focusable and editable so IMEs work, but out of sight. */
    position: absolute;
    left: 0;
    bottom: 0;
    width: 1px;
    height: 1px;
    padding: 0;
    border: 0;
    opacity: 0;
    resize: none;
    overflow: hidden;
    pointer-events: none;
  }
`;
