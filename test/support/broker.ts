import { join } from 'node:path';
import { run, startProcess, tempDir, tsxArgs, type Proc } from './processes.ts';

/** A real broker process on 127.0.0.1 with its own data and certificate folders. */
export interface TestBroker {
  url: string;
  port: number;
  caFile: string;
  dataDir: string;
  readonly proc: Proc;
  /** Runs the admin CLI against this broker's data directory. */
  cli(args: string[], input?: string): Promise<string>;
  /** Creates a technician and returns its credentials. */
  addUser(options?: { username?: string; role?: string; name?: string; org?: string }): Promise<{ username: string; password: string }>;
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
}

/** Starts `broker/src/main.ts` on port 0 and waits until it listens. */
export async function startBroker(options: StartBrokerOptions = {}): Promise<TestBroker> {
  const dir = options.dir ? { path: options.dir, remove: () => undefined } : tempDir('broker');
  const dataDir = join(dir.path, 'data');
  const certDir = join(dir.path, 'certs');
  const launch = (listenPort: number): Proc =>
    startProcess(
      process.execPath,
      tsxArgs('broker/src/main.ts', ['--host', '127.0.0.1', '--port', String(listenPort), '--data-dir', dataDir, '--cert-dir', certDir]),
      { env: { WARDLINK_LOG_LEVEL: 'warn', ...options.env } },
    );
  let proc = launch(0);
  const port = Number(await proc.waitFor(/READY (\d+)/));
  const cli = (args: string[], input?: string): Promise<string> =>
    run(process.execPath, tsxArgs('broker/src/cli.ts', [...args, '--data-dir', dataDir]), { input: input ?? '' });
  let users = 0;
  return {
    url: `https://localhost:${port}`,
    port,
    caFile: join(certDir, 'ca.crt'),
    dataDir,
    get proc() {
      return proc;
    },
    cli,
    async addUser(user = {}) {
      const username = user.username ?? `tech${++users}`;
      const password = `pw-${username}-0123456789`;
      await cli(
        ['user', 'add', '--username', username, '--name', user.name ?? `Tech ${username}`, '--org', user.org ?? 'Vendor KK', '--role', user.role ?? 'vendor', '--password-stdin'],
        password,
      );
      return { username, password };
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
