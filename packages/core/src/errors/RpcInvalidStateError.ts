import { RpcError } from './RpcError';

/**
 * Raised by an operation that is not allowed in the current state: an invalid lifecycle
 * transition (for example starting a terminating endpoint), using a closed service, registering a
 * duplicate endpoint id, or calling main-thread-only code from outside the main thread.
 */
export class RpcInvalidStateError extends RpcError {
  override readonly code = 'RPC_INVALID_STATE' as const;
}
