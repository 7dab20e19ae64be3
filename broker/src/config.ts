import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCidr } from '@wardlink/protocol';

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
  /** Milliseconds without a request after which a technician's sign-in ends (sliding; SPEC AUTH10). */
  webSessionIdleMs: number;
  /** Milliseconds a technician's sign-in lasts at most, however active (SPEC AUTH10). */
  webSessionMaxMs: number;
  /** Failed sign-ins allowed per username and per source address in a sliding window (SPEC AUTH9). */
  loginThrottle: LoginThrottleConfig;
  /** Roles that must present their own client certificate from the local CA (SPEC AUTH11). */
  clientCertRoles: Array<'admin' | 'helpdesk' | 'vendor' | 'auditor'>;
  /** Issuer name shown in technicians' authenticator apps. */
  totpIssuer: string;
  /** pino level. */
  logLevel: string;
  /**
   * CIDRs of reverse proxies whose `X-Forwarded-For` is believed (SPEC PROXY1); empty: the TCP peer is
   * always the client. The allow-lists themselves live in the database (`wardlink allow ...`).
   */
  trustedProxies: string[];
  /** Milliseconds between checks for allow-list changes made with the CLI (SPEC ACL13). */
  allowListReloadMs: number;
}

/** Login throttling (SPEC AUTH9). */
export interface LoginThrottleConfig {
  /** Milliseconds over which failures count. */
  windowMs: number;
  /** Failures per username within the window. */
  maxPerUser: number;
  /** Failures per source address within the window. */
  maxPerAddress: number;
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
    webSessionIdleMs: 30 * 60_000,
    webSessionMaxMs: 12 * 3_600_000,
    loginThrottle: { windowMs: 15 * 60_000, maxPerUser: 5, maxPerAddress: 20 },
    clientCertRoles: [],
    totpIssuer: 'wardlink',
    logLevel: 'info',
    trustedProxies: [],
    allowListReloadMs: 2000,
  };
}

/**
 * Builds the configuration from defaults, then an optional JSON file
 * (`WARDLINK_CONFIG` or `--config`), then environment variables
 * (`WARDLINK_HOST`, `WARDLINK_PORT`, `WARDLINK_DATA_DIR`, `WARDLINK_CERT_DIR`,
 * `WARDLINK_TURN_URLS` (comma-separated), `WARDLINK_TURN_SECRET`,
 * `WARDLINK_ICE_POLICY`, `WARDLINK_LOG_LEVEL`, `WARDLINK_SESSION_IDLE_SECONDS`,
 * `WARDLINK_SESSION_MAX_SECONDS`, `WARDLINK_LOGIN_WINDOW_SECONDS`,
 * `WARDLINK_LOGIN_MAX_FAILURES_USER`, `WARDLINK_LOGIN_MAX_FAILURES_ADDRESS`,
 * `WARDLINK_CLIENT_CERT_ROLES` (comma-separated roles), `WARDLINK_TOTP_ISSUER`,
 * `WARDLINK_TRUSTED_PROXIES` (comma-separated CIDRs), `WARDLINK_ALLOW_RELOAD_MS`),
 * then command-line flags (`--host`, `--port`, `--data-dir`, `--cert-dir`, and
 * the lower-case flag of each variable above, e.g. `--client-cert-roles`).
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
  applyAuthSettings(config, pick);
  applyAccessSettings(config, pick);
  const turnUrls = pick('turn-urls', 'WARDLINK_TURN_URLS');
  const turnSecret = pick('turn-secret', 'WARDLINK_TURN_SECRET');
  if (turnUrls && turnSecret) {
    config.turn = { urls: turnUrls.split(',').map((u) => u.trim()), secret: turnSecret, ttlSeconds: 3600 };
  }
  return config;
}

/** Sign-in settings (SPEC AUTH9-AUTH11) from flags or environment. */
function applyAuthSettings(config: BrokerConfig, pick: (flag: string, name: string) => string | undefined): void {
  const seconds = (flag: string, name: string, fallbackMs: number): number => {
    const text = pick(flag, name);
    return text === undefined ? fallbackMs : toPositiveInt(text, name) * 1000;
  };
  const count = (flag: string, name: string, fallback: number): number => {
    const text = pick(flag, name);
    return text === undefined ? fallback : toPositiveInt(text, name);
  };
  config.webSessionIdleMs = seconds('session-idle-seconds', 'WARDLINK_SESSION_IDLE_SECONDS', config.webSessionIdleMs);
  config.webSessionMaxMs = seconds('session-max-seconds', 'WARDLINK_SESSION_MAX_SECONDS', config.webSessionMaxMs);
  const throttle = config.loginThrottle;
  config.loginThrottle = {
    windowMs: seconds('login-window-seconds', 'WARDLINK_LOGIN_WINDOW_SECONDS', throttle.windowMs),
    maxPerUser: count('login-max-failures-user', 'WARDLINK_LOGIN_MAX_FAILURES_USER', throttle.maxPerUser),
    maxPerAddress: count('login-max-failures-address', 'WARDLINK_LOGIN_MAX_FAILURES_ADDRESS', throttle.maxPerAddress),
  };
  const roles = pick('client-cert-roles', 'WARDLINK_CLIENT_CERT_ROLES');
  if (roles !== undefined) config.clientCertRoles = parseRoles(roles);
  config.totpIssuer = pick('totp-issuer', 'WARDLINK_TOTP_ISSUER') ?? config.totpIssuer;
}

function parseRoles(text: string): BrokerConfig['clientCertRoles'] {
  const roles = text.split(',').map((r) => r.trim()).filter((r) => r !== '');
  for (const role of roles) {
    if (role !== 'admin' && role !== 'helpdesk' && role !== 'vendor' && role !== 'auditor') {
      throw new Error(`WARDLINK_CLIENT_CERT_ROLES: unknown role "${role}" (admin, helpdesk, vendor, auditor)`);
    }
  }
  return roles as BrokerConfig['clientCertRoles'];
}

function toPositiveInt(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, not "${text}"`);
  return value;
}

/** Allow-list settings (SPEC ACL13, PROXY1): `WARDLINK_TRUSTED_PROXIES` (comma-separated CIDRs), `WARDLINK_ALLOW_RELOAD_MS`. */
function applyAccessSettings(config: BrokerConfig, pick: (flag: string, name: string) => string | undefined): void {
  const proxies = pick('trusted-proxies', 'WARDLINK_TRUSTED_PROXIES');
  if (proxies !== undefined) config.trustedProxies = proxies.split(',').map((p) => p.trim()).filter((p) => p !== '');
  for (const proxy of config.trustedProxies) {
    try {
      parseCidr(proxy);
    } catch (err) {
      throw new Error(`WARDLINK_TRUSTED_PROXIES: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const reload = pick('allow-reload-ms', 'WARDLINK_ALLOW_RELOAD_MS');
  if (reload !== undefined) config.allowListReloadMs = toPositiveInt(reload, 'WARDLINK_ALLOW_RELOAD_MS');
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
