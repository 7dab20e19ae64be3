// CPU time and memory of processes, read from /proc (Linux).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of utime/stime in /proc/<pid>/stat. */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** Fields of /proc/<pid>/stat we use. */
interface Stat {
  comm: string;
  ppid: number;
  /** Seconds of user + system CPU time of all threads. */
  cpuSeconds: number;
  /** Seconds of user + system CPU time of its children that have exited and were waited for. */
  childrenCpuSeconds: number;
}

function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm is in parentheses and may contain spaces: split after the last ')'.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  return {
    comm,
    ppid: Number(fields[1]),
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
    childrenCpuSeconds: (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS,
  };
}

/** Seconds of CPU time `pid` has used so far; undefined when it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  return readStat(pid)?.cpuSeconds;
}

function allProcesses(): Array<Stat & { pid: number }> {
  const out: Array<Stat & { pid: number }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) out.push({ pid: Number(entry), ...stat });
  }
  return out;
}

/** Direct children of `pid` (pid and command name). */
export function childrenOf(pid: number): Array<{ pid: number; comm: string }> {
  return allProcesses()
    .filter((p) => p.ppid === pid)
    .map((p) => ({ pid: p.pid, comm: p.comm }));
}

/**
 * Seconds of CPU used so far by `root` and all its descendants, living or exited (an exited
 * process's time is in its parent's children time once it was waited for).
 */
export function treeCpuSeconds(root: number): number {
  const processes = allProcesses();
  const inTree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of processes) {
      if (!inTree.has(p.pid) && inTree.has(p.ppid)) {
        inTree.add(p.pid);
        grew = true;
      }
    }
  }
  return processes.filter((p) => inTree.has(p.pid)).reduce((sum, p) => sum + p.cpuSeconds + p.childrenCpuSeconds, 0);
}

/** Seconds of CPU the whole machine has been busy (all cores; /proc/stat, idle and iowait excluded). */
export function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS;
}

/** Resident set size of `pid` in MiB (VmRSS); undefined when it is gone. */
export function rssMiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Number of open file descriptors of `pid`. */
export function openFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

/** This process's soft limit of open files (inherited by the processes it starts). */
export function fdLimit(): number {
  const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return match ? Number(match[1]) : NaN;
}

/** CPU use of a fixed set of processes over a window, one core = 100. */
export class CpuWindow {
  private readonly startedAt = performance.now();
  private readonly start: Map<number, number>;

  constructor(private readonly pids: readonly number[]) {
    this.start = new Map(pids.map((pid) => [pid, cpuSeconds(pid) ?? NaN]));
  }

  /** Seconds since the window opened. */
  seconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  /** Percent of one core per process over the window so far; NaN for a process that vanished. */
  read(): Map<number, number> {
    const seconds = this.seconds();
    return new Map(this.pids.map((pid) => [pid, (((cpuSeconds(pid) ?? NaN) - this.start.get(pid)!) / seconds) * 100]));
  }
}

/** The command line of `pid` as its arguments; empty when it is gone. */
export function argsOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * CPU use of a process and everything it starts over a window, one core = 100: children that
 * come and go (the recorder starts an encoder per key frame) count as well, living ones from
 * /proc and exited ones through the parent's children time once it has reaped them.
 */
export class TreeCpuWindow {
  private readonly startedAt = performance.now();
  private readonly start: number;

  constructor(private readonly root: number) {
    this.start = treeCpuSeconds(root);
  }

  /** Percent of one core used by the tree since the window opened. */
  read(): number {
    return ((treeCpuSeconds(this.root) - this.start) / ((performance.now() - this.startedAt) / 1000)) * 100;
  }
}
