import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Settings of one broker process. Only {@link loadConfig} reads the environment. */
export interface BrokerConfig {
  /** Address to listen on. */
  host: string;
  /** TCP port for HTTPS + socket.io; 0 picks a free one. */
  port: number;
  /** Folder for the SQLite database and other runtime data (never in git). */
  dataDir: string;
  /** Folder holding the local CA and the server certificate (keys git-ignored). */
  certDir: string;
  /** Names the server certificate covers (DNS names and IP addresses). */
  certNames: string[];
  /** Folder with the built viewer (index.html, app.js). */
  viewerDir: string;
  /** Optional TURN relay (coturn with a REST-API shared secret). */
  turn?: TurnConfig;
  /** `relay` forces every session through the TURN relay. */
  iceTransportPolicy: 'all' | 'relay';
  /** Milliseconds a session code stays valid. */
  codeTtlMs: number;
  /** Milliseconds a technician's sign-in lasts. */
  webSessionTtlMs: number;
  /** pino level. */
  logLevel: string;
}

/** coturn `use-auth-secret` settings. */
export interface TurnConfig {
  urls: string[];
  secret: string;
  /** Seconds a minted credential stays valid. */
  ttlSeconds: number;
}

/** Defaults: listen on every interface at 8443, data under `data/`, certificates under `certs/local/`. */
export function defaultConfig(root: string = process.cwd()): BrokerConfig {
  return {
    host: '0.0.0.0',
    port: 8443,
    dataDir: resolve(root, 'data'),
    certDir: resolve(root, 'certs', 'local'),
    certNames: ['localhost', '127.0.0.1', '::1', hostname()],
    viewerDir: resolve(root, 'viewer', 'dist'),
    iceTransportPolicy: 'all',
    codeTtlMs: 10 * 60_000,
    webSessionTtlMs: 8 * 3_600_000,
    logLevel: 'info',
  };
}

/**
 * Builds the configuration from defaults, then an optional JSON file
 * (`WARDLINK_CONFIG` or `--config`), then environment variables
 * (`WARDLINK_HOST`, `WARDLINK_PORT`, `WARDLINK_DATA_DIR`, `WARDLINK_CERT_DIR`,
 * `WARDLINK_TURN_URLS` (comma-separated), `WARDLINK_TURN_SECRET`,
 * `WARDLINK_ICE_POLICY`, `WARDLINK_LOG_LEVEL`), then command-line flags
 * (`--host`, `--port`, `--data-dir`, `--cert-dir`).
 */
export function loadConfig(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): BrokerConfig {
  const config = defaultConfig();
  const flags = parseFlags(argv);
  const file = flags['config'] ?? env['WARDLINK_CONFIG'];
  if (file) Object.assign(config, JSON.parse(readFileSync(file, 'utf8')) as Partial<BrokerConfig>);

  const pick = (flag: string, name: string): string | undefined => flags[flag] ?? env[name];
  config.host = pick('host', 'WARDLINK_HOST') ?? config.host;
  config.port = toPort(pick('port', 'WARDLINK_PORT') ?? String(config.port));
  config.dataDir = resolve(pick('data-dir', 'WARDLINK_DATA_DIR') ?? config.dataDir);
  config.certDir = resolve(pick('cert-dir', 'WARDLINK_CERT_DIR') ?? config.certDir);
  config.logLevel = pick('log-level', 'WARDLINK_LOG_LEVEL') ?? config.logLevel;
  const policy = pick('ice-policy', 'WARDLINK_ICE_POLICY');
  if (policy === 'all' || policy === 'relay') config.iceTransportPolicy = policy;
  else if (policy) throw new Error(`WARDLINK_ICE_POLICY must be "all" or "relay", not "${policy}"`);
  const turnUrls = pick('turn-urls', 'WARDLINK_TURN_URLS');
  const turnSecret = pick('turn-secret', 'WARDLINK_TURN_SECRET');
  if (turnUrls && turnSecret) {
    config.turn = { urls: turnUrls.split(',').map((u) => u.trim()), secret: turnSecret, ttlSeconds: 3600 };
  }
  return config;
}

/** Parses `--name value` and `--name=value` pairs. */
export function parseFlags(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) out[arg.slice(2, eq)] = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) out[arg.slice(2)] = argv[++i]!;
    else out[arg.slice(2)] = 'true';
  }
  return out;
}

function toPort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port: ${text}`);
  return port;
}
