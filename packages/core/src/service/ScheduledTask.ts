/**
 * A handle on work scheduled for later (Flink's `ScheduledFuture`): it cancels the work, and
 * its {@link ScheduledTask.result} settles with what the work gave.
 *
 * For a periodic schedule (`scheduleAtFixedRate`, `scheduleWithFixedDelay`), `result` never
 * resolves: it rejects when the schedule stops, with the error of a run that failed, with
 * `RpcCancelledError` once cancelled, with `FencingTokenError` when the fencing token it was
 * scheduled under was replaced, or with `RecipientUnreachableError` when the endpoint
 * terminated.
 */
export interface ScheduledTask<TResult = unknown> {
  /**
   * Cancels the work if it has not started yet (for a periodic schedule: stops the runs to
   * come; one running now finishes).
   * @returns `true` if this call cancelled it, `false` if it had already run, stopped or been
   *   cancelled.
   */
  cancel(): boolean;
  /**
   * Settles when the work is done: with its result (awaited if it is a promise), or rejected
   * with the error it threw, `RpcCancelledError` if it was cancelled, `FencingTokenError` if
   * the endpoint's fencing token changed before it ran, or `RecipientUnreachableError` if the
   * endpoint (or service) closed before it ran. A rejection nobody awaits is not reported as
   * unhandled: the error of the work itself is logged either way.
   */
  readonly result: Promise<TResult>;
}
