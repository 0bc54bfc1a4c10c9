import { describe, expect, it } from "vitest";
import { createRandom } from "../../util/random.js";
import { measureMarginal, runMst } from "./mst.js";
import {
  addGaussianNoise,
  cdpDelta,
  cdpRho,
  exponentialMechanism,
  exponentialRho,
  gaussianRho,
  PrivacyAccountant,
} from "./privacy.js";

describe("zCDP accounting", () => {
  it("converts (epsilon, delta) to rho as private-pgm's cdp_rho does", () => {
    // private-pgm's cdp_rho(1, 1e-9) and cdp_rho(1, 1e-5), computed with its Python code.
    expect(cdpRho(1, 1e-9)).toBeCloseTo(0.014973057673588523, 12);
    expect(cdpRho(1, 1e-5)).toBeCloseTo(0.03055659519763956, 12);
    // The conversion is tight: rho maps back onto delta.
    expect(cdpDelta(cdpRho(1, 1e-9), 1)).toBeCloseTo(1e-9, 15);
    // And never worse than the simple bound epsilon = rho + 2 sqrt(rho log(1/delta)).
    const simple = Math.pow(-Math.sqrt(Math.log(1e9)) + Math.sqrt(Math.log(1e9) + 1), 2);
    expect(cdpRho(1, 1e-9)).toBeGreaterThanOrEqual(simple);
  });

  it("Gaussian and exponential mechanisms cost sensitivity^2 / (2 sigma^2) and epsilon^2 / 8", () => {
    expect(gaussianRho(2)).toBeCloseTo(1 / 8, 15);
    expect(exponentialRho(0.4)).toBeCloseTo(0.02, 15);
  });

  it("the accountant refuses to overspend", () => {
    const accountant = new PrivacyAccountant(0.1);
    accountant.spendGaussian("a", Math.sqrt(1 / (2 * 0.05)));
    expect(accountant.rhoSpent).toBeCloseTo(0.05, 15);
    expect(() => accountant.spendGaussian("b", 1)).toThrow(/budget exceeded/);
  });

  it("adds noise of the stated standard deviation", () => {
    const sigma = 37.45;
    const noisy = addGaussianNoise(new Float64Array(40_000), sigma, createRandom(5));
    const mean = noisy.reduce((sum, value) => sum + value, 0) / noisy.length;
    const sd = Math.sqrt(noisy.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (noisy.length - 1));
    // Standard error of the sd estimate is sigma / sqrt(2n) ~ 0.35%; allow 2%.
    expect(Math.abs(mean)).toBeLessThan((4 * sigma) / Math.sqrt(noisy.length));
    expect(sd / sigma).toBeGreaterThan(0.98);
    expect(sd / sigma).toBeLessThan(1.02);
  });

  it("the exponential mechanism picks in proportion to exp(epsilon * score / 2)", () => {
    const random = createRandom(11);
    const hits = [0, 0];
    for (let run = 0; run < 20_000; run++) hits[exponentialMechanism([0, 2], 1, 1, random)]!++;
    // P(second) = e / (1 + e) = 0.7311.
    expect(hits[1]! / 20_000).toBeCloseTo(Math.E / (1 + Math.E), 1);
  });
});

