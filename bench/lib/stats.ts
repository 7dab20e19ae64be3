/** Summary of repeated measurements: the median and the spread around it. */
export interface Summary {
  /** Number of samples. */
  n: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
}

/**
 * The q-quantile (0..1) of sorted samples, interpolating linearly between the two nearest ranks
 * (the "R-7" rule of spreadsheets and numpy), so that small sample sets give stable values.
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('no samples');
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Median, 95th percentile, minimum and maximum of `samples` (at least one). */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

/** Rounds to `digits` decimals (for reports; raw samples stay unrounded until then). */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
