/** Entry of the technician viewer bundle (see scripts/build.mjs). */
import { css } from 'lit';
import { LOCALE_STATUS_EVENT, msg } from '@lit/localize';
import { initLocale } from './localization/locale.ts';
import './components/app/app.ts';

const page = css`
  html,
  body {
    margin: 0;
    background: #f4f6f8;
  }
`;
if (page.styleSheet) {
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, page.styleSheet];
}

function updateTitle(): void {
  document.title = msg('wardlink – remote support', { id: 'app.documentTitle' });
}

window.addEventListener(LOCALE_STATUS_EVENT, (e) => {
  if (e.detail.status === 'ready') {
    updateTitle();
  }
});

void initLocale().then(updateTitle);