describe("MST spends exactly its budget, with the stated noise per measurement", () => {
  it("each measurement's noise scale matches its share of rho, and the ledger sums to rho", () => {
    const rows = 300;
    const random = createRandom(3);
    const columns = [0, 1, 2, 3].map(() => Int32Array.from({ length: rows }, () => Math.floor(random() * 4)));
    const epsilon = 1;
    const delta = 1e-6;
    const result = runMst(columns, [4, 4, 4, 4], { epsilon, delta, seed: 9, iterations: 50 });
    const rho = cdpRho(epsilon, delta);
    const d = 4;
    expect(result.rho).toBe(rho);
    const gaussian = result.accountant.entries.filter((entry) => entry.mechanism === "gaussian");
    const exponential = result.accountant.entries.filter((entry) => entry.mechanism === "exponential");
    expect(gaussian).toHaveLength(d + d - 1);
    expect(exponential).toHaveLength(d - 1);
    // 1-way: d measurements share rho/3: sigma = sqrt(3d / (2 rho)).
    for (const entry of gaussian.slice(0, d)) expect(entry.scale).toBeCloseTo(Math.sqrt((3 * d) / (2 * rho)), 9);
    // 2-way: d - 1 measurements share rho/3.
    for (const entry of gaussian.slice(d)) expect(entry.scale).toBeCloseTo(Math.sqrt((3 * (d - 1)) / (2 * rho)), 9);
    // Selection: d - 1 exponential mechanisms share rho/3: epsilon = sqrt(8 (rho/3) / (d - 1)).
    for (const entry of exponential) expect(entry.scale).toBeCloseTo(Math.sqrt((8 * rho) / 3 / (d - 1)), 9);
    for (const entry of result.accountant.entries) {
      expect(entry.rho).toBeCloseTo(
        entry.mechanism === "gaussian" ? gaussianRho(entry.scale) : exponentialRho(entry.scale),
        15,
      );
    }
    expect(result.accountant.rhoSpent).toBeCloseTo(rho, 12);
  });
});

/**
 * A statistical check of the guarantee itself: MST's 1-way measurement, at the noise scale MST
 * chooses for the budget, run many times on two neighbouring tables (one row added). For every
 * output region S, (epsilon, delta)-DP requires P[M(D) in S] <= e^epsilon P[M(D') in S] + delta
 * (both ways). The regions are the bins of the noisy count of the value that differs; the same
 * check on a mechanism with a fifth of the noise must fail, or the check proves nothing.
 */
function violatesBound(sigma: number, epsilon: number, delta: number, runs: number, seed: number): boolean {
  const random = createRandom(seed);
  const table = Int32Array.from([0, 0, 1]); // {a, a, b}
  const neighbour = Int32Array.from([0, 0, 1, 1]); // the same table with one more b
  const width = 0.5;
  const histogram = (codes: Int32Array) => {
    const bins = new Map<number, number>();
    for (let run = 0; run < runs; run++) {
      const y = measureMarginal(codes, 2, sigma, random)[1]!;
      const bin = Math.floor(y / width);
      bins.set(bin, (bins.get(bin) ?? 0) + 1);
    }
    return bins;
  };
  const p = histogram(table);
  const q = histogram(neighbour);
  for (const bin of new Set([...p.keys(), ...q.keys()])) {
    for (const [first, second] of [
      [p, q],
      [q, p],
    ] as const) {
      const pHat = (first.get(bin) ?? 0) / runs;
      const qHat = (second.get(bin) ?? 0) / runs;
      // Allow four standard errors of the two estimates.
      const slack = 4 * Math.sqrt((pHat * (1 - pHat) + Math.exp(2 * epsilon) * qHat * (1 - qHat)) / runs) + 1e-9;
      if (pHat > Math.exp(epsilon) * qHat + delta + slack) return true;
    }
  }
  return false;
}

describe("MST's 1-way measurement on neighbouring tables", () => {
  const epsilon = 2;
  const delta = 1e-3;
  // The noise MST uses for a one-column table at this budget (all of rho on the one measurement).
  const sigma = runMst([Int32Array.from([0, 0, 1])], [2], { epsilon, delta, seed: 1, iterations: 5 }).accountant
    .entries[0]!.scale;

  it("uses sigma = sqrt(1 / (2 rho)) for one column", () => {
    expect(sigma).toBeCloseTo(Math.sqrt(1 / (2 * cdpRho(epsilon, delta))), 12);
  });

  it("stays within e^epsilon P' + delta over 200,000 seeded runs", () => {
    expect(violatesBound(sigma, epsilon, delta, 200_000, 1)).toBe(false);
  });

  it("the same check catches a mechanism with a fifth of the noise", () => {
    expect(violatesBound(sigma / 5, epsilon, delta, 200_000, 2)).toBe(true);
  });
});
