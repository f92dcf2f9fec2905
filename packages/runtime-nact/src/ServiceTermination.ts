import { RpcInvalidStateError } from '@nact-rpc/core';
import { markHandled } from './OneShotReply';

/**
 * Whether a service is closing, and the future that settles once it has closed. Apart from
 * the close sequence ({@link shutDownService}) because the service refuses new work from the
 * moment closing begins, not from when the sequence ends.
 */
export class ServiceTermination {
  /**
   * Resolves once the service has closed; rejects with what an endpoint's `onStop` threw.
   * Marked handled: a user who never looks at it does not get an unhandled rejection.
   */
  readonly future: Promise<void>;
  private settle!: (failure: unknown) => void;
  private closing = false;
  private readonly closingHooks: (() => void)[] = [];

  constructor(private readonly serviceName: string) {
    this.future = new Promise<void>((resolve, reject) => {
      // The failure is what an endpoint's onStop threw, passed on as it is.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      this.settle = (failure) => (failure === undefined ? resolve() : reject(failure));
    });
    markHandled(this.future);
  }

  /** Whether closing has begun. */
  isClosing(): boolean {
    return this.closing;
  }

  /** Calls `hook` when closing begins (nothing for `undefined`): to stop what the service started beside its parts. */
  whenClosing(hook: (() => void) | undefined): void {
    if (hook !== undefined) this.closingHooks.push(hook);
  }

  /** Marks the service closing: `true` for the first call only, whose caller runs the close sequence. */
  begin(): boolean {
    if (this.closing) return false;
    this.closing = true;
    for (const hook of this.closingHooks) hook();
    return true;
  }

  /** Settles {@link ServiceTermination.future}: it resolves if `failure` is `undefined`, else rejects with it. */
  finish(failure: unknown): void {
    this.settle(failure);
  }

  /**
   * @param operation - What is refused, as in "Cannot `operation`".
   * @throws RpcInvalidStateError once closing has begun.
   */
  ensureOpen(operation: string): void {
    if (this.closing) {
      throw new RpcInvalidStateError(`Cannot ${operation}: service ${this.serviceName} is closed.`);
    }
  }
}
