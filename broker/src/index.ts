import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensureLocalPki, type LocalPki } from '@wardlink/certs';
import { Accounts } from './auth/Accounts.ts';
import { HostRegistry } from './auth/HostRegistry.ts';
import type { BrokerConfig } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { SessionRegistry } from './sessions/SessionRegistry.ts';
import { SqliteStore } from './store/SqliteStore.ts';
import { createHttpApp } from './transport/http.ts';
import { Signaling } from './transport/signaling.ts';

/** A started broker. */
export interface RunningBroker {
  /** Base URL, e.g. `https://localhost:8443`. */
  url: string;
  port: number;
  pki: LocalPki;
  store: SqliteStore;
  accounts: Accounts;
  hosts: HostRegistry;
  log: Logger;
  /** Stops accepting, disconnects every client, closes the database. Safe to call twice. */
  close(): Promise<void>;
}

/** Opens the store and the domain objects without a network listener (used by the CLI too). */
export function openDomain(config: BrokerConfig, log: Logger = createLogger(config.logLevel)) {
  const store = new SqliteStore(config.dataDir);
  const accounts = new Accounts({ store, sessionTtlMs: config.webSessionTtlMs });
  const hosts = new HostRegistry({ store });
  return { store, accounts, hosts, log };
}

/** Composition root: wires store, domain and transports, and listens. */
export async function startBroker(config: BrokerConfig): Promise<RunningBroker> {
  const log = createLogger(config.logLevel);
  const pki = await ensureLocalPki({ dir: config.certDir, names: config.certNames });
  const { store, accounts, hosts } = openDomain(config, log);
  const sessions = new SessionRegistry({ codeTtlMs: config.codeTtlMs });

  const server = createServer({ cert: pki.serverCertPem, key: pki.serverKeyPem, minVersion: 'TLSv1.2' });
  const signaling = new Signaling({ server, config, accounts, hosts, sessions, store, log: log.child({ name: 'broker:signaling' }) });
  const app = createHttpApp({
    accounts,
    hosts,
    store,
    viewerDir: config.viewerDir,
    isOnline: signaling.isOnline,
    log: log.child({ name: 'broker:http' }),
  });
  app.proxy = false;
  server.on('request', app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://localhost:${port}`;
  log.info({ url }, 'broker listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    pki,
    store,
    accounts,
    hosts,
    log,
    close: () =>
      (closing ??= (async () => {
        await signaling.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        store.close();
        log.info('broker stopped');
      })()),
  };
}
