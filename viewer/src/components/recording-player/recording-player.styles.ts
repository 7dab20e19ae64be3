import { css } from 'lit';

/** Layout of `<wl-recording-player>`: status, screen, controls, activity strip, then search and events side by side. */
export const recordingPlayerStyles = css`
  :host {
    display: block;
  }
  .status {
    margin: 0 0 0.5rem;
    font-weight: 600;
  }
  .status.verified {
    color: var(--wl-ok);
  }
  .status.tampered,
  .status.failed {
    color: var(--wl-danger);
  }
  .note {
    margin: 0 0 0.5rem;
    padding: 0.5rem 0.75rem;
    border-left: 6px solid var(--wl-danger);
    background: var(--wl-error-bg);
  }
  .screen {
    background: #000;
    display: flex;
    justify-content: center;
  }
  canvas {
    display: block;
    max-width: 100%;
    max-height: 70vh;
    height: auto;
    object-fit: contain;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.75rem;
    padding: 0.5rem 0;
  }
  .controls input[type='range'] {
    flex: 1 1 16rem;
    min-width: 10rem;
    padding: 0;
  }
  .time {
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .strip {
    position: relative;
    display: flex;
    align-items: flex-end;
    height: 3rem;
    border: 1px solid var(--wl-border);
    background: var(--wl-surface);
    cursor: pointer;
  }
  .bar {
    flex: 1 1 0;
    background: var(--wl-primary);
    opacity: 0.55;
  }
  .marker {
    position: absolute;
    top: 0;
    width: 2px;
    height: 0.75rem;
    background: #b45309;
  }
  .playhead {
    position: absolute;
    top: 0;
    bottom: 0;
    width: 2px;
    background: var(--wl-text);
  }
  .panes {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr));
    gap: 1rem;
    margin-top: 1rem;
  }
  h2 {
    font-size: 1.0625rem;
    margin: 0 0 0.5rem;
  }
  ol,
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    max-height: 24rem;
    overflow-y: auto;
  }
  li button {
    width: 100%;
    min-height: 36px;
    padding: 0.25rem 0.5rem;
    text-align: left;
    font-weight: 400;
    background: var(--wl-surface);
    color: var(--wl-text);
    border: 1px solid transparent;
    overflow-wrap: anywhere;
  }
  li button:hover {
    background: #e8f0fa;
  }
  .at {
    font-variant-numeric: tabular-nums;
    font-weight: 600;
    margin-right: 0.5rem;
  }
  input[type='search'] {
    width: 100%;
  }
`;
