import { isRpcError } from '@nact-rpc/core';

/** What a process's {@link CallLedger} counted. */
export interface CallCounts {
  /** Asks made to another process. */
  readonly made: number;
  /** Asks that got an answer. */
  readonly answered: number;
  /** Asks refused by a fenced endpoint with `FencingTokenError`: stale-token calls. */
  readonly refused: number;
  /** Asks that ended with any other error: the callee's, or the RPC layer's (unreachable, timeout, …). */
  readonly failed: number;
  /** Asks that have not ended yet. */
  readonly pending: number;
}

/**
 * Counts the asks one process makes to others, and how each ended. Every call of the cluster
 * example that crosses processes goes through {@link CallLedger.track}, so that the summary
 * counts them all, and counts as lost those that never ended.
 */
export class CallLedger {
  private made = 0;
  private answered = 0;
  private refused = 0;
  private failed = 0;
  private readonly settledWaiters: (() => void)[] = [];

  /** Counts `call`, and how it ends; returns it unchanged. */
  track<T>(call: Promise<T>): Promise<T> {
    this.made++;
    call.then(
      () => this.settle('answered'),
      (error: unknown) => this.settle(isRpcError(error, 'FENCING_TOKEN') ? 'refused' : 'failed'),
    );
    return call;
  }

  /** The counts so far. */
  counts(): CallCounts {
    const { made, answered, refused, failed } = this;
    return { made, answered, refused, failed, pending: made - answered - refused - failed };
  }

  /** Settles when no ask is pending, or after `timeoutMs`, whichever comes first. */
  drained(timeoutMs: number): Promise<void> {
    if (this.counts().pending === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.settledWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private settle(outcome: 'answered' | 'refused' | 'failed'): void {
    this[outcome]++;
    if (this.counts().pending > 0) return;
    for (const waiter of this.settledWaiters.splice(0)) waiter();
  }
}
