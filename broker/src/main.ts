// Entry point of the broker process: `npm start` runs this.
import { loadConfig } from './config.ts';
import { startBroker } from './index.ts';

const config = loadConfig();
const broker = await startBroker(config).catch((err: unknown) => {
  process.stderr.write(`wardlink broker could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

const hasUsers = (broker.store.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n > 0;
process.stdout.write(
  [
    '',
    `wardlink broker: ${broker.url}`,
    `Hospital CA certificate: ${broker.pki.caCertPath}`,
    `CA fingerprint (SHA-256): ${broker.pki.caFingerprint}`,
    '  Install this CA in the technicians\' browsers and give it to host agents (--ca).',
    hasUsers
      ? ''
      : '  No accounts yet. Create the first one:\n  npm run wardlink -- user add --username admin --name "IT Admin" --org "Hospital IT" --role admin',
    '  Enroll a host: npm run wardlink -- host token --name "Ward 3 PC"',
    `READY ${broker.port}`,
    '',
  ].join('\n'),
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void broker.close().then(() => process.exit(0));
  });
}
