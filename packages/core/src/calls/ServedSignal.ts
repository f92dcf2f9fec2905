/**
 * The signal a served call's method reads to learn that its caller gave up (see
 * `CallContext.signal`), made only when the method first reads it: an `AbortController` costs
 * more than the rest of a local call, and most methods never read their signal. A call given up
 * on before its method reads the signal records why, and the signal is made aborted, with that
 * reason, when the method reads it.
 */
export class ServedSignal {
  private controller: AbortController | undefined;
  private aborted = false;
  private reason: unknown;

  /** The call's signal, made on first use; the same signal at every later use. */
  signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** The caller gave up on the call for `reason`: the signal aborts, or is made aborted. Only the first reason counts. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}
