import { RpcConnectionError } from './RpcConnectionError';

/**
 * Raised by `connect` when the endpoint refuses the handshake: it does not implement the requested
 * protocol, implements a different version of it, expects (or does not expect) fencing, or runs
 * another RPC version. The message says what differs.
 */
export class HandshakeError extends RpcConnectionError {
  override readonly code = 'HANDSHAKE' as const;
}
