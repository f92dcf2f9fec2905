import { RpcError } from './RpcError';

/**
 * Raised to an ask that reaches an endpoint which is not started (before `start()` or after a stop).
 * The call did not run.
 */
export class EndpointNotStartedError extends RpcError {
  override readonly code = 'ENDPOINT_NOT_STARTED' as const;
}
