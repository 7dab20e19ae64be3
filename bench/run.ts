// `npm run bench [-- --only <scenario|metric>] [--out <dir>]`: measures wardlink with real
// processes on this machine and writes bench/results.json and bench/RESULTS.md (issue 5).
// Re-executes itself in a private network namespace that has only loopback, so no traffic can
// leave the machine and WebRTC cannot pick another interface.
import { spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { CATALOGUE, SCENARIOS, metricsOf, specOf, type MetricName, type ScenarioName } from './catalogue.ts';
import { LiveRig, type LiveRigOptions } from './live/LiveRig.ts';
import { OtherWork, commitInfo, machineInfo } from './lib/machine.ts';
import { progress } from './lib/progress.ts';
import { carryOver, ordered, readResults, writeResults } from './lib/report.ts';
import { failed, notMeasurable, type Results, type ScenarioOutcome } from './lib/results.ts';
import { brokerScenario } from './scenarios/broker.ts';
import { inputScenario } from './scenarios/input.ts';
import { pinScenario } from './scenarios/pin.ts';
import { RECORDING_MINUTES, recordingScenario } from './scenarios/recording.ts';
import { replayScenario } from './scenarios/replay.ts';
import { sessionScenario } from './scenarios/session.ts';
import type { Scenario, ScenarioContext } from './scenarios/types.ts';
import { videoScenario } from './scenarios/video.ts';
import { ROOT } from '../test/support/processes.ts';

/** Set in the re-executed child: it runs inside the loopback-only namespace. */
const ISOLATED_ENV = 'WARDLINK_BENCH_ISOLATED';
/** Open files the namespaced shell asks for: broker and simulator each hold one socket per agent. */
const FD_LIMIT = 65_536;

/** Scenarios with a harness; the others report their metrics as not measurable yet. */
const IMPLEMENTED: Partial<Record<ScenarioName, { run: Scenario; live: boolean; timeoutMs: number }>> = {
  pin: { run: pinScenario, live: false, timeoutMs: 60_000 },
  // Both recording modes, each on a rig of its own (about 3.5 minutes on 2 cores).
  session: { run: sessionScenario, live: true, timeoutMs: 480_000 },
  input: { run: inputScenario, live: true, timeoutMs: 240_000 },
  // Recorded and live only, each on a rig of its own, with the flood and the scrolling page (about 5 minutes).
  video: { run: videoScenario, live: true, timeoutMs: 600_000 },
  broker: { run: brokerScenario, live: false, timeoutMs: 600_000 },
  // The workload's length plus set-up, SSIM and decode timing (about 3 minutes for 10 minutes).
  recording: { run: recordingScenario, live: false, timeoutMs: (RECORDING_MINUTES + 12) * 60_000 },
  // Recording the workload when it is not cached yet, then sealing, uploading, opening and seeking.
  replay: { run: replayScenario, live: false, timeoutMs: (RECORDING_MINUTES + 15) * 60_000 },
};

interface Args {
  only: ScenarioName[];
  out: string;
  /** Skip installing Debian packages and bundling the UIs (use the existing viewer/dist). */
  noBuild: boolean;
  /** Minutes of the recording workload instead of the full 10 (development). */
  minutes?: number;
}

function usage(): never {
  process.stderr.write(
    'usage: npm run bench [-- --only <name>[,<name>...]] [--out <dir>] [--no-build] [--minutes <n>]\n' +
      `  <name>: a scenario (${SCENARIOS.join(', ')}) or a metric (${Object.keys(CATALOGUE).join(', ')})\n`,
  );
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const only = new Set<ScenarioName>();
  let out = join(ROOT, 'bench');
  let noBuild = false;
  let minutes: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => argv[++i] ?? usage();
    if (arg === '--only') {
      for (const name of value().split(',')) {
        if ((SCENARIOS as readonly string[]).includes(name)) only.add(name as ScenarioName);
        else if (name in CATALOGUE) only.add(CATALOGUE[name as MetricName].scenario);
        else usage();
      }
    } else if (arg === '--out') out = value();
    else if (arg === '--no-build') noBuild = true;
    else if (arg === '--minutes') {
      minutes = Number(value());
      if (!(minutes > 0 && minutes <= RECORDING_MINUTES)) usage();
    } else usage();
  }
  return { only: [...only], out, noBuild, ...(minutes !== undefined ? { minutes } : {}) };
}

/**
 * Installs missing Debian packages and bundles the UIs (outside the namespace: apt needs the
 * network), then runs this script again in a new network namespace with only `lo` up and a raised
 * descriptor limit.
 */
