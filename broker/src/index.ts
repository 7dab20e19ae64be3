import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensureLocalPki, type LocalPki } from '@wardlink/certs';
import { AccessControl } from './access/AccessControl.ts';
import { installSocketGuards } from './access/socketGuard.ts';
import { Accounts } from './auth/Accounts.ts';
import { ClientCerts } from './auth/ClientCerts.ts';
import { LoginThrottle } from './auth/LoginThrottle.ts';
import { TotpFactor } from './auth/TotpFactor.ts';
import { HostRegistry } from './auth/HostRegistry.ts';
import type { BrokerConfig } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { Policies } from './recordings/Policies.ts';
import { RecordingArchive } from './recordings/RecordingArchive.ts';
import { Recordings } from './recordings/Recordings.ts';
import { SessionRegistry } from './sessions/SessionRegistry.ts';
import { AuthStore } from './store/AuthStore.ts';
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
  const auth = new AuthStore(store);
  const certs = new ClientCerts({ store: auth, requiredRoles: config.clientCertRoles, certDir: config.certDir });
  const accounts = new Accounts({
    store,
    auth,
    totp: new TotpFactor({ store: auth, issuer: config.totpIssuer }),
    throttle: new LoginThrottle({ store: auth, ...config.loginThrottle }),
    certs,
    sessionIdleMs: config.webSessionIdleMs,
    sessionMaxMs: config.webSessionMaxMs,
  });
  const hosts = new HostRegistry({ store });
  const policies = new Policies(store);
  return { store, accounts, certs, hosts, policies, log };
}

/** Composition root: wires store, domain and transports, and listens. */
export async function startBroker(config: BrokerConfig): Promise<RunningBroker> {
  const log = createLogger(config.logLevel);
  const pki = await ensureLocalPki({ dir: config.certDir, names: config.certNames });
  const { store, accounts, hosts, policies } = openDomain(config, log);
  const sessions = new SessionRegistry({ codeTtlMs: config.codeTtlMs });
  const recordings = new Recordings({ store, dataDir: config.dataDir });

  // Ask every client for a certificate from the local CA, but let TLS succeed without one:
  // the roles that need one are refused at sign-in instead (SPEC AUTH11).
  const server = createServer({
    cert: pki.serverCertPem,
    key: pki.serverKeyPem,
    minVersion: 'TLSv1.2',
    requestCert: true,
    rejectUnauthorized: false,
    ca: [pki.caCertPem],
  });
  const access = new AccessControl({
    store,
    trustedProxies: config.trustedProxies,
    reloadMs: config.allowListReloadMs,
    log: log.child({ name: 'broker:access' }),
  });
  const signaling = new Signaling({
    server,
    config,
    accounts,
    hosts,
    sessions,
    recordings,
    policies,
    store,
    log: log.child({ name: 'broker:signaling' }),
  });
  const removeSocketGuards = installSocketGuards(signaling.io, access);
  const app = createHttpApp({
    accounts,
    hosts,
    store,
    viewerDir: config.viewerDir,
    isOnline: signaling.isOnline,
    recordings,
    policies,
    archive: new RecordingArchive({ store, files: recordings.files }),
    log: log.child({ name: 'broker:http' }),
    access,
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
        removeSocketGuards();
        await signaling.close();
        access.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        store.close();
        log.info('broker stopped');
      })()),
  };
}
