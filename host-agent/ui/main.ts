/** Entry of the ward page bundle, served by the host agent on 127.0.0.1 (see scripts/build.mjs). */
import { msg } from '@lit/localize';
import { startPage } from '@wardlink/viewer/ui-kit';
import * as ja from './localization/ja.ts';
import './components/ward-app/ward-app.ts';

void startPage({
  templates: { ja },
  title: () => msg('wardlink – remote support', { id: 'ward.documentTitle' }),
});