function reexecIsolated(build: boolean): never {
  if (build) {
    const setup = "const s = await import('./scripts/setup.mjs'); s.ensureDebianPackages(['runtime', 'test']); await s.ensureBuilt();";
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', setup], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) {
      process.stderr.write('bench: installing or building failed (see above); --no-build runs with the UIs as built last time\n');
      process.exit(r.status ?? 1);
    }
  }
  // Without CAP_SYS_RESOURCE the hard limit cannot rise: then take the hard limit as it is.
  const script = `ip link set lo up && { ulimit -n ${FD_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; } && exec "$@"`;
  const inner = ['sh', '-c', script, 'sh', process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  const unshare = process.getuid?.() === 0 ? ['-n', ...inner] : ['-rn', ...inner];
  const r = spawnSync('unshare', unshare, { stdio: 'inherit', env: { ...process.env, [ISOLATED_ENV]: '1' } });
  process.exit(r.status ?? 1);
}

function assertLoopbackOnly(): void {
  const names = Object.keys(networkInterfaces());
  if (names.some((n) => n !== 'lo')) throw new Error(`not in a loopback-only namespace: interfaces ${names.join(', ')}`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The live rig, started on first use and shared by the live scenarios. One runs at a time: asking
 * for the other recording mode stops it and starts a fresh one, so that an idle agent never
 * competes with the one measured.
 */
class SharedRig {
  private current: { options: LiveRigOptions; starting: Promise<LiveRig> } | undefined;

  async get(options: LiveRigOptions): Promise<LiveRig> {
    if (this.current && this.current.options.recording !== options.recording) await this.close();
    this.current ??= { options, starting: LiveRig.start(progress, options) };
    return this.current.starting;
  }

  /** Stops the rig if it was started (or is starting). Safe to call twice. */
  async close(): Promise<void> {
    const starting = this.current?.starting;
    this.current = undefined;
    await (await starting?.catch(() => undefined))?.close();
  }
}

/** Runs one scenario within its time limit; a failure marks each of its metrics failed with the reason. */
async function runScenario(name: ScenarioName, rig: SharedRig, minutes: number | undefined): Promise<ScenarioOutcome & { failed: boolean }> {
  const metrics = metricsOf(name);
  const scenario = IMPLEMENTED[name];
  if (!scenario) {
    progress(`${name}: not measurable yet (${metrics.join(', ')})`);
    return { metrics: Object.fromEntries(metrics.map((m) => [m, notMeasurable(m, specOf(m).missing ?? name)])), failed: false };
  }
  if (!scenario.live) await rig.close();
  progress(`${name}: start (${metrics.join(', ')})`);
  const started = Date.now();
  try {
    const ctx: ScenarioContext = { log: progress, live: (options) => rig.get(options), ...(minutes !== undefined ? { minutes } : {}) };
    const outcome = await withTimeout(scenario.run(ctx), scenario.timeoutMs, name);
    const summary = metrics.map((m) => `${m}=${outcome.metrics[m]?.value ?? '-'}`).join(' ');
    progress(`${name}: done in ${((Date.now() - started) / 1000).toFixed(0)} s: ${summary}`);
    return { ...outcome, failed: false };
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    progress(`${name}: FAILED after ${((Date.now() - started) / 1000).toFixed(0)} s: ${reason}`);
    // A failure may leave the shared rig in any state: the next live scenario starts afresh.
    await rig.close();
    return { metrics: Object.fromEntries(metrics.map((m) => [m, failed(m, reason)])), failed: true };
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (process.env[ISOLATED_ENV] !== '1') reexecIsolated(!args.noBuild);
  assertLoopbackOnly();
  const selected = args.only.length ? SCENARIOS.filter((s) => args.only.includes(s)) : [...SCENARIOS];
  const flags = [...(args.only.length ? [`--only ${args.only.join(',')}`] : []), ...(args.minutes !== undefined ? [`--minutes ${args.minutes}`] : [])];
  const command = `npm run bench${flags.length ? ` -- ${flags.join(' ')}` : ''}`;
  const { commit, dirty } = commitInfo();
  const results: Results = { machine: machineInfo(), commit, dirty, date: new Date().toISOString(), metrics: {}, details: {} };
  const otherWork = new OtherWork();
  progress(`wardlink bench: ${selected.join(', ')} (commit ${commit.slice(0, 12)}${dirty ? ', uncommitted changes' : ''})`);

  const rig = new SharedRig();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: stopping`);
      void rig.close().finally(() => process.exit(130));
    });
  }
  let failures = 0;
  for (const name of selected) {
    const outcome = await runScenario(name, rig, args.minutes);
    if (outcome.failed) failures++;
    for (const metric of metricsOf(name)) results.metrics[metric] = outcome.metrics[metric] ?? failed(metric, 'not reported');
    if (outcome.details !== undefined) results.details[name] = outcome.details;
  }
  await rig.close();

  results.metrics = ordered(results.metrics);
  results.machine.otherWorkCores = otherWork.cores();
  const final = args.only.length ? carryOver(results, readResults(args.out)) : results;
  writeResults(args.out, final, command);
  progress(`wrote ${join(args.out, 'results.json')} and RESULTS.md${failures ? ` (${failures} scenario(s) failed)` : ''}`);
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
