/**
 * Privacy accounting in zero-concentrated differential privacy (zCDP) and the two noise
 * mechanisms MST uses. Neighbouring tables differ by adding or removing one row, so a count
 * vector (a marginal) has L2 sensitivity 1 and an L1 fit score has sensitivity 1.
 *
 * Conversions follow Canonne, Kamath and Steinke (2020), "The Discrete Gaussian for Differential
 * Privacy", Proposition 12 (the tight conversion from rho-zCDP to (epsilon, delta)-DP), as
 * private-pgm's `cdp_rho` does.
 */

/**
 * The smallest delta such that rho-zCDP implies (epsilon, delta)-DP. Any alpha > 1 gives a valid
 * bound; a bisection on the derivative finds the best one.
 */
export function cdpDelta(rho: number, epsilon: number): number {
  if (rho < 0 || epsilon < 0) throw new RangeError("rho and epsilon must be >= 0");
  if (rho === 0) return 0;
  let alphaMin = 1.01; // the optimum is at least (1 + epsilon / rho) / 2; below 1.01 is numerically unstable
  let alphaMax = (epsilon + 1) / (2 * rho) + 2;
  let alpha = alphaMin;
  for (let iteration = 0; iteration < 1000; iteration++) {
    alpha = (alphaMin + alphaMax) / 2;
    const derivative = (2 * alpha - 1) * rho - epsilon + Math.log1p(-1 / alpha);
    if (derivative < 0) alphaMin = alpha;
    else alphaMax = alpha;
  }
  const delta = Math.exp((alpha - 1) * (alpha * rho - epsilon) + alpha * Math.log1p(-1 / alpha)) / (alpha - 1);
  return Math.min(delta, 1);
}

/** The largest rho such that rho-zCDP implies (epsilon, delta)-DP (bisection on {@link cdpDelta}). */
export function cdpRho(epsilon: number, delta: number): number {
  if (!(epsilon > 0)) throw new RangeError(`epsilon must be > 0, found ${epsilon}`);
  if (!(delta > 0)) throw new RangeError(`delta must be > 0, found ${delta}`);
  if (delta >= 1) return Infinity;
  let rhoMin = 0;
  let rhoMax = epsilon + 1;
  for (let iteration = 0; iteration < 1000; iteration++) {
    const rho = (rhoMin + rhoMax) / 2;
    if (cdpDelta(rho, epsilon) <= delta) rhoMin = rho;
    else rhoMax = rho;
  }
  return rhoMin;
}

/** rho of the Gaussian mechanism with noise scale `sigma` on a query of L2 sensitivity `sensitivity`. */
export function gaussianRho(sigma: number, sensitivity = 1): number {
  return (sensitivity * sensitivity) / (2 * sigma * sigma);
}

/** rho of the exponential mechanism run at pure `epsilon` (Cesar and Rogers 2021: epsilon^2 / 8). */
export function exponentialRho(epsilon: number): number {
  return (epsilon * epsilon) / 8;
}

/** One entry of the privacy ledger. */
export interface BudgetEntry {
  /** What was measured, e.g. "1-way marginal of age" or "select edge 3 of 13". */
  label: string;
  mechanism: "gaussian" | "exponential";
  /** The rho this step spent. */
  rho: number;
  /** Gaussian: the noise standard deviation; exponential: the pure epsilon it ran at. */
  scale: number;
}

/**
 * The privacy ledger: each mechanism call records what it spent, so the budget reported is the
 * sum of what was actually spent rather than a restatement of the target.
 */
export class PrivacyAccountant {
  readonly entries: BudgetEntry[] = [];

  constructor(readonly rhoBudget: number) {}

  /** Records a Gaussian measurement of sensitivity 1 and returns its rho. */
  spendGaussian(label: string, sigma: number): number {
    return this.record({ label, mechanism: "gaussian", rho: gaussianRho(sigma), scale: sigma });
  }

  /** Records one run of the exponential mechanism at `epsilon` and returns its rho. */
  spendExponential(label: string, epsilon: number): number {
    return this.record({ label, mechanism: "exponential", rho: exponentialRho(epsilon), scale: epsilon });
  }

  /** The rho spent so far. */
  get rhoSpent(): number {
    let total = 0;
    for (const entry of this.entries) total += entry.rho;
    return total;
  }

  private record(entry: BudgetEntry): number {
    // A relative slack of 1e-9 absorbs the rounding of budget splits (three thirds of rho).
    if (this.rhoSpent + entry.rho > this.rhoBudget * (1 + 1e-9)) {
      throw new RangeError(`privacy budget exceeded: ${entry.label} needs rho ${entry.rho}`);
    }
    this.entries.push(entry);
    return entry.rho;
  }
}

/** A standard normal sample from a uniform generator (Box-Muller, one value per call). */
export function gaussianSample(random: () => number): number {
  let u = random();
  while (u <= 0) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Adds N(0, sigma^2) noise to each count. */
export function addGaussianNoise(counts: Float64Array, sigma: number, random: () => number): Float64Array {
  const noisy = new Float64Array(counts.length);
  for (let index = 0; index < counts.length; index++) noisy[index] = counts[index]! + sigma * gaussianSample(random);
  return noisy;
}

/**
 * The exponential mechanism: picks index i with probability proportional to
 * exp(epsilon * score_i / (2 * sensitivity)).
 */
export function exponentialMechanism(
  scores: readonly number[],
  epsilon: number,
  sensitivity: number,
  random: () => number,
): number {
  const logits = scores.map((score) => (0.5 * epsilon * score) / sensitivity);
  const max = Math.max(...logits);
  const weights = logits.map((logit) => Math.exp(logit - max));
  let total = 0;
  for (const weight of weights) total += weight;
  let target = random() * total;
  for (let index = 0; index < weights.length; index++) {
    target -= weights[index]!;
    if (target < 0) return index;
  }
  return weights.length - 1;
}
