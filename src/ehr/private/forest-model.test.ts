import { describe, expect, it } from "vitest";
import { createRandom } from "../../util/random.js";
import { estimateTotal, fitForestModel, roundedSample, sampleForestModel, type Measurement } from "./forest-model.js";

/** A chain a - b - c with known joint p(a) p(b|a) p(c|b), and its exact marginals times `total`. */
function chain(total: number) {
  const pa = [0.2, 0.5, 0.3];
  const pba = [
    [0.7, 0.3],
    [0.1, 0.9],
    [0.5, 0.5],
  ];
  const pcb = [
    [0.6, 0.3, 0.1, 0],
    [0.05, 0.15, 0.3, 0.5],
  ];
  const ab = new Float64Array(6);
  const bc = new Float64Array(8);
  const a = new Float64Array(3);
  const b = new Float64Array(2);
  const c = new Float64Array(4);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 2; j++) {
      const pij = pa[i]! * pba[i]![j]!;
      ab[i * 2 + j] = total * pij;
      a[i]! += total * pij;
      b[j]! += total * pij;
      for (let k = 0; k < 4; k++) {
        bc[j * 4 + k]! += total * pij * pcb[j]![k]!;
        c[k]! += total * pij * pcb[j]![k]!;
      }
    }
  }
  return { a, b, c, ab, bc };
}

function expectClose(actual: Float64Array, expected: Float64Array, tolerance: number) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, index) => expect(Math.abs(value - expected[index]!)).toBeLessThan(tolerance));
}

describe("forest model", () => {
  it("recovers a tree-structured distribution from exact measurements", () => {
    const exact = chain(1000);
    const measurements: Measurement[] = [
      { clique: [0], y: exact.a, sigma: 1 },
      { clique: [1], y: exact.b, sigma: 1 },
      { clique: [2], y: exact.c, sigma: 1 },
      { clique: [0, 1], y: exact.ab, sigma: 1 },
      { clique: [1, 2], y: exact.bc, sigma: 1 },
    ];
    const model = fitForestModel(
      [3, 2, 4],
      [
        [0, 1],
        [1, 2],
      ],
      measurements,
      { iterations: 3000, tolerance: 0 },
    );
    expect(model.total).toBeCloseTo(1000, 9);
    expectClose(model.marginals.edges[0]!, exact.ab, 0.5);
    expectClose(model.marginals.edges[1]!, exact.bc, 0.5);
    expectClose(model.marginals.nodes[2]!, exact.c, 0.5);
  });

  it("gives consistent, non-negative marginals from noisy, negative measurements", () => {
    const exact = chain(200);
    const random = createRandom(4);
    const noisy = (values: Float64Array) => Float64Array.from(values, (value) => value + 40 * (random() - 0.5));
    const measurements: Measurement[] = [
      { clique: [0], y: noisy(exact.a), sigma: 10 },
      { clique: [2], y: noisy(exact.c), sigma: 10 },
      { clique: [0, 1], y: noisy(exact.ab), sigma: 20 },
      { clique: [1, 2], y: noisy(exact.bc), sigma: 20 },
    ];
    expect(measurements.some((m) => m.y.some((value) => value < 0))).toBe(true);
    const model = fitForestModel(
      [3, 2, 4],
      [
        [0, 1],
        [1, 2],
      ],
      measurements,
      { iterations: 500 },
    );
    const { nodes, edges } = model.marginals;
    for (const table of [...nodes, ...edges]) for (const value of table) expect(value).toBeGreaterThanOrEqual(0);
    // Summing the edge table (a, b) over a gives b's marginal, and so does summing (b, c) over c.
    const bFromAb = [0, 1].map((j) => [0, 1, 2].reduce((sum, i) => sum + edges[0]![i * 2 + j]!, 0));
    const bFromBc = [0, 1].map((j) => [0, 1, 2, 3].reduce((sum, k) => sum + edges[1]![j * 4 + k]!, 0));
    bFromAb.forEach((value, j) => {
      expect(value).toBeCloseTo(nodes[1]![j]!, 6);
      expect(bFromBc[j]!).toBeCloseTo(nodes[1]![j]!, 6);
    });
    const total = nodes[0]!.reduce((sum, value) => sum + value, 0);
    expect(total).toBeCloseTo(model.total, 6);
  });

  it("estimates the total by inverse-variance weighting, undoing a measurement's scale", () => {
    // Sums 100 (variance 2 * 1) and 110 (scaled entry: 10 / 0.5 = 20, variance 1 + 4 = 5).
    const total = estimateTotal([
      { clique: [0], y: Float64Array.from([60, 40]), sigma: 1 },
      { clique: [1], y: Float64Array.from([90, 10]), sigma: 1, scale: Float64Array.from([1, 0.5]) },
    ]);
    expect(total).toBeCloseTo((100 / 2 + 110 / 5) / (1 / 2 + 1 / 5), 9);
  });

  it("rounded sampling keeps each value's count within one of its expectation", () => {
    const values = roundedSample(Float64Array.from([0.5, 0.25, 0.25, 0]), 10, createRandom(1));
    const counts = [0, 0, 0, 0];
    for (const value of values) counts[value]!++;
    expect(counts.reduce((a, b) => a + b)).toBe(10);
    expect(counts[0]).toBeGreaterThanOrEqual(5);
    expect(counts[0]).toBeLessThanOrEqual(6);
    expect(counts[1]).toBeGreaterThanOrEqual(2);
    expect(counts[1]).toBeLessThanOrEqual(3);
    expect(counts[3]).toBe(0);
  });

  it("samples rows whose pair frequencies follow the model", () => {
    const exact = chain(10_000);
    const model = fitForestModel(
      [3, 2, 4],
      [
        [0, 1],
        [1, 2],
      ],
      [
        { clique: [0, 1], y: exact.ab, sigma: 1 },
        { clique: [1, 2], y: exact.bc, sigma: 1 },
      ],
      { iterations: 2000, tolerance: 0 },
    );
    const rows = 10_000;
    const [a, b, c] = sampleForestModel(model, rows, createRandom(2));
    const bc = new Float64Array(8);
    const ab = new Float64Array(6);
    for (let row = 0; row < rows; row++) {
      bc[b![row]! * 4 + c![row]!]!++;
      ab[a![row]! * 2 + b![row]!]!++;
    }
    expectClose(ab, exact.ab, 10);
    expectClose(bc, exact.bc, 150);
  });
});
