import type { LiveRig, LiveRigOptions } from '../live/LiveRig.ts';
import type { ScenarioOutcome } from '../lib/results.ts';

/** What every scenario gets from the harness. */
export interface ScenarioContext {
  /**
   * The shared live rig (display, broker, agent, Chromium) in this recording mode, started on first
   * use; asking for the other mode stops the running rig and starts a new one.
   */
  live(options: LiveRigOptions): Promise<LiveRig>;
  /** One progress line. */
  log(message: string): void;
  /** `--minutes`: shortens the long recording workload for development; undefined = full length. */
  minutes?: number;
}

/** Measures one group of metrics. Throwing marks all of its metrics as failed, with the reason. */
export type Scenario = (ctx: ScenarioContext) => Promise<ScenarioOutcome>;
