import { createRandom, deriveSeed } from "../../util/random.js";
import { gaussianSample } from "./privacy.js";

/**
 * A NON-PRIVATE baseline: a Gaussian copula over the real columns. Each column is mapped to normal
 * scores through its empirical distribution (a category or "missing" occupies an interval of
 * [0, 1] as wide as its frequency; numbers by rank), the normal scores' correlation matrix is
 * estimated, and new rows are drawn from that multivariate normal and mapped back through the
 * empirical distributions, so every synthetic number is a real value. It gives no privacy
 * guarantee at all; it is here to show what the private copy costs in quality.
 */
export interface CopulaColumn {
  kind: "numeric" | "categorical";
  /** The raw strings of the column. */
  values: readonly string[];
  /** Whether a raw string means "missing". */
  isMissing: (value: string) => boolean;
}

/** Draws `rows` rows from a Gaussian copula fitted to `columns`; returns strings per column. */
export function sampleGaussianCopula(columns: readonly CopulaColumn[], rows: number, seed: number): string[][] {
  const random = createRandom(deriveSeed(seed, 3));
  const n = columns[0]?.values.length ?? 0;
  const marginals = columns.map((column) => fitMarginal(column));
  const d = columns.length;
  // Normal scores of the real rows, column by column.
  const scores = marginals.map((marginal, column) => {
    const out = new Float64Array(n);
    for (let row = 0; row < n; row++) out[row] = inverseNormalCdf(marginal.toUniform(row, random));
    void column;
    return out;
  });
  const correlation = correlationMatrix(scores);
  const cholesky = choleskyWithJitter(correlation, d);
  const output: string[][] = columns.map(() => new Array<string>(rows));
  const independent = new Float64Array(d);
  for (let row = 0; row < rows; row++) {
    for (let k = 0; k < d; k++) independent[k] = gaussianSample(random);
    for (let i = 0; i < d; i++) {
      let z = 0;
      for (let k = 0; k <= i; k++) z += cholesky[i * d + k]! * independent[k]!;
      output[i]![row] = marginals[i]!.fromUniform(normalCdf(z));
    }
  }
  return output;
}

interface Marginal {
  /** The real row's position in [0, 1] (jittered within its category or tie). */
  toUniform(row: number, random: () => number): number;
  fromUniform(u: number): string;
}

function fitMarginal(column: CopulaColumn): Marginal {
  const n = column.values.length;
  if (column.kind === "categorical") return intervalMarginal(column.values);
  const present: { value: number; raw: string; row: number }[] = [];
  const missingRows: number[] = [];
  column.values.forEach((raw, row) => {
    const value = Number(raw);
    if (column.isMissing(raw) || raw.trim() === "" || !Number.isFinite(value)) missingRows.push(row);
    else present.push({ value, raw, row });
  });
  present.sort((a, b) => a.value - b.value || a.row - b.row);
  const missingShare = missingRows.length / n;
  const missingToken = missingRows.length > 0 ? column.values[missingRows[0]!]! : "";
  const rank = new Float64Array(n).fill(-1);
  present.forEach((entry, index) => (rank[entry.row] = index));
  const m = present.length;
  return {
    toUniform(row, random) {
      if (rank[row]! < 0) return missingShare * clampOpen(random());
      return missingShare + (1 - missingShare) * ((rank[row]! + clampOpen(random())) / m);
    },
    fromUniform(u) {
      if (u < missingShare || m === 0) return missingToken;
      const position = Math.floor(((u - missingShare) / (1 - missingShare)) * m);
      return present[Math.min(m - 1, Math.max(0, position))]!.raw;
    },
  };
}

/** Categories in order of frequency, each an interval of [0, 1] as wide as its share. */
function intervalMarginal(values: readonly string[]): Marginal {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const categories = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const starts = new Map<string, [number, number]>();
  const ends: number[] = [];
  let cumulative = 0;
  for (const [category, count] of categories) {
    const share = count / values.length;
    starts.set(category, [cumulative, share]);
    cumulative += share;
    ends.push(cumulative);
  }
  return {
    toUniform(row, random) {
      const [start, share] = starts.get(values[row]!)!;
      return start + share * clampOpen(random());
    },
    fromUniform(u) {
      let lo = 0;
      let hi = ends.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (u < ends[mid]!) hi = mid;
        else lo = mid + 1;
      }
      return categories[lo]![0];
    },
  };
}

function clampOpen(u: number): number {
  return Math.min(1 - 1e-12, Math.max(1e-12, u));
}

function correlationMatrix(columns: readonly Float64Array[]): Float64Array {
  const d = columns.length;
  const n = columns[0]?.length ?? 0;
  const centred = columns.map((column) => {
    let mean = 0;
    for (const value of column) mean += value / n;
    return Float64Array.from(column, (value) => value - mean);
  });
  const norms = centred.map((column) => Math.sqrt(column.reduce((sum, value) => sum + value * value, 0)));
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let dot = 0;
      const a = centred[i]!;
      const b = centred[j]!;
      for (let row = 0; row < n; row++) dot += a[row]! * b[row]!;
      const value = i === j ? 1 : norms[i]! > 0 && norms[j]! > 0 ? dot / (norms[i]! * norms[j]!) : 0;
      out[i * d + j] = value;
      out[j * d + i] = value;
    }
  }
  return out;
}

/** Lower-triangular Cholesky factor; adds to the diagonal until the matrix is positive definite. */
function choleskyWithJitter(matrix: Float64Array, d: number): Float64Array {
  for (let jitter = 0; ; jitter = jitter === 0 ? 1e-10 : jitter * 10) {
    const lower = new Float64Array(d * d);
    let ok = true;
    for (let i = 0; i < d && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = matrix[i * d + j]! + (i === j ? jitter : 0);
        for (let k = 0; k < j; k++) sum -= lower[i * d + k]! * lower[j * d + k]!;
        if (i === j) {
          if (!(sum > 0)) {
            ok = false;
            break;
          }
          lower[i * d + i] = Math.sqrt(sum);
        } else lower[i * d + j] = sum / lower[j * d + j]!;
      }
    }
    if (ok || jitter > 1) return lower;
  }
}

/** The standard normal CDF (W. J. Cody's erfc rational approximation via Math functions). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

function erfc(x: number): number {
  // Numerical Recipes' erfc (Chebyshev fit, relative error < 1.2e-7).
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function inverseNormalCdf(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const dd = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((dd[0]! * q + dd[1]!) * q + dd[2]!) * q + dd[3]!) * q + 1)
    );
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((dd[0]! * q + dd[1]!) * q + dd[2]!) * q + dd[3]!) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
