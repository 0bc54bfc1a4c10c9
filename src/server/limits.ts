import { RetryableError } from "./errors.js";

/**
 * A token bucket per key: `perMinute` requests a minute on average, bursts up to `burst`.
 * In memory, per instance: behind a load balancer each instance limits on its own.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly burst = Math.max(1, Math.ceil(perMinute / 6)),
  ) {}

  /** Takes one token for `key` or throws a 429 error saying when to retry. */
  take(key: string, now = Date.now()): void {
    if (this.perMinute <= 0) return;
    const rate = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updated: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.updated) * rate);
    bucket.updated = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      const wait = Math.ceil((1 - bucket.tokens) / rate / 1000);
      throw new RetryableError(
        "rate_limited",
        `rate limit of ${this.perMinute} requests a minute exceeded; retry in ${wait} s`,
        wait,
      );
    }
    bucket.tokens -= 1;
  }
}

/**
 * How many replies are generated at once, and how many wait: a reply beyond `concurrency +
 * queue` is refused with a 503 and `Retry-After` rather than left to time out.
 */
export class ReplyPool {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly queue: number,
  ) {}

  get inFlight(): number {
    return this.active + this.waiting.length;
  }

  /** Runs `task` when a slot is free; throws a 503 error at once when the queue is full. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) {
      if (this.waiting.length >= this.queue)
        throw new RetryableError(
          "unavailable",
          `the server is answering ${this.active} replies with ${this.waiting.length} waiting; retry shortly`,
          1,
        );
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else {
        this.active--;
        if (this.active === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      }
    }
  }

  /** Resolves once nothing runs or waits. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

/** Runs tasks for one key one after another (one session's messages are answered in order). */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => {});
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** Counts work in progress (requests, streamed replies), so a shutdown can wait for it. */
export class ActivityTracker {
  private active = 0;
  private waiters: (() => void)[] = [];

  async run<T>(task: () => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      if (this.active === 0) for (const resolve of this.waiters.splice(0)) resolve();
    }
  }

  get count(): number {
    return this.active;
  }

  /** Resolves once nothing is in progress. */
  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
