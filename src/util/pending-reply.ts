/**
 * A promise with its resolve and reject, for a reply that a stream settles when it ends (Node 20
 * has no `Promise.withResolvers`). No imports: the browser client uses it too. A rejection is also
 * surfaced by the stream, so an unawaited one is not reported as unhandled.
 */
export function pendingReply<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}
