// broker.idle_agents and broker.rss_mb_per_1000_agents: one broker process holding simulated host
// agents (bench/sim/agents.ts, a separate process). N rises in steps until 10,000 or the first
// failure; at each step the agents stay connected through several heartbeats while the broker's
// memory and CPU are read from /proc.
import { createInterface } from 'node:readline';
import { startBroker, type TestBroker } from '../../test/support/broker.ts';
import { startProcess, tsxArgs, type Proc } from '../../test/support/processes.ts';
import type { BrokerStepRow } from '../lib/report.ts';
import { CpuWindow, fdLimit, openFds, rssMiB } from '../lib/proc.ts';
import { sleep } from '../lib/progress.ts';
import { fromSamples, type ScenarioOutcome } from '../lib/results.ts';
import { round, summarize } from '../lib/stats.ts';
import type { Scenario } from './types.ts';

/** Agents online at each step; the last is the goal of issue 5. */
const STEPS = [1_000, 2_500, 5_000, 10_000];
/** Milliseconds each step is held: more than two of the broker's 10 s heartbeat intervals. */
const HOLD_MS = 25_000;
/** Milliseconds between RSS samples during a hold. */
const SAMPLE_MS = 1_000;
/** Milliseconds one step (enrollment + connects) may take; slower counts as the step failing. */
const STEP_BUDGET_MS = 240_000;
/** Heap for the simulator: 10,000 TLS clients in one process. */
const SIMULATOR_HEAP_MB = 4_096;

type SimReply =
  | { type: 'ready' }
  | { type: 'grown'; connected: number; enrollSeconds: number; connectSeconds: number }
  | { type: 'failed'; connected: number; disconnects?: number; lastDisconnect?: string; reason: string }
  | { type: 'status'; connected: number; disconnects: number; lastDisconnect: string; rssMiB: number };

/** The simulator process and its line protocol (see sim/agents.ts). */
class Simulator {
  private readonly replies: SimReply[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(readonly proc: Proc) {
    createInterface({ input: proc.child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      this.replies.push(JSON.parse(line) as SimReply);
      this.waiters.forEach((wake) => wake());
    });
  }

  /** Starts the simulator against `broker` and waits until it is ready. */
  static async start(broker: TestBroker): Promise<Simulator> {
    const args = ['--url', `https://127.0.0.1:${broker.port}`, '--ca', broker.caFile, '--data-dir', broker.dataDir];
    const sim = new Simulator(startProcess(process.execPath, [`--max-old-space-size=${SIMULATOR_HEAP_MB}`, ...tsxArgs('bench/sim/agents.ts', args)]));
    if ((await sim.next(60_000)).type !== 'ready') throw new Error('the simulator did not start');
    return sim;
  }

  get pid(): number {
    return this.proc.child.pid!;
  }

  send(message: object): void {
    this.proc.child.stdin!.write(`${JSON.stringify(message)}\n`);
  }

  /** The next reply, or a rejection after `timeoutMs`. */
  next(timeoutMs: number): Promise<SimReply> {
    return new Promise((resolve, reject) => {
      const take = (): void => {
        const reply = this.replies.shift();
        if (!reply) return;
        clearTimeout(timer);
        this.waiters.delete(take);
        resolve(reply);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(take);
        const said = this.proc.output().split('\n').filter((l) => l.trim() && !l.startsWith('{')).slice(-5).join('\n');
        reject(new Error(`the simulator did not answer within ${timeoutMs / 1000} s${said ? `: ${said}` : ''}`));
      }, timeoutMs);
      this.waiters.add(take);
      take();
    });
  }

  /** Disconnects every agent and ends the process. */
  async stop(): Promise<void> {
    if (this.proc.child.exitCode === null) this.send({ cmd: 'quit' });
    await Promise.race([new Promise((r) => this.proc.child.once('exit', r)), sleep(10_000)]);
    await this.proc.stop();
  }
}

