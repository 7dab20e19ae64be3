/** Entry of the technician viewer bundle (see scripts/build.mjs). */
import { msg } from '@lit/localize';
import * as ja from './localization/ja.ts';
import { startPage } from './ui-kit/startPage.ts';
import './components/app/app.ts';

void startPage({
  templates: { ja },
  title: () => msg('wardlink – remote support', { id: 'app.documentTitle' }),
});
