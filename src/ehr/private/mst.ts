import { MedsimError } from "../../util/errors.js";
import { createRandom, deriveSeed } from "../../util/random.js";
import type { ProgressCallback } from "../../util/logger.js";
import { fitForestModel, sampleForestModel, type Measurement } from "./forest-model.js";
import { addGaussianNoise, cdpRho, exponentialMechanism, PrivacyAccountant } from "./privacy.js";

/**
 * MST (McKenna, Miklau, Sheldon 2021, "Winning the NIST Contest: A scalable and general approach
 * to differentially private synthetic data"), in rho-zCDP:
 *   1. measure every 1-way marginal with Gaussian noise (a third of rho);
 *   2. compress each attribute's domain: values whose noisy count is below 3 sigma merge into one;
 *   3. choose a maximum spanning tree of attribute pairs, one edge at a time by the exponential
 *      mechanism, scored by how badly the independent model from step 1 fits each pair (a third);
 *   4. measure the tree's 2-way marginals with Gaussian noise (a third);
 *   5. fit one consistent tree-structured model to all noisy measurements and sample from it.
 * Steps 2, 5 and the decoding touch only noisy measurements, so they cost no privacy.
 */
export interface MstOptions {
  epsilon: number;
  delta: number;
  seed: number;
  /** Rows to sample (default: the model's noisy estimate of the row count). */
  rows?: number;
  /** Mirror-descent iterations for the final fit (default 1000). */
  iterations?: number;
  onProgress?: ProgressCallback;
  /** Column names, for error messages. */
  columnNames?: readonly string[];
}

/** The largest pair table MST builds (cells of two compressed domains): 20 million doubles, 160 MB. */
export const MAX_PAIR_CELLS = 20_000_000;

/** What MST did, for the report. */
export interface MstResult {
  /** Sampled codes per column, in the original (uncompressed) domains. */
  columns: Int32Array[];
  rows: number;
  rho: number;
  accountant: PrivacyAccountant;
  /** The selected tree, as column index pairs. */
  tree: [number, number][];
  /** Per column: domain size before and after compression. */
  compression: { before: number; after: number }[];
  estimatedTotal: number;
  fit: { loss: number; iterations: number };
}

/** Counts of one column's codes. */
function counts(codes: Int32Array, size: number): Float64Array {
  const out = new Float64Array(size);
  for (let index = 0; index < codes.length; index++) out[codes[index]!]!++;
  return out;
}

/** The Gaussian mechanism on one column's counts: MST's 1-way measurement. */
export function measureMarginal(codes: Int32Array, size: number, sigma: number, random: () => number): Float64Array {
  return addGaussianNoise(counts(codes, size), sigma, random);
}

/** Counts of a pair of columns, row-major over (a, b). */
function pairCounts(a: Int32Array, sizeA: number, b: Int32Array, sizeB: number): Float64Array {
  const out = new Float64Array(sizeA * sizeB);
  for (let index = 0; index < a.length; index++) out[a[index]! * sizeB + b[index]!]!++;
  return out;
}

interface Compressed {
  /** Original code -> compressed code. */
  forward: Int32Array;
  /** Compressed code -> original codes (one for kept values, several for the merged "rare" value). */
  backward: number[][];
  /** For the merged value: the cumulative weights of its original codes when decoding (noisy counts, floored at 0). */
  rareWeights?: Float64Array;
  measurement: Measurement;
}

/**
 * Keeps the values whose noisy count reaches 3 sigma and merges the rest into one value; the
 * merged value's measurement is their noisy sum, rescaled so its noise stays sigma.
 */
function compressDomain(column: number, y: Float64Array, sigma: number): Compressed {
  const kept: number[] = [];
  const rare: number[] = [];
  for (let code = 0; code < y.length; code++) (y[code]! >= 3 * sigma ? kept : rare).push(code);
  const forward = new Int32Array(y.length);
  if (rare.length === 0) {
    kept.forEach((code, index) => (forward[code] = index));
    return { forward, backward: kept.map((code) => [code]), measurement: { clique: [column], y, sigma } };
  }
  kept.forEach((code, index) => (forward[code] = index));
  for (const code of rare) forward[code] = kept.length;
  const size = kept.length + 1;
  const compressedY = new Float64Array(size);
  const scale = new Float64Array(size).fill(1);
  kept.forEach((code, index) => (compressedY[index] = y[code]!));
  let rareSum = 0;
  for (const code of rare) rareSum += y[code]!;
  scale[size - 1] = 1 / Math.sqrt(rare.length);
  compressedY[size - 1] = rareSum / Math.sqrt(rare.length);
  // Decoding the merged value picks among its codes by their noisy counts (post-processing, no
  // privacy cost) rather than uniformly: rare categories are rarely equally rare.
  const rareWeights = new Float64Array(rare.length);
  let cumulative = 0;
  rare.forEach((code, index) => (rareWeights[index] = cumulative += Math.max(0, y[code]!)));
  if (cumulative <= 0) rare.forEach((_, index) => (rareWeights[index] = index + 1));
  return {
    forward,
    backward: [...kept.map((code) => [code]), rare],
    rareWeights,
    measurement: { clique: [column], y: compressedY, sigma, scale },
  };
}

