/**
 * Seeded randomness for everything that must be reproducible byte for byte: the scripted
 * patient, synthetic data, random model weights, the trainer (whose checkpoints store a
 * generator's state). Never `Math.random`. One generator, mulberry32, behind all of it.
 */

/**
 * A seeded generator whose whole state is one 32-bit number (mulberry32), so a checkpoint can
 * store it and a resumed run draws exactly the same numbers.
 */
export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** The state, for checkpoints. */
  get state(): number {
    return this.s;
  }

  set state(value: number) {
    this.s = value >>> 0;
  }

  /** A bound `next`, for APIs that take a `() => number`. */
  get fn(): () => number {
    return () => this.next();
  }
}

/** A mulberry32 generator seeded with `seed`, returning numbers in [0, 1) (an {@link Rng}'s `fn`). */
export function createRandom(seed: number): () => number {
  return new Rng(seed).fn;
}

/** FNV-1a hash of a string, for seeding from text. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Derives an independent seed for a numbered stream from a base seed. */
export function deriveSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A random element, or undefined for an empty list. */
export function pick<T>(random: () => number, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(random() * items.length)];
}

/** Fisher-Yates shuffle of 0..n-1 with a generator seeded by `seed`. */
export function permutation(n: number, seed: number): number[] {
  const rng = new Rng(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}

/**
 * A dropout keep mask of `length` elements (1 = keep, with probability 1 − p), from one draw of
 * `random` as the seed of a xorshift32 stream that gives two 16-bit uniforms per step. The
 * caller's generator (checkpointed) advances by one draw per mask, so a resumed run draws the
 * same masks; the bulk runs at integer speed (~1 ns per element) instead of one float draw each.
 * p is resolved to 1/65536.
 */
export function dropoutBits(length: number, p: number, random: () => number): Uint8Array {
  const bits = new Uint8Array(length);
  const threshold = Math.round(p * 65536);
  let s = Math.floor(random() * 4294967296) | 0 || 0x9e3779b9;
  let i = 0;
  for (; i + 1 < length; i += 2) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    bits[i] = (s & 0xffff) >= threshold ? 1 : 0;
    bits[i + 1] = s >>> 16 >= threshold ? 1 : 0;
  }
  if (i < length) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    bits[i] = (s & 0xffff) >= threshold ? 1 : 0;
  }
  return bits;
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
