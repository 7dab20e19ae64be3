// What the figures were measured on: machine, software versions and the commit.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { ROOT } from '../../test/support/processes.ts';
import { machineBusySeconds, treeCpuSeconds } from './proc.ts';

/** The machine section of results.json. */
export interface MachineInfo {
  cpuModel: string;
  /** Logical CPUs. */
  cores: number;
  /** GiB of RAM. */
  memoryGiB: number;
  os: string;
  node: string;
  chromium: string;
  ffmpeg: string;
  /** One-minute load average when the run started (before the harness started anything). */
  load1mAtStart: number;
  /**
   * Cores that processes outside the harness kept busy, on average over the run (machine busy time
   * from /proc/stat minus the harness's own process tree). Well above zero, other work competed
   * for the CPU and the figures are pessimistic.
   */
  otherWorkCores?: number;
}

function firstLine(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0]!.trim();
  } catch {
    return 'unknown';
  }
}

/** Describes this machine. */
export function machineInfo(): MachineInfo {
  const chromium = firstLine(process.env['CHROMIUM_PATH'] ?? 'chromium', ['--version']);
  const ffmpeg = firstLine('ffmpeg', ['-version']);
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${release()}`,
    node: process.version,
    chromium: /[\d.]{5,}/.exec(chromium)?.[0] ?? chromium,
    ffmpeg: /version (\S+)/.exec(ffmpeg)?.[1] ?? ffmpeg,
    load1mAtStart: Math.round(loadavg()[0]! * 100) / 100,
  };
}

/** Measures how much CPU other processes on the machine use while the harness runs. */
export class OtherWork {
  private readonly startedAt = performance.now();
  private readonly machine0 = machineBusySeconds();
  private readonly own0 = treeCpuSeconds(process.pid);

  /** Average number of cores busy with work outside this process tree since construction. */
  cores(): number {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const other = machineBusySeconds() - this.machine0 - (treeCpuSeconds(process.pid) - this.own0);
    return Math.max(0, Math.round((other / seconds) * 100) / 100);
  }
}

/**
 * `git rev-parse HEAD`, and whether the work tree differs from it outside `bench/` (then
 * uncommitted product code was measured).
 */
export function commitInfo(): { commit: string; dirty: boolean } {
  const commit = firstLine('git', ['-C', ROOT, 'rev-parse', 'HEAD']);
  let dirty = false;
  try {
    dirty = execFileSync('git', ['-C', ROOT, 'status', '--porcelain', '--', '.', ':!bench'], {
      encoding: 'utf8',
    }).trim().length > 0;
  } catch {
    // Not a git checkout: the commit says 'unknown' already.
  }
  return { commit, dirty };
}
