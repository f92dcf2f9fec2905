import { RpcError, type RpcErrorOptions } from './RpcError';

/** What an {@link RpcTimeoutError} says about the call that timed out. */
export interface RpcTimeoutErrorOptions extends RpcErrorOptions {
  /** The timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;
  /**
   * The stack of the code that made the call, captured when it was made. The error's own
   * stack would only show the timer that fired.
   */
  readonly callerStack?: string | undefined;
}

/**
 * Raised when an ask was not answered within its timeout. The call may or may not have run:
 * delivery is at most once. Its stack is the caller's (the async functions awaiting the call, or
 * the synchronous call site when the service captures it), so the failing call can be found.
 */
export class RpcTimeoutError extends RpcError {
  override readonly code = 'RPC_TIMEOUT' as const;
  /** The timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;
  /** Whether {@link RpcTimeoutError.stack} already shows the caller's frames. */
  hasCallerStack = false;

  constructor(message: string, options: RpcTimeoutErrorOptions) {
    super(message, options);
    this.timeoutMs = options.timeoutMs;
    if (options.callerStack !== undefined) this.useCallerStack(options.callerStack);
  }

  /**
   * Replaces the error's frames (which only show the timer that fired) with those of `stack`,
   * a stack captured where the call was made or awaited; the header line stays.
   */
  useCallerStack(stack: string): void {
    const frames = stack.slice(stack.indexOf('\n') + 1);
    this.stack = `${this.name}: ${this.message}\n${frames}`;
    this.hasCallerStack = true;
  }
}
