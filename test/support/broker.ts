import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { run, startProcess, tempDir, tsxArgs, type Proc } from './processes.ts';

/** A technician made by {@link TestBroker.addUser}. */
export interface TestUser {
  username: string;
  password: string;
  /** Base32 TOTP secret; undefined for a user made with `totp: false` (the first sign-in enrols). */
  totpSecret?: string;
  /** The ten recovery codes printed by `user add --totp`. */
  recoveryCodes: string[];
  /**
   * A TOTP code the broker has not seen yet for this user (each time step works once, SPEC AUTH6):
   * the current step's code, else the next one; waits for a step when both are used.
   */
  code(): Promise<string>;
}

/** The TOTP code (SHA-1, 6 digits, 30 s) of a base32 secret at a time (epoch milliseconds). */
export function totpAt(secret: string, at: number = Date.now()): string {
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: at });
}

/**
 * Hands out TOTP codes of increasing time steps, as a careful technician would type them;
 * `usedStep` is a step the broker has seen already (for instance the enrolment's confirming code).
 */
export function freshCodes(secret: string, usedStep = 0): () => Promise<string> {
  let lastStep = usedStep;
  return async () => {
    for (;;) {
      const current = Math.floor(Date.now() / 30_000);
      const step = Math.max(lastStep + 1, current);
      // The broker accepts one step either side of its clock: the next step is safe, a later one is not.
      if (step <= current + 1) {
        lastStep = step;
        return totpAt(secret, step * 30_000);
      }
      await new Promise((r) => setTimeout(r, (step - 1) * 30_000 - Date.now() + 50));
    }
  };
}

/** A real broker process on 127.0.0.1 with its own data and certificate folders. */
export interface TestBroker {
  url: string;
  port: number;
  caFile: string;
  dataDir: string;
  readonly proc: Proc;
  /** Runs the admin CLI against this broker's data directory. */
  cli(args: string[], input?: string): Promise<string>;
  /** Folder of the broker's local CA (client certificates are issued from it). */
  certDir: string;
  /**
   * Creates a technician and returns its credentials. By default TOTP is enrolled at once
   * (`user add --totp`); with `totp: false` the first sign-in must enrol (SPEC AUTH8).
   */
  addUser(options?: { username?: string; role?: string; name?: string; org?: string; totp?: boolean }): Promise<TestUser>;
  /** Issues a one-time enrollment token. */
  enrollToken(name?: string): Promise<string>;
  /** Stops the broker process and starts it again on the same port, data and certificates. */
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

/** Options for {@link startBroker}. */
export interface StartBrokerOptions {
  env?: NodeJS.ProcessEnv;
  /** Reuse an existing folder (restart tests). */
  dir?: string;
  /** Address to listen on (default 127.0.0.1; `::` for a dual-stack wildcard). */
  host?: string;
}

/** Starts `broker/src/main.ts` on port 0 and waits until it listens. */
export async function startBroker(options: StartBrokerOptions = {}): Promise<TestBroker> {
  const dir = options.dir ? { path: options.dir, remove: () => undefined } : tempDir('broker');
  const dataDir = join(dir.path, 'data');
  const certDir = join(dir.path, 'certs');
  const launch = (listenPort: number): Proc =>
    startProcess(
      process.execPath,
      tsxArgs('broker/src/main.ts', ['--host', options.host ?? '127.0.0.1', '--port', String(listenPort), '--data-dir', dataDir, '--cert-dir', certDir]),
      { env: { WARDLINK_LOG_LEVEL: 'warn', ...options.env } },
    );
  let proc = launch(0);
  const port = Number(await proc.waitFor(/READY (\d+)/));
  const cli = (args: string[], input?: string): Promise<string> =>
    run(process.execPath, tsxArgs('broker/src/cli.ts', [...args, '--data-dir', dataDir, '--cert-dir', certDir]), { input: input ?? '' });
  let users = 0;
  return {
    url: `https://localhost:${port}`,
    port,
    caFile: join(certDir, 'ca.crt'),
    dataDir,
    certDir,
    get proc() {
      return proc;
    },
    cli,
    async addUser(user = {}) {
      const username = user.username ?? `tech${++users}`;
      const password = `pw-${username}-0123456789`;
      const totp = user.totp ?? true;
      const out = await cli(
        ['user', 'add', '--username', username, '--name', user.name ?? `Tech ${username}`, '--org', user.org ?? 'Vendor KK', '--role', user.role ?? 'vendor', ...(totp ? ['--totp'] : []), '--password-stdin'],
        password,
      );
      const totpSecret = /^TOTP secret: ([A-Z2-7]+)$/m.exec(out)?.[1];
      if (totp && !totpSecret) throw new Error(`user add printed no TOTP secret:\n${out}`);
      const recoveryCodes = [...out.matchAll(/^ {2}([a-z2-7]{4}(?:-[a-z2-7]{4}){3})$/gm)].map((m) => m[1]!);
      const code = totpSecret ? freshCodes(totpSecret) : () => Promise.reject(new Error(`${username} has no TOTP`));
      return { username, password, ...(totpSecret ? { totpSecret } : {}), recoveryCodes, code };
    },
    async enrollToken(name) {
      return (await cli(['host', 'token', ...(name ? ['--name', name] : [])])).trim();
    },
    async restart({ downMs = 0 } = {}) {
      await proc.stop();
      await new Promise((r) => setTimeout(r, downMs));
      proc = launch(port);
      await proc.waitFor(/READY (\d+)/);
    },
    async stop() {
      await proc.stop();
      dir.remove();
    },
  };
}
