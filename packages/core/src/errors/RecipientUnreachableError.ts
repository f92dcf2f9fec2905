import { RpcError } from './RpcError';

/**
 * Raised when a call cannot reach its recipient, or its answer cannot come back: the endpoint has
 * terminated, is not registered, or the connection to its service was lost. It is raised as
 * soon as that is known, never after waiting for the call's timeout.
 */
export class RecipientUnreachableError extends RpcError {
  override readonly code = 'RECIPIENT_UNREACHABLE' as const;
}
