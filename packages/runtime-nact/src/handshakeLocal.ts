import {
  HandshakeError,
  isRpcError,
  RecipientUnreachableError,
  RpcConnectionError,
  type AnyProtocol,
} from '@nact-rpc/core';
import { protocolIdentity, RPC_VERSION, type PendingCalls } from '@nact-rpc/core/internal';
import type { NactRpcServer } from './NactRpcServer';

/**
 * The handshake of `connect` with an endpoint of the same service: a message through the
 * endpoint's mailbox (answered in every state, never fenced), bounded by the service's
 * default ask timeout.
 *
 * @throws HandshakeError if the endpoint refuses the protocol or fencing mode;
 *   RpcConnectionError for any other failure (terminated endpoint, timeout), with it as `cause`.
 */
export async function handshakeLocal(
  pendingCalls: PendingCalls,
  server: NactRpcServer,
  protocol: AnyProtocol,
  fenced: boolean,
): Promise<void> {
  const { callId, promise } = pendingCalls.register({
    target: `handshake ${protocol.name}`,
    recipient: server.address,
    timeoutMs: undefined,
  });
  const posted = server.post({
    kind: 'handshake',
    protocol: protocolIdentity(protocol),
    rpcVersion: RPC_VERSION,
    fenced,
    replyTo: { sink: pendingCalls, callId },
  });
  if (!posted)
    pendingCalls.fail(callId, new RecipientUnreachableError(`The endpoint at ${server.address} has terminated.`));
  try {
    await promise;
  } catch (error) {
    if (error instanceof HandshakeError) throw error;
    const reason = isRpcError(error) ? error.message : String(error);
    throw new RpcConnectionError(`Could not connect to ${server.address}: ${reason}`, { cause: error });
  }
}
