import { createRandom } from "../../util/random.js";
import type { MetricColumn } from "./quality.js";

/**
 * Empirical privacy measures of a synthetic table (they describe one copy; the guarantee is the
 * epsilon): the distance to the closest real record (DCR) against that of uniformly random rows,
 * the share of synthetic rows that copy a real row, and with a holdout table the share of
 * synthetic rows closer to the training rows than to the holdout rows.
 *
 * The distance between two rows is the mean over columns of: for numbers |x - y| / (real range),
 * capped at 1; for categories 0 when equal, else 1; missing against missing 0, against a value 1
 * (SDMetrics' DCR definition).
 */

/** Rows in a flat matrix ready for distances: numbers pre-divided by the real range, categories as codes. */
interface DistanceMatrix {
  rows: number;
  width: number;
  values: Float64Array;
}

/** The per-column settings shared by every table compared: kinds, ranges and category codes. */
export class DistanceSpace {
  private readonly ranges: number[];
  private readonly minimums: number[];
  private readonly codes: Map<string, number>[];
  private readonly numeric: boolean[];

  /** Builds the space from the real table's columns (ranges come from the real values). */
  constructor(real: readonly MetricColumn[]) {
    this.numeric = real.map((column) => column.kind === "numeric");
    this.minimums = real.map((column) => (column.kind === "numeric" ? finiteMin(column.values) : 0));
    this.ranges = real.map((column) => {
      if (column.kind !== "numeric") return 1;
      const range = finiteMax(column.values) - finiteMin(column.values);
      return Number.isFinite(range) && range > 0 ? range : 0;
    });
    this.codes = real.map(() => new Map<string, number>());
  }

  /** The columns' kinds, minimums and ranges, and the categories seen so far (for random rows). */
  describe(): { numeric: boolean; minimum: number; range: number; categories: string[] }[] {
    return this.numeric.map((numeric, column) => ({
      numeric,
      minimum: this.minimums[column]!,
      range: this.ranges[column]!,
      categories: [...this.codes[column]!.keys()],
    }));
  }

  /** Puts a table's rows (optionally only the listed ones) into the space. */
  matrix(columns: readonly MetricColumn[], rowIndices?: readonly number[]): DistanceMatrix {
    const width = columns.length;
    const total = columns[0] ? columns[0].values.length : 0;
    const indices = rowIndices ?? Array.from({ length: total }, (_, index) => index);
    const values = new Float64Array(indices.length * width);
    columns.forEach((column, c) => {
      const range = this.ranges[c]!;
      const codes = this.codes[c]!;
      indices.forEach((row, index) => {
        let value: number;
        if (column.kind === "numeric" && this.numeric[c] && range > 0) value = column.values[row]! / range;
        else {
          const key = column.kind === "numeric" ? String(column.values[row]) : column.values[row]!;
          let code = codes.get(key);
          if (code === undefined) codes.set(key, (code = codes.size));
          value = code;
        }
        values[index * width + c] = value;
      });
    });
    return { rows: indices.length, width, values };
  }

  /** For each query row, the distance to the closest reference row. */
  closestDistances(queries: DistanceMatrix, reference: DistanceMatrix): Float64Array {
    const width = queries.width;
    const continuous = this.numeric.map((numeric, c) => numeric && this.ranges[c]! > 0);
    const out = new Float64Array(queries.rows);
    const q = queries.values;
    const r = reference.values;
    for (let i = 0; i < queries.rows; i++) {
      let best = Infinity;
      const qi = i * width;
      for (let j = 0; j < reference.rows && best > 0; j++) {
        const rj = j * width;
        let sum = 0;
        for (let c = 0; c < width && sum < best; c++) {
          const a = q[qi + c]!;
          const b = r[rj + c]!;
          if (continuous[c]) {
            const aMissing = Number.isNaN(a);
            const bMissing = Number.isNaN(b);
            sum += aMissing || bMissing ? (aMissing && bMissing ? 0 : 1) : Math.min(1, Math.abs(a - b));
          } else if (a !== b) sum += 1;
        }
        if (sum < best) best = sum;
      }
      out[i] = best / width;
    }
    return out;
  }
}

function finiteMin(values: Float64Array): number {
  let min = Infinity;
  for (const value of values) if (Number.isFinite(value) && value < min) min = value;
  return min;
}

function finiteMax(values: Float64Array): number {
  let max = -Infinity;
  for (const value of values) if (Number.isFinite(value) && value > max) max = value;
  return max;
}

/** The median of a list (mean of the two middle values for an even count). */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `count` distinct row indices out of `total`, seeded (all of them when count >= total). */
export function sampleIndices(total: number, count: number, seed: number): number[] {
  const indices = Array.from({ length: total }, (_, index) => index);
  if (count >= total) return indices;
  const random = createRandom(seed);
  for (let index = 0; index < count; index++) {
    const other = index + Math.floor(random() * (total - index));
    [indices[index], indices[other]] = [indices[other]!, indices[index]!];
  }
  return indices.slice(0, count).sort((a, b) => a - b);
}

/** Uniformly random rows over the real table's domain: numbers in [min, max], categories uniformly. */
export function randomColumns(real: readonly MetricColumn[], rows: number, seed: number): MetricColumn[] {
  const random = createRandom(seed);
  return real.map((column) => {
    if (column.kind === "numeric") {
      const min = finiteMin(column.values);
      const max = finiteMax(column.values);
      const values = new Float64Array(rows);
      for (let row = 0; row < rows; row++) values[row] = Number.isFinite(min) ? min + random() * (max - min) : NaN;
      return { kind: "numeric", values };
    }
    const categories = [...new Set(column.values)];
    return {
      kind: "categorical",
      values: Array.from({ length: rows }, () => categories[Math.floor(random() * categories.length)]!),
    };
  });
}

