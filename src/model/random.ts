/** A small seeded random generator: weights of a created model depend only on the seed. */

/** mulberry32: fast, 32-bit state, good enough for random weights. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

/** Derives an independent seed for a numbered stream from a base seed. */
export function deriveSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
