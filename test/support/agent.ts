import { join } from 'node:path';
import type { TestBroker } from './broker.ts';
import { startProcess, tempDir, tsxArgs, type Proc } from './processes.ts';
import type { RecordingSetup } from './recording.ts';
import { wardStateAt } from './ward.ts';

/** A real host agent process on an X display. */
export interface TestAgent {
  /** URL of the ward user's page. */
  uiUrl: string;
  dataDir: string;
  proc: Proc;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `host-agent/src/main.ts` enrolled with `broker`, on `display`. */
export async function startAgent(options: {
  broker: TestBroker;
  display: string;
  name?: string;
  token?: string;
  dataDir?: string;
  /** Extra environment, e.g. `WARDLINK_UNATTENDED: 'yes'`. */
  env?: NodeJS.ProcessEnv;
  /**
   * Record sessions under this policy (test/support/recording.ts), as the agent does by default.
   * Without it the agent runs `--recording off`, so tests about other things do not pay for an
   * encoder on the shared 2-core machine.
   */
  recording?: RecordingSetup;
}): Promise<TestAgent> {
  const dir = options.dataDir ? { path: options.dataDir, remove: () => undefined } : tempDir('agent');
  const token = options.token ?? (await options.broker.enrollToken());
  const proc = startProcess(
    process.execPath,
    tsxArgs('host-agent/src/main.ts', [
      '--broker', options.broker.url,
      '--ca', options.broker.caFile,
      '--data-dir', join(dir.path, 'agent'),
      '--name', options.name ?? 'Ward 3 PC',
      '--enroll', token,
      '--ui-port', '0',
      '--display', options.display,
      ...(options.recording ? ['--policy-key', options.recording.policyKey] : ['--recording', 'off']),
    ]),
    { env: { DISPLAY: options.display, WARDLINK_LOG_LEVEL: 'warn', ...options.env } },
  );
  const uiUrl = await proc.waitFor(/AGENT_READY (\S+)/);
  await waitForBroker(uiUrl);
  return {
    uiUrl,
    dataDir: join(dir.path, 'agent'),
    proc,
    async stop(signal) {
      await proc.stop(signal);
      dir.remove();
    },
  };
}

/** Waits until the agent's ward page reports its broker connection online. */
async function waitForBroker(uiUrl: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await wardStateAt(uiUrl)).broker !== 'online') {
    if (Date.now() > deadline) throw new Error('the host agent did not connect to the broker');
    await new Promise((r) => setTimeout(r, 100));
  }
}
