import { describe, expect, it } from "vitest";
import {
  closerToTrainingShare,
  copyShare,
  DistanceSpace,
  median,
  privacyFigures,
  sampleIndices,
} from "./privacy-metrics.js";
import {
  boundaryAdherence,
  categoryAdherence,
  contingencySimilarity,
  correlationSimilarity,
  discretize,
  ksComplement,
  pearson,
  qualityScores,
  tvComplement,
  type MetricColumn,
} from "./quality.js";

const numbers = (...values: number[]): MetricColumn => ({ kind: "numeric", values: Float64Array.from(values) });
const labels = (...values: string[]): MetricColumn => ({ kind: "categorical", values });

// Each expected value below is worked out by hand in the comment beside it.
describe("SDMetrics quality measures against hand-computed values", () => {
  it("KSComplement", () => {
    // ECDFs of {1,2,3} and {2,3,4}: at 1: 1/3 vs 0, at 2: 2/3 vs 1/3, at 3: 1 vs 2/3 -> D = 1/3.
    expect(ksComplement([1, 2, 3], [2, 3, 4])).toBeCloseTo(2 / 3, 12);
    // Missing values are dropped: {1, 2} vs {1, 2} -> D = 0.
    expect(ksComplement([1, NaN, 2], [2, 1, NaN, NaN])).toBe(1);
    // Disjoint supports -> D = 1.
    expect(ksComplement([1, 1], [5, 6, 7])).toBe(0);
    // {0,0,0,1} vs {0,1,1,1}: at 0: 3/4 vs 1/4 -> D = 1/2.
    expect(ksComplement([0, 0, 0, 1], [0, 1, 1, 1])).toBeCloseTo(0.5, 12);
  });

  it("TVComplement", () => {
    // p = (a 2/3, b 1/3), q = (a 1/3, b 2/3): TV = (1/3 + 1/3) / 2 = 1/3.
    expect(tvComplement(["a", "a", "b"], ["a", "b", "b"])).toBeCloseTo(2 / 3, 12);
    // A category only in the synthetic table counts: p = (a 1), q = (a 1/2, c 1/2): TV = (1/2 + 1/2) / 2.
    expect(tvComplement(["a"], ["a", "c"])).toBeCloseTo(0.5, 12);
  });

  it("Pearson and CorrelationSimilarity", () => {
    // x = 1,2,3; y = 2,4,7: means 2 and 13/3; sxy = (-1)(-7/3) + 0 + (1)(8/3) = 5; sxx = 2; syy = 49/9 + 1/9 + 64/9 = 114/9.
    expect(pearson([1, 2, 3], [2, 4, 7])).toBeCloseTo(5 / Math.sqrt(2 * (114 / 9)), 12);
    // Rows with a missing value are left out.
    expect(pearson([1, 2, NaN, 3], [2, 4, 100, 6])).toBeCloseTo(1, 12);
    // r_real = 1, r_synthetic = -1 -> 1 - 2/2 = 0; equal correlations -> 1.
    expect(correlationSimilarity([1, 2, 3], [1, 2, 3], [1, 2, 3], [3, 2, 1])).toBeCloseTo(0, 12);
    expect(correlationSimilarity([1, 2, 3], [2, 4, 6], [5, 6, 7], [1, 2, 3])).toBeCloseTo(1, 12);
    // A constant column has no correlation.
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
  });

  it("discretize: 10 equal-width bins over the real range, outer bins open, missing apart", () => {
    const [real, synthetic] = discretize([0, 5, 10], [-3, 0.99, 1, 9.99, 10, 42, NaN]);
    expect(real).toEqual(["0", "5", "9"]);
    expect(synthetic).toEqual(["0", "0", "1", "9", "9", "9", "missing"]);
  });

  it("ContingencySimilarity", () => {
    // Real pairs: (a,x) (a,y) (b,x) (b,x) -> 1/4 1/4 1/2; synthetic: (a,x) (a,x) (b,x) (b,y) -> 1/2 0 1/4 1/4.
    // |1/4-1/2| + |1/4-0| + |1/2-1/4| + |0-1/4| = 1 -> TV 1/2 -> 0.5.
    expect(
      contingencySimilarity(["a", "a", "b", "b"], ["x", "y", "x", "x"], ["a", "a", "b", "b"], ["x", "x", "x", "y"]),
    ).toBeCloseTo(0.5, 12);
  });

  it("Boundary and category adherence", () => {
    // Real range [1, 3]: synthetic 0 and 4 outside, 1 2 3 inside (missing ignored) -> 3/5.
    expect(boundaryAdherence([1, 3, 2], [0, 1, 2, 3, 4, NaN])).toBeCloseTo(0.6, 12);
    // Synthetic "c" is not a real category -> 2/3.
    expect(categoryAdherence(["a", "b"], ["a", "b", "c"])).toBeCloseTo(2 / 3, 12);
  });

  it("qualityScores: overall is the mean of column shapes and pair trends", () => {
    const real = [numbers(1, 2, 3, 4), labels("a", "a", "b", "b"), numbers(2, 4, 6, 8)];
    const synthetic = [numbers(1, 2, 3, 5), labels("a", "b", "b", "b"), numbers(8, 6, 4, 2)];
    const scores = qualityScores(["x", "c", "y"], real, synthetic);
    // Shapes: x: ECDFs of {1,2,3,4} and {1,2,3,5} differ by 1/4 at 4 -> 0.75; c: TV 1/4 -> 0.75;
    // y: the same values -> 1. Mean 2.5/3.
    expect(scores.columnShapes.map((entry) => entry.score)).toEqual([0.75, 0.75, 1]);
    expect(scores.columnShapesScore).toBeCloseTo(2.5 / 3, 12);
    // Pairs: (x, y) correlation: real 1, synthetic r({1,2,3,5}, {8,6,4,2}) = -sqrt(0.92...)
    const r = pearson([1, 2, 3, 5], [8, 6, 4, 2]);
    expect(scores.pairTrends[1]).toMatchObject({ metric: "CorrelationSimilarity", real: 1 });
    expect(scores.pairTrends[1]!.score).toBeCloseTo(1 - Math.abs(1 - r) / 2, 12);
    expect(scores.pairTrends[0]!.metric).toBe("ContingencySimilarity");
    const pairMean = scores.pairTrends.reduce((sum, entry) => sum + entry.score, 0) / 3;
    expect(scores.pairTrendsScore).toBeCloseTo(pairMean, 12);
    expect(scores.overall).toBeCloseTo((2.5 / 3 + pairMean) / 2, 12);
  });
});

