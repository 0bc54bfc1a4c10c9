/**
 * Single-table quality measures as SDMetrics defines them (sdmetrics.reports.single_table.
 * QualityReport): column shapes (KSComplement for numbers, TVComplement for categories), column
 * pair trends (CorrelationSimilarity for two numbers, ContingencySimilarity otherwise, numbers cut
 * into 10 equal-width bins over the real range), overall = mean of the two property scores; and
 * BoundaryAdherence / CategoryAdherence. Missing values are dropped for the numeric measures and
 * are a category of their own otherwise.
 */

/** One column as the measures see it: numbers (NaN = missing) or category labels. */
export type MetricColumn = { kind: "numeric"; values: Float64Array } | { kind: "categorical"; values: string[] };

/** 1 - the two-sample Kolmogorov-Smirnov statistic (missing values dropped). */
export function ksComplement(real: ArrayLike<number>, synthetic: ArrayLike<number>): number {
  const a = sortedFinite(real);
  const b = sortedFinite(synthetic);
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 1 : 0;
  let i = 0;
  let j = 0;
  let statistic = 0;
  while (i < a.length && j < b.length) {
    const value = Math.min(a[i]!, b[j]!);
    while (i < a.length && a[i]! <= value) i++;
    while (j < b.length && b[j]! <= value) j++;
    statistic = Math.max(statistic, Math.abs(i / a.length - j / b.length));
  }
  return 1 - statistic;
}

function sortedFinite(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let index = 0; index < values.length; index++) if (Number.isFinite(values[index]!)) out.push(values[index]!);
  return Float64Array.from(out).sort();
}

function frequencies(values: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const value of values) out.set(value, (out.get(value) ?? 0) + 1);
  return out;
}

/** 1 - the total variation distance between the two category frequency distributions. */
export function tvComplement(real: readonly string[], synthetic: readonly string[]): number {
  const p = frequencies(real);
  const q = frequencies(synthetic);
  let distance = 0;
  for (const key of new Set([...p.keys(), ...q.keys()])) {
    distance += Math.abs((p.get(key) ?? 0) / real.length - (q.get(key) ?? 0) / synthetic.length);
  }
  return 1 - distance / 2;
}

/** Pearson's correlation over the rows where both values are present (NaN when undefined). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let n = 0;
  let sumX = 0;
  let sumY = 0;
  for (let index = 0; index < x.length; index++) {
    if (!Number.isFinite(x[index]!) || !Number.isFinite(y[index]!)) continue;
    n++;
    sumX += x[index]!;
    sumY += y[index]!;
  }
  if (n < 2) return NaN;
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let index = 0; index < x.length; index++) {
    if (!Number.isFinite(x[index]!) || !Number.isFinite(y[index]!)) continue;
    const dx = x[index]! - meanX;
    const dy = y[index]! - meanY;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/** 1 - |r_real - r_synthetic| / 2 (NaN when a correlation is undefined, e.g. a constant column). */
export function correlationSimilarity(
  realX: ArrayLike<number>,
  realY: ArrayLike<number>,
  syntheticX: ArrayLike<number>,
  syntheticY: ArrayLike<number>,
): number {
  return 1 - Math.abs(pearson(realX, realY) - pearson(syntheticX, syntheticY)) / 2;
}

/**
 * Cuts numbers into `bins` equal-width bins over the real values' range, the outer edges opened
 * to infinity (numpy's histogram_bin_edges then digitize, as SDMetrics does); missing values get
 * a label of their own.
 */