/** Runs MST on encoded columns (codes per column, with each column's domain size). */
export function runMst(columns: readonly Int32Array[], sizes: readonly number[], options: MstOptions): MstResult {
  const d = columns.length;
  const rho = cdpRho(options.epsilon, options.delta);
  const accountant = new PrivacyAccountant(rho);
  const random = createRandom(deriveSeed(options.seed, 1));
  // Progress in steps: three measurement steps, then the final fit's iterations.
  const iterations = options.iterations ?? 1000;
  const report = (completed: number) =>
    options.onProgress?.({ label: "MST", completed: Math.min(completed, iterations + 3), total: iterations + 3 });

  // 1. One-way marginals: d measurements sharing rho/3 equally (all of rho when there is one column).
  report(0);
  const oneWayRho = d === 1 ? rho : rho / 3;
  const sigma1 = Math.sqrt(d / (2 * oneWayRho));
  const compressed = columns.map((codes, column) => {
    const y = measureMarginal(codes, sizes[column]!, sigma1, random);
    accountant.spendGaussian(`1-way marginal of column ${column}`, sigma1);
    return compressDomain(column, y, sigma1);
  });
  const compressedSizes = compressed.map((entry) => entry.backward.length);
  const compressedColumns = columns.map((codes, column) => {
    const forward = compressed[column]!.forward;
    return Int32Array.from(codes, (code) => forward[code]!);
  });
  const oneWay = compressed.map((entry) => entry.measurement);
  // Pair tables are dense; refuse sizes that would exhaust memory, naming the culprits.
  const largest = [...compressedSizes.keys()].sort((a, b) => compressedSizes[b]! - compressedSizes[a]!);
  if (largest.length > 1 && compressedSizes[largest[0]!]! * compressedSizes[largest[1]!]! > MAX_PAIR_CELLS) {
    const [a, b] = [largest[0]!, largest[1]!];
    throw new MedsimError(
      "invalid_input",
      `columns ${options.columnNames?.[a] ?? a} and ${options.columnNames?.[b] ?? b} keep ${compressedSizes[a]} and ${compressedSizes[b]} values after compression, ` +
        `too many for a pair table (${MAX_PAIR_CELLS.toLocaleString("en")} cells); declare fewer bins or categories in the schema`,
    );
  }

  // 2. Select a spanning tree by the exponential mechanism (Kruskal with noisy choices).
  report(1);
  const tree: [number, number][] = [];
  if (d > 1) {
    const independent = fitForestModel(compressedSizes, [], oneWay, { iterations: 500 });
    const scores = new Map<string, number>();
    for (let a = 0; a < d; a++) {
      for (let b = a + 1; b < d; b++) {
        const sizeA = compressedSizes[a]!;
        const sizeB = compressedSizes[b]!;
        const actual = pairCounts(compressedColumns[a]!, sizeA, compressedColumns[b]!, sizeB);
        const muA = independent.marginals.nodes[a]!;
        const muB = independent.marginals.nodes[b]!;
        let error = 0;
        for (let i = 0; i < sizeA; i++) {
          for (let j = 0; j < sizeB; j++) {
            error += Math.abs(actual[i * sizeB + j]! - (muA[i]! * muB[j]!) / independent.total);
          }
        }
        scores.set(`${a},${b}`, error);
      }
    }
    const component = Array.from({ length: d }, (_, index) => index);
    const find = (node: number): number =>
      component[node] === node ? node : (component[node] = find(component[node]!));
    const epsilonPerEdge = Math.sqrt((8 * (rho / 3)) / (d - 1));
    for (let round = 0; round < d - 1; round++) {
      const candidates: [number, number][] = [];
      for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) if (find(a) !== find(b)) candidates.push([a, b]);
      const choice = exponentialMechanism(
        candidates.map(([a, b]) => scores.get(`${a},${b}`)!),
        epsilonPerEdge,
        1,
        random,
      );
      accountant.spendExponential(`tree edge ${round + 1} of ${d - 1}`, epsilonPerEdge);
      const [a, b] = candidates[choice]!;
      component[find(a)] = find(b);
      tree.push([a, b]);
    }
  }

  // 3. Two-way marginals of the tree's edges: d - 1 measurements sharing rho/3.
  report(2);
  const sigma2 = Math.sqrt((d - 1) / (2 * (rho / 3)));
  const twoWay: Measurement[] = tree.map(([a, b]) => {
    const x = pairCounts(compressedColumns[a]!, compressedSizes[a]!, compressedColumns[b]!, compressedSizes[b]!);
    accountant.spendGaussian(`2-way marginal of columns ${a} and ${b}`, sigma2);
    return { clique: [a, b] as const, y: addGaussianNoise(x, sigma2, random), sigma: sigma2 };
  });

  // 4. One consistent model from all measurements (post-processing).
  report(3);
  const model = fitForestModel(compressedSizes, tree, [...oneWay, ...twoWay], {
    iterations,
    onIteration: (iteration) => report(3 + iteration),
  });

  // 5. Sample, then undo the compression (a merged value becomes one of its values, uniformly).
  const rows = options.rows ?? Math.max(1, Math.round(model.total));
  const sampleRandom = createRandom(deriveSeed(options.seed, 2));
  const sampled = sampleForestModel(model, rows, sampleRandom);
  const decoded = sampled.map((codes, column) => {
    const { backward, rareWeights } = compressed[column]!;
    return Int32Array.from(codes, (code) => {
      const choices = backward[code]!;
      if (choices.length === 1 || !rareWeights) return choices[0]!;
      const target = sampleRandom() * rareWeights[rareWeights.length - 1]!;
      let index = 0;
      while (index < choices.length - 1 && rareWeights[index]! <= target) index++;
      return choices[index]!;
    });
  });
  report(iterations + 3);
  return {
    columns: decoded,
    rows,
    rho,
    accountant,
    tree,
    compression: sizes.map((size, column) => ({ before: size, after: compressedSizes[column]! })),
    estimatedTotal: model.total,
    fit: { loss: model.loss, iterations: model.iterations },
  };
}
