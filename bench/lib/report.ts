// Writes bench/results.json and the readable bench/RESULTS.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUE, PEER, type MetricName } from '../catalogue.ts';
import type { MetricResult, Results } from './results.ts';

/** Reads an earlier results.json in `dir`, if there is a readable one. */
export function readResults(dir: string): Results | undefined {
  const path = join(dir, 'results.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Results;
  } catch {
    return undefined;
  }
}

/**
 * Adds the metrics of `earlier` that this run did not measure (a `--only` run), each marked with
 * the commit and date it was measured at.
 */
export function carryOver(current: Results, earlier: Results | undefined): Results {
  if (!earlier) return current;
  const metrics = { ...current.metrics };
  for (const [name, metric] of Object.entries(earlier.metrics) as Array<[MetricName, MetricResult]>) {
    if (!(name in CATALOGUE) || metrics[name]) continue;
    metrics[name] = { ...metric, measured: metric.measured ?? { commit: earlier.commit, date: earlier.date } };
  }
  return { ...current, metrics: ordered(metrics), details: { ...earlier.details, ...current.details } };
}

/** Metrics in catalogue order. */
export function ordered(metrics: Results['metrics']): Results['metrics'] {
  const out: Results['metrics'] = {};
  for (const name of Object.keys(CATALOGUE) as MetricName[]) if (metrics[name]) out[name] = metrics[name];
  return out;
}

/** Writes results.json and RESULTS.md into `dir`. */
export function writeResults(dir: string, results: Results, command: string): void {
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, 'RESULTS.md'), markdown(results, command));
}

/** Cores of other work above which RESULTS.md warns that the figures are pessimistic. */
const OTHER_WORK_WARNING = 0.25;

const cell = (v: number | undefined): string => (v === undefined ? '' : String(v));

/** The figures as a Markdown table with a header naming machine, date and commit. */
export function markdown(results: Results, command: string): string {
  const m = results.machine;
  const lines = [
    '# wardlink benchmark results',
    '',
    `Measured ${results.date} at commit \`${results.commit.slice(0, 12)}\`${results.dirty ? ' (with uncommitted changes)' : ''} ` +
      `by \`${command}\`.`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}, Chromium ${m.chromium}, ffmpeg ${m.ffmpeg}.`,
    `Other work on the machine: 1-minute load average ${m.load1mAtStart} before the run; processes outside the harness kept ` +
      `${m.otherWorkCores ?? '?'} of the ${m.cores} cores busy on average during it` +
      ((m.otherWorkCores ?? 0) >= OTHER_WORK_WARNING ? ' (they competed for the CPU: the figures are pessimistic).' : '.'),
    `All traffic on loopback inside a private network namespace. Targets are goals from issue 5, never test assertions; ` +
      `the reference peer is ${PEER} measured on the same kind of machine. Spread: p95 and min-max over the runs.`,
    '',
    '| metric | value | unit | p50 / p95 | min - max | runs | target |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  const notes: string[] = [];
  for (const [name, r] of Object.entries(results.metrics) as Array<[MetricName, MetricResult]>) {
    const value = r.value === null ? nullReason(r.note) : String(r.value);
    const pct = r.p50 !== undefined ? `${cell(r.p50)} / ${cell(r.p95)}` : '';
    const range = r.min !== undefined ? `${cell(r.min)} - ${cell(r.max)}` : '';
    lines.push(`| \`${name}\` | ${value} | ${r.unit} | ${pct} | ${range} | ${r.runs} | ${r.target} |`);
    const carried = r.measured ? ` (carried over from ${r.measured.date}, commit \`${r.measured.commit.slice(0, 12)}\`)` : '';
    if (r.note || carried) notes.push(`- \`${name}\`: ${r.note ?? ''}${carried}`);
  }
  lines.push('', '## Notes', '', ...notes, '');
  const broker = results.details['broker'] as { steps?: BrokerStepRow[]; stopped?: string } | undefined;
  if (broker?.steps?.length) {
    lines.push(
      '## Broker capacity steps',
      '',
      '| agents online | broker RSS MiB | broker CPU % while holding | connect time s | agents/s | broker CPU ms per new agent | simulator RSS MiB |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...broker.steps.map(
        (s) =>
          `| ${s.agents} | ${s.brokerRssMiB} | ${s.brokerCpuPct} | ${s.connectSeconds} | ${s.agentsPerSecond} | ` +
          `${s.brokerCpuMsPerNewAgent} | ${s.simulatorRssMiB} |`,
      ),
      '',
      broker.stopped ? `Stopped: ${broker.stopped}` : '',
      '',
    );
  }
  return lines.join('\n');
}

/** One row of the broker capacity detail (see scenarios/broker.ts). */
export interface BrokerStepRow {
  agents: number;
  brokerRssMiB: number;
  brokerCpuPct: number;
  connectSeconds: number;
  agentsPerSecond: number;
  /** Broker CPU milliseconds per agent added (enrollment + connect). */
  brokerCpuMsPerNewAgent: number;
  simulatorRssMiB: number;
}

/** What the table shows for a metric without a number. */
function nullReason(note: string | undefined): string {
  if (note?.startsWith('failed')) return 'failed';
  if (note?.startsWith('not applicable')) return 'not applicable';
  return 'not measurable yet';
}
