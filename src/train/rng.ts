/**
 * A seeded random generator whose whole state is one 32-bit number (mulberry32), so a checkpoint
 * can store it and a resumed run draws exactly the same numbers.
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
