import { RpcError } from './RpcError';

/**
 * Raised to a call refused by a fenced endpoint: the caller's fencing token differs from the
 * endpoint's current one, the endpoint holds no token (it is not the leader), or the call carried
 * no token at all. The call did not run.
 */
export class FencingTokenError extends RpcError {
  override readonly code = 'FENCING_TOKEN' as const;
}
