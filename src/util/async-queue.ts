/**
 * Turns callback-style streaming (node-llama-cpp's `onTextChunk`) into an async iterable.
 * `push` values, then `end()` or `fail(error)`; iteration finishes after the last value.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly values: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private rejectWaiting: ((error: unknown) => void) | undefined;
  private ended = false;
  private error: unknown;
  private failed = false;

  push(value: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.rejectWaiting = undefined;
      resolve({ value, done: false });
    } else this.values.push(value);
  }

  end(): void {
    this.ended = true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.rejectWaiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  fail(error: unknown): void {
    this.failed = true;
    this.error = error;
    this.ended = true;
    if (this.rejectWaiting) {
      const reject = this.rejectWaiting;
      this.waiting = this.rejectWaiting = undefined;
      reject(error);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const value = this.values.shift();
        if (value !== undefined) return Promise.resolve({ value, done: false });
        if (this.failed) return Promise.reject(this.error);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waiting = resolve;
          this.rejectWaiting = reject;
        });
      },
    };
  }
}