/** Grows to `target` agents and holds them; a row when the step passed, else why it failed. */
async function step(
  sim: Simulator,
  brokerPid: number,
  target: number,
  previous: number,
  log: (m: string) => void,
): Promise<BrokerStepRow | string> {
  const connecting = new CpuWindow([brokerPid, sim.pid]);
  sim.send({ cmd: 'grow', to: target, budgetMs: STEP_BUDGET_MS });
  const grown = await sim.next(STEP_BUDGET_MS + 60_000);
  if (grown.type === 'failed') {
    const dropped = grown.disconnects ? `, ${grown.disconnects} had been dropped (last: ${grown.lastDisconnect})` : '';
    return `at ${target} agents: ${grown.reason}${dropped}`;
  }
  if (grown.type !== 'grown') throw new Error(`unexpected simulator reply ${grown.type}`);
  const cpu = connecting.read();
  // Percent of a core x seconds x 10 = CPU milliseconds.
  const brokerCpuMs = cpu.get(brokerPid)! * connecting.seconds() * 10;
  log(
    `broker: ${target} agents online (enrolled in ${grown.enrollSeconds.toFixed(1)} s, connected in ` +
      `${grown.connectSeconds.toFixed(1)} s; CPU broker ${cpu.get(brokerPid)!.toFixed(0)}%, ` +
      `simulator ${cpu.get(sim.pid)!.toFixed(0)}%); holding ${HOLD_MS / 1000} s`,
  );

  const holding = new CpuWindow([brokerPid]);
  const rss: number[] = [];
  for (const end = Date.now() + HOLD_MS; Date.now() < end; ) {
    await sleep(SAMPLE_MS);
    rss.push(rssMiB(brokerPid) ?? NaN);
  }
  const holdCpu = holding.read().get(brokerPid)!;
  sim.send({ cmd: 'status' });
  const status = await sim.next(10_000);
  if (status.type !== 'status') throw new Error(`unexpected simulator reply ${status.type}`);
  if (status.disconnects > 0 || status.connected !== target) {
    return `at ${target} agents: ${status.disconnects} disconnected during the hold (${status.lastDisconnect}), ${status.connected} still online`;
  }
  const row: BrokerStepRow = {
    agents: target,
    brokerRssMiB: round(summarize(rss.filter(Number.isFinite)).p50),
    brokerCpuPct: round(holdCpu),
    connectSeconds: round(grown.connectSeconds),
    agentsPerSecond: round((target - previous) / grown.connectSeconds),
    brokerCpuMsPerNewAgent: round(brokerCpuMs / (target - previous), 2),
    simulatorRssMiB: round(status.rssMiB),
  };
  log(`broker: ${target} agents held: RSS ${row.brokerRssMiB} MiB, CPU ${row.brokerCpuPct}%, ${openFds(brokerPid)} open fds`);
  return row;
}

export const brokerScenario: Scenario = async (ctx) => {
  const broker = await startBroker();
  const brokerPid = broker.proc.child.pid!;
  const steps: BrokerStepRow[] = [];
  let stopped = '';
  let baseline = 0;
  try {
    const sim = await Simulator.start(broker);
    try {
      await sleep(2_000);
      baseline = rssMiB(brokerPid)!;
      ctx.log(`broker: idle broker RSS ${baseline.toFixed(1)} MiB`);
      for (const target of STEPS) {
        const result = await step(sim, brokerPid, target, steps.at(-1)?.agents ?? 0, ctx.log);
        if (typeof result === 'string') {
          stopped = result;
          break;
        }
        steps.push(result);
      }
    } finally {
      await sim.stop();
    }
  } finally {
    await broker.stop();
  }
  return outcome(steps, baseline, stopped);
};

function outcome(steps: BrokerStepRow[], baseline: number, stopped: string): ScenarioOutcome {
  const held = steps.at(-1)?.agents ?? 0;
  const perThousand = steps.map((s) => (s.brokerRssMiB - baseline) / (s.agents / 1000));
  const reached = held >= STEPS.at(-1)! ? `reached the goal of ${held} (not pushed further)` : `stopped ${stopped}`;
  return {
    metrics: {
      'broker.idle_agents': {
        value: held,
        unit: 'agents',
        runs: steps.length,
        target: '10,000',
        note:
          `simulated agents (separate process, real socket.io clients with device-key auth, heartbeat every 10 s) held ` +
          `for ${HOLD_MS / 1000} s without a disconnect at each step of ${STEPS.join(', ')}; ${reached}`,
      },
      'broker.rss_mb_per_1000_agents': fromSamples('broker.rss_mb_per_1000_agents', perThousand, {
        digits: 2,
        note:
          `(broker RSS at the step - RSS with no agent, ${round(baseline)} MiB) / thousands of agents, one value per step ` +
          `(${steps.map((s) => `${s.agents}: ${s.brokerRssMiB} MiB`).join(', ')})`,
      }),
    },
    details: { baselineRssMiB: round(baseline), openFilesLimit: fdLimit(), steps, ...(stopped ? { stopped } : {}) },
  };
}
