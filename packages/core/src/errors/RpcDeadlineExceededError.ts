import { RpcError } from './RpcError';

/**
 * Raised by a serving side that refuses to start a call whose deadline has passed: the call
 * waited in the endpoint's mailbox (or on the wire) until no time was left. The method did not
 * run. The caller usually sees its own `RpcTimeoutError` first; this error reaches it when the
 * serving side noticed before the caller's timer fired.
 */
export class RpcDeadlineExceededError extends RpcError {
  override readonly code = 'RPC_DEADLINE_EXCEEDED' as const;
}