export function discretize(real: ArrayLike<number>, synthetic: ArrayLike<number>, bins = 10): [string[], string[]] {
  let min = Infinity;
  let max = -Infinity;
  for (let index = 0; index < real.length; index++) {
    const value = real[index]!;
    if (!Number.isFinite(value)) continue;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  if (min === Infinity) [min, max] = [0, 1];
  if (min === max) [min, max] = [min - 0.5, max + 0.5];
  const width = (max - min) / bins;
  const label = (value: number) => {
    if (!Number.isFinite(value)) return "missing";
    const bin = Math.floor((value - min) / width);
    return String(Math.min(bins - 1, Math.max(0, bin)));
  };
  return [Array.from(real, label), Array.from(synthetic, label)];
}

/** 1 - the total variation distance between the two-way frequency tables of a pair of columns. */
export function contingencySimilarity(
  realA: readonly string[],
  realB: readonly string[],
  syntheticA: readonly string[],
  syntheticB: readonly string[],
): number {
  const pair = (a: readonly string[], b: readonly string[]) => a.map((value, index) => `${value}\u0000${b[index]}`);
  return tvComplement(pair(realA, realB), pair(syntheticA, syntheticB));
}

/** Share of synthetic numbers inside the real minimum and maximum (missing values ignored). */
export function boundaryAdherence(real: ArrayLike<number>, synthetic: ArrayLike<number>): number {
  const sorted = sortedFinite(real);
  const values = sortedFinite(synthetic);
  if (sorted.length === 0 || values.length === 0) return 1;
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  let inside = 0;
  for (const value of values) if (value >= min && value <= max) inside++;
  return inside / values.length;
}

/** Share of synthetic categories that occur in the real column. */
export function categoryAdherence(real: readonly string[], synthetic: readonly string[]): number {
  const seen = new Set(real);
  let inside = 0;
  for (const value of synthetic) if (seen.has(value)) inside++;
  return synthetic.length === 0 ? 1 : inside / synthetic.length;
}

/** Per-column and per-pair scores and the overall score. */
export interface QualityScores {
  columnShapes: { column: string; metric: "KSComplement" | "TVComplement"; score: number }[];
  pairTrends: {
    columns: [string, string];
    metric: "CorrelationSimilarity" | "ContingencySimilarity";
    score: number;
    real?: number;
    synthetic?: number;
  }[];
  adherence: { column: string; metric: "BoundaryAdherence" | "CategoryAdherence"; score: number }[];
  columnShapesScore: number;
  pairTrendsScore: number;
  overall: number;
}

function mean(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value));
  return finite.length === 0 ? NaN : finite.reduce((sum, value) => sum + value, 0) / finite.length;
}

/** Computes the quality scores of `synthetic` against `real`; both map column names to columns. */
export function qualityScores(
  names: readonly string[],
  real: readonly MetricColumn[],
  synthetic: readonly MetricColumn[],
): QualityScores {
  const columnShapes: QualityScores["columnShapes"] = [];
  const adherence: QualityScores["adherence"] = [];
  names.forEach((column, index) => {
    const r = real[index]!;
    const s = synthetic[index]!;
    if (r.kind === "numeric" && s.kind === "numeric") {
      columnShapes.push({ column, metric: "KSComplement", score: ksComplement(r.values, s.values) });
      adherence.push({ column, metric: "BoundaryAdherence", score: boundaryAdherence(r.values, s.values) });
    } else if (r.kind === "categorical" && s.kind === "categorical") {
      columnShapes.push({ column, metric: "TVComplement", score: tvComplement(r.values, s.values) });
      adherence.push({ column, metric: "CategoryAdherence", score: categoryAdherence(r.values, s.values) });
    }
  });
  const labels = (rc: MetricColumn, sc: MetricColumn): [string[], string[]] =>
    rc.kind === "numeric" && sc.kind === "numeric"
      ? discretize(rc.values, sc.values)
      : [rc.values as string[], sc.values as string[]];
  const binned = names.map((_, index) => labels(real[index]!, synthetic[index]!));
  const pairTrends: QualityScores["pairTrends"] = [];
  for (let a = 0; a < names.length; a++) {
    for (let b = a + 1; b < names.length; b++) {
      const ra = real[a]!;
      const rb = real[b]!;
      const sa = synthetic[a]!;
      const sb = synthetic[b]!;
      const columns: [string, string] = [names[a]!, names[b]!];
      if (ra.kind === "numeric" && rb.kind === "numeric" && sa.kind === "numeric" && sb.kind === "numeric") {
        const realCorrelation = pearson(ra.values, rb.values);
        const syntheticCorrelation = pearson(sa.values, sb.values);
        const score = 1 - Math.abs(realCorrelation - syntheticCorrelation) / 2;
        pairTrends.push({
          columns,
          metric: "CorrelationSimilarity",
          score,
          real: realCorrelation,
          synthetic: syntheticCorrelation,
        });
      } else {
        const [realA, syntheticA] = binned[a]!;
        const [realB, syntheticB] = binned[b]!;
        pairTrends.push({
          columns,
          metric: "ContingencySimilarity",
          score: contingencySimilarity(realA, realB, syntheticA, syntheticB),
        });
      }
    }
  }
  const columnShapesScore = mean(columnShapes.map((entry) => entry.score));
  const pairTrendsScore = mean(pairTrends.map((entry) => entry.score));
  const overall = mean([columnShapesScore, pairTrendsScore]);
  return { columnShapes, pairTrends, adherence, columnShapesScore, pairTrendsScore, overall };
}
