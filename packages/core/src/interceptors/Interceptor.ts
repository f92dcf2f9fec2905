/**
 * A call as the calling side's interceptors see it, before it is sent. Interceptors may add to
 * its {@link metadata}; the rest is read-only.
 */
export interface OutgoingCall {
  /** The protocol of the method called. */
  readonly protocol: string;
  /** The method called. */
  readonly method: string;
  /** Whether the call is an ask (answered) or a tell. */
  readonly kind: 'ask' | 'tell';
  /** The address of the endpoint called. */
  readonly address: string;
  /** The call's arguments, as given. */
  readonly args: readonly unknown[];
  /** The metadata the call will carry: the caller's, and what interceptors add here. */
  readonly metadata: Record<string, string>;
  /** The call's deadline, in milliseconds of the calling service's clock, if it has one. */
  readonly deadline: number | undefined;
}

/**
 * Wraps the calls a service's gateways make, asks and tells. It runs before the call is sent,
 * calls `next()` to send it (at most once), and returns what `next()` resolves to, or something
 * else: it sees the result or the error, and how long it took. Throwing (or rejecting) without
 * calling `next()` refuses the call, which fails with that error; a refused tell is logged and
 * dropped. `next()` of a tell resolves once the tell is sent.
 *
 * @example
 * ```ts
 * const timing: CallInterceptor = async (call, next) => {
 *   const started = performance.now();
 *   try { return await next(); }
 *   finally { log(`${call.protocol}.${call.method} took ${performance.now() - started} ms`); }
 * };
 * ```
 */
export type CallInterceptor = (call: OutgoingCall, next: () => Promise<unknown>) => Promise<unknown>;

/** A call as the serving side's interceptors see it, before the endpoint's method runs. */
export interface IncomingCall {
  /** The protocol of the method called. */
  readonly protocol: string;
  /** The method called. */
  readonly method: string;
  /** Whether the call is an ask (answered) or a tell. */
  readonly kind: 'ask' | 'tell';
  /** The id of the endpoint that serves it. */
  readonly endpointId: string;
  /** The call's arguments (decoded, for a call from another process). */
  readonly args: readonly unknown[];
  /** The caller's metadata; empty when it sent none. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The call's deadline, in milliseconds of this service's clock, if it has one. */
  readonly deadline: number | undefined;
}

/**
 * Wraps the calls a service's endpoints serve, in the endpoint's main thread. It runs before
 * the method and calls `next()` to run it; `next()` returns what the method returns (a value, or
 * a promise for an async method), and the interceptor returns that, or something else, which
 * becomes the answer. Throwing refuses the call before the method runs: the caller receives the
 * error (`RpcPermissionDeniedError` says why in a stable code). `next()` must be called in the
 * interceptor's synchronous part, before any `await`, because the method must run in its
 * endpoint's main thread; a later call throws `RpcInvalidStateError`.
 *
 * @example
 * ```ts
 * const onlyTenants: ServeInterceptor = (call, next) => {
 *   if (call.metadata['tenant'] === undefined) throw new RpcPermissionDeniedError(`${call.method} needs a tenant`);
 *   return next();
 * };
 * ```
 */
export type ServeInterceptor = (call: IncomingCall, next: () => unknown) => unknown;

/** The interceptors of a service: those of the calls it makes, and those of the calls it serves. */
export interface Interceptors {
  /** Wrap every call the service's gateways make, the first given outermost. */
  readonly calls?: readonly CallInterceptor[] | undefined;
  /** Wrap every call the service's endpoints serve, the first given outermost. */
  readonly serves?: readonly ServeInterceptor[] | undefined;
}