describe("privacy figures against hand-computed values", () => {
  it("DCR: numbers by |x - y| / range capped at 1, categories 0/1, missing 1 against a value, mean over columns", () => {
    const real = [numbers(0, 10), labels("a", "b")];
    const space = new DistanceSpace(real);
    const reference = space.matrix(real);
    const queries = space.matrix([numbers(2, 10, NaN, 30), labels("a", "a", "b", "b")]);
    // (2,a): to (0,a) = (0.2 + 0) / 2 = 0.1. (10,a): to (10,b) = 0.5, to (0,a) = 0.5 -> 0.5.
    // (missing,b): to (10,b) = (1 + 0) / 2 = 0.5. (30,b): |30-10|/10 capped at 1 -> (1 + 0)/2 vs to (0,a) (1+1)/2 -> 0.5.
    expect(Array.from(space.closestDistances(queries, reference))).toEqual([0.1, 0.5, 0.5, 0.5]);
  });

  it("median, copy share, closer-to-training share", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(copyShare(["r1", "r2"], ["r1", "x", "r2", "y"])).toBe(0.5);
    // Closer, farther, tie (half) -> 1.5 / 3.
    expect(closerToTrainingShare(Float64Array.from([0.1, 0.5, 0.2]), Float64Array.from([0.3, 0.2, 0.2]))).toBeCloseTo(
      0.5,
      12,
    );
  });

  it("a copy of the real table is flagged: DCR 0, every row copied, closer to training", () => {
    const real = [
      numbers(...Array.from({ length: 40 }, (_, i) => i)),
      labels(...Array.from({ length: 40 }, (_, i) => `c${i % 7}`)),
    ];
    const keys = Array.from({ length: 40 }, (_, i) => `${i}|c${i % 7}`);
    const holdout = [
      numbers(...Array.from({ length: 40 }, (_, i) => i + 0.5)),
      labels(...Array.from({ length: 40 }, (_, i) => `c${(i + 3) % 7}`)),
    ];
    const figures = privacyFigures({
      real,
      synthetic: real,
      holdout,
      realKeys: keys,
      syntheticKeys: keys,
      realBinnedKeys: keys,
      syntheticBinnedKeys: keys,
    });
    expect(figures.syntheticMedianDcr).toBe(0);
    expect(figures.randomMedianDcr).toBeGreaterThan(0);
    expect(figures.dcrRatio).toBe(0);
    expect(figures.copyShareRaw).toBe(1);
    expect(figures.closerToTraining).toBe(1);
  });

  it("sampleIndices is seeded and distinct", () => {
    const a = sampleIndices(100, 10, 7);
    expect(a).toEqual(sampleIndices(100, 10, 7));
    expect(new Set(a).size).toBe(10);
    expect(sampleIndices(5, 10, 7)).toEqual([0, 1, 2, 3, 4]);
  });
});
