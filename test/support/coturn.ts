import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startProcess, tempDir, type Proc } from './processes.ts';

/** A real coturn TURN relay on 127.0.0.1 with a REST-API shared secret. */
export interface TestTurn {
  url: string;
  secret: string;
  proc: Proc;
  log(): string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `turnserver` on loopback (flags from FIELD-NOTES) and waits until it listens. */
export async function startTurn(): Promise<TestTurn> {
  const dir = tempDir('turn');
  const port = await freePort();
  const secret = randomBytes(16).toString('hex');
  const proc = startProcess('turnserver', [
    '-n',
    '--listening-ip=127.0.0.1',
    '--relay-ip=127.0.0.1',
    `--listening-port=${port}`,
    '--min-port=49160',
    '--max-port=49260',
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    '--realm=wardlink.test',
    '--allow-loopback-peers',
    '--no-tls',
    '--no-dtls',
    '--no-cli',
    '--fingerprint',
    `--pidfile=${join(dir.path, 'turn.pid')}`,
    `--log-file=stdout`,
    '--simple-log',
  ]);
  await proc.waitFor(/(listener opened on|Total General servers)/i, 15_000);
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    proc,
    log: () => proc.output(),
    async stop() {
      await proc.stop();
      dir.remove();
    },
  };
}
