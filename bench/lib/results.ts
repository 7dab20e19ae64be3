import { CATALOGUE, type MetricName } from '../catalogue.ts';
import type { MachineInfo } from './machine.ts';
import { round, summarize } from './stats.ts';

/** One metric in results.json (the shape of issue 5, plus optional `min`, `max` and `note`). */
export interface MetricResult {
  /** The median over the runs; null when the metric could not be measured (`note` says why). */
  value: number | null;
  unit: string;
  p50?: number;
  p95?: number;
  /** Smallest and largest run: the spread around the median. */
  min?: number;
  max?: number;
  /** Number of repeated measurements behind `value`. */
  runs: number;
  target: string;
  /** What exactly was measured, its caveats, or why nothing was. */
  note?: string;
  /** Present only on a metric carried over from an earlier run (a `--only` run measured others). */
  measured?: { commit: string; date: string };
}

/** bench/results.json. */
export interface Results {
  machine: MachineInfo;
  commit: string;
  /** True when the work tree had uncommitted changes outside bench/: the figures belong to commit + those changes. */
  dirty: boolean;
  /** ISO 8601. */
  date: string;
  metrics: Partial<Record<MetricName, MetricResult>>;
  /** Per-scenario raw figures behind the metrics (per-run values, per-step capacity). */
  details: Record<string, unknown>;
}

/** What a scenario hands back. */
export interface ScenarioOutcome {
  metrics: Partial<Record<MetricName, MetricResult>>;
  details?: unknown;
}

/** A metric from repeated samples: value = median, with p50, p95, min and max. */
export function fromSamples(name: MetricName, samples: readonly number[], options: { digits?: number; note?: string } = {}): MetricResult {
  const spec = CATALOGUE[name];
  if (samples.length === 0) return failed(name, options.note ?? 'no samples');
  const s = summarize(samples);
  const d = options.digits ?? 1;
  return {
    value: round(s.p50, d),
    unit: spec.unit,
    p50: round(s.p50, d),
    p95: round(s.p95, d),
    min: round(s.min, d),
    max: round(s.max, d),
    runs: s.n,
    target: spec.target,
    ...(options.note ? { note: options.note } : {}),
  };
}

/** A metric whose feature does not exist yet: reported, never given a number. */
export function notMeasurable(name: MetricName, feature: string): MetricResult {
  const spec = CATALOGUE[name];
  return { value: null, unit: spec.unit, runs: 0, target: spec.target, note: `not measurable yet: ${feature} does not exist` };
}

/** A metric that does not apply to what the product does now: reported with the reason, never given a number. */
export function notApplicable(name: MetricName, reason: string): MetricResult {
  const spec = CATALOGUE[name];
  return { value: null, unit: spec.unit, runs: 0, target: spec.target, note: `not applicable: ${reason}` };
}

/** A metric whose scenario failed on this run. */
export function failed(name: MetricName, reason: string): MetricResult {
  const spec = CATALOGUE[name];
  return { value: null, unit: spec.unit, runs: 0, target: spec.target, note: `failed: ${reason}` };
}
