/** Random weights: a created model depends only on the seed. */
export { createRandom, deriveSeed } from "../util/random.js";

/** Fills `out` with normal samples of mean `mean` and standard deviation `std` (Box-Muller). */
export function fillNormal(out: Float32Array, random: () => number, std: number, mean = 0): Float32Array {
  for (let i = 0; i < out.length; i += 2) {
    const u = 1 - random();
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u)) * std;
    out[i] = mean + r * Math.cos(2 * Math.PI * v);
    if (i + 1 < out.length) out[i + 1] = mean + r * Math.sin(2 * Math.PI * v);
  }
  return out;
}
