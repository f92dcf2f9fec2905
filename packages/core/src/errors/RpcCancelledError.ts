import { RpcError } from './RpcError';

/**
 * Raised by what was cancelled before it completed: an ask whose `AbortSignal` (see
 * `withCallOptions`) aborted before its answer came (the error's `cause` is the signal's
 * reason), or the `result` of a `ScheduledTask` whose `cancel()` stopped it before it ran (or
 * stopped a periodic schedule).
 */
export class RpcCancelledError extends RpcError {
  override readonly code = 'RPC_CANCELLED' as const;
}
