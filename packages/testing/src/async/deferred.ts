/** A promise with its resolve and reject functions: a test settles it by hand. */
export interface Deferred<T> {
  /** The promise, settled by {@link Deferred.resolve} or {@link Deferred.reject}. */
  readonly promise: Promise<T>;
  /** Resolves {@link Deferred.promise} with `value` (nothing happens once it has settled). */
  resolve(value: T): void;
  /** Rejects {@link Deferred.promise} with `error` (nothing happens once it has settled). */
  reject(error: unknown): void;
}

/**
 * Creates a {@link Deferred}: a promise the test settles when it chooses, for an endpoint
 * method, a stub or a connect hook that should wait until then.
 *
 * @example
 * ```ts
 * const release = deferred();
 * const stub = new StubGateway(JobsProtocol, { status: () => release.promise.then(() => 'done') });
 * ```
 */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
