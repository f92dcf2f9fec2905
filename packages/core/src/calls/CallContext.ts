/**
 * What an endpoint's method knows of the call it is serving: read it with
 * `RpcEndpoint.getCallContext()` at the start of the method (before its first `await`) and keep
 * it as long as the method runs.
 *
 * @example
 * ```ts
 * async report(jobId: string): Promise<Report> {
 *   const { signal, metadata } = this.getCallContext();
 *   return this.builder.build(jobId, { tenant: metadata['tenant'], signal });
 * }
 * ```
 */
export interface CallContext {
  /** The protocol of the method called. */
  readonly protocol: string;
  /** The method called. */
  readonly method: string;
  /** Whether the call is an ask (answered) or a tell. */
  readonly kind: 'ask' | 'tell';
  /**
   * Aborts when the caller no longer waits for the answer: it cancelled the call, its timeout
   * or deadline passed, or its connection ended. A method that runs long checks it and stops;
   * its answer would be dropped anyway. A tell's signal never aborts.
   */
  readonly signal: AbortSignal;
  /**
   * The call's deadline, in milliseconds of this service's clock, if it has one. The calls the
   * method makes inherit it (see `CallOptions.inheritDeadline`).
   */
  readonly deadline: number | undefined;
  /** The caller's metadata; empty when it sent none. */
  readonly metadata: Readonly<Record<string, string>>;
}