/** Share of the `synthetic` row keys that also occur among the `real` row keys. */
export function copyShare(realKeys: readonly string[], syntheticKeys: readonly string[]): number {
  const seen = new Set(realKeys);
  let copies = 0;
  for (const key of syntheticKeys) if (seen.has(key)) copies++;
  return syntheticKeys.length === 0 ? 0 : copies / syntheticKeys.length;
}

/**
 * Share of synthetic rows closer to the training rows than to the holdout rows (ties count half).
 * With training and holdout of the same size, a copy that learnt the population and not the
 * training rows scores about 0.5; 1 means every synthetic row sits next to a training row.
 */
export function closerToTrainingShare(toTraining: Float64Array, toHoldout: Float64Array): number {
  let share = 0;
  for (let index = 0; index < toTraining.length; index++) {
    if (toTraining[index]! < toHoldout[index]!) share += 1;
    else if (toTraining[index] === toHoldout[index]) share += 0.5;
  }
  return toTraining.length === 0 ? NaN : share / toTraining.length;
}

/** The privacy figures of a synthetic table. */
export interface PrivacyFigures {
  /** Median DCR of synthetic rows to the real table. */
  syntheticMedianDcr: number;
  /** Median DCR of uniformly random rows to the real table. */
  randomMedianDcr: number;
  /** syntheticMedianDcr / randomMedianDcr. */
  dcrRatio: number;
  /** SDMetrics' DCRBaselineProtection score: min(1, ratio). */
  dcrBaselineProtection: number;
  /** Share of synthetic rows equal to some real row, value for value. */
  copyShareRaw: number;
  /** The same in the binned domain of the schema (numbers by bin). */
  copyShareBinned: number;
  /** With a holdout: share of synthetic rows closer to (an equal-size sample of) training than to holdout. */
  closerToTraining?: number;
  /** With a holdout: median DCR of holdout rows to the real (training) table, the yardstick of a fresh real patient. */
  holdoutMedianDcr?: number;
  /** With a holdout: share of holdout rows equal to a training row, value for value. */
  holdoutCopyShareRaw?: number;
  /** How many synthetic rows the distance figures sampled. */
  sampledRows: number;
}

/** Options of {@link privacyFigures}. */
export interface PrivacyFigureInputs {
  real: readonly MetricColumn[];
  synthetic: readonly MetricColumn[];
  holdout?: readonly MetricColumn[];
  /** Row keys (raw values joined) for the copy shares. */
  realKeys: readonly string[];
  syntheticKeys: readonly string[];
  realBinnedKeys: readonly string[];
  syntheticBinnedKeys: readonly string[];
  holdoutKeys?: readonly string[];
  /** Synthetic rows sampled for the distance figures (default 2000). */
  sampleRows?: number;
  seed?: number;
}

/** Computes the privacy figures (see {@link PrivacyFigures}). */
export function privacyFigures(inputs: PrivacyFigureInputs): PrivacyFigures {
  const seed = inputs.seed ?? 0;
  const sample = inputs.sampleRows ?? 2000;
  const space = new DistanceSpace(inputs.real);
  const realMatrix = space.matrix(inputs.real, uniqueRows(inputs.realKeys));
  const syntheticRows = inputs.synthetic[0]?.values.length ?? 0;
  const syntheticMatrix = space.matrix(inputs.synthetic, sampleIndices(syntheticRows, sample, seed + 1));
  const syntheticDcr = space.closestDistances(syntheticMatrix, realMatrix);
  const random = randomColumns(inputs.real, Math.min(sample, syntheticRows || sample), seed + 2);
  const randomDcr = space.closestDistances(space.matrix(random), realMatrix);
  const syntheticMedianDcr = median(syntheticDcr);
  const randomMedianDcr = median(randomDcr);
  const dcrRatio = randomMedianDcr > 0 ? syntheticMedianDcr / randomMedianDcr : NaN;
  let closerToTraining: number | undefined;
  let holdoutMedianDcr: number | undefined;
  if (inputs.holdout) {
    const holdoutRows = inputs.holdout[0]?.values.length ?? 0;
    const realRows = inputs.real[0]?.values.length ?? 0;
    const training = space.matrix(inputs.real, sampleIndices(realRows, holdoutRows, seed + 3));
    const holdout = space.matrix(inputs.holdout, sampleIndices(holdoutRows, realRows, seed + 4));
    closerToTraining = closerToTrainingShare(
      space.closestDistances(syntheticMatrix, training),
      space.closestDistances(syntheticMatrix, holdout),
    );
    const holdoutSample = space.matrix(inputs.holdout, sampleIndices(holdoutRows, sample, seed + 5));
    holdoutMedianDcr = median(space.closestDistances(holdoutSample, realMatrix));
  }
  return {
    syntheticMedianDcr,
    randomMedianDcr,
    dcrRatio,
    dcrBaselineProtection: Number.isFinite(dcrRatio) ? Math.min(1, dcrRatio) : NaN,
    copyShareRaw: copyShare(inputs.realKeys, inputs.syntheticKeys),
    copyShareBinned: copyShare(inputs.realBinnedKeys, inputs.syntheticBinnedKeys),
    closerToTraining,
    holdoutMedianDcr,
    holdoutCopyShareRaw: inputs.holdoutKeys ? copyShare(inputs.realKeys, inputs.holdoutKeys) : undefined,
    sampledRows: syntheticMatrix.rows,
  };
}

/** The first row index of each distinct key (duplicates add nothing to a nearest-row search). */
function uniqueRows(keys: readonly string[]): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  keys.forEach((key, index) => {
    if (seen.has(key)) return;
    seen.add(key);
    out.push(index);
  });
  return out;
}
