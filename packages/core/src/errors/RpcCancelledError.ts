import { RpcError } from './RpcError';

/**
 * Raised by what was cancelled before it completed: the `result` of a `ScheduledTask` whose
 * `cancel()` stopped it before it ran (or stopped a periodic schedule).
 */
export class RpcCancelledError extends RpcError {
  override readonly code = 'RPC_CANCELLED' as const;
}
