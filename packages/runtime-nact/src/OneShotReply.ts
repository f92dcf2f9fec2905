import type { Outcome, ReplySink, ReplyTo } from '@nact-rpc/core/internal';

/**
 * A reply address for a single answer without a timeout, used for lifecycle commands
 * (`start` may take as long as `onStart` does). The promise is marked handled, so a caller
 * that ignores it does not crash the process with an unhandled rejection.
 */
export class OneShotReply implements ReplySink {
  readonly promise: Promise<void>;
  readonly replyTo: ReplyTo = { sink: this, callId: 0 };
  private settle!: (outcome: Outcome) => void;

  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.settle = (outcome) => (outcome.ok ? resolve() : reject(outcome.error));
    });
    markHandled(this.promise);
  }

  complete(_callId: number, outcome: Outcome): void {
    this.settle(outcome);
  }
}

/**
 * Marks a promise as handled: its rejection stays visible to whoever awaits it, but an
 * unobserved rejection no longer counts as unhandled. For futures that report failures
 * which are also logged or reported elsewhere (termination futures, `start()`).
 */
export function markHandled(promise: Promise<unknown>): void {
  promise.catch(ignoreRejection);
}

function ignoreRejection(): void {
  // The rejection is observed through the promise itself; this handler only marks it handled.
}
