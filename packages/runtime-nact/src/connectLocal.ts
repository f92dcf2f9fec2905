import {
  RpcConnectionError,
  type AnyProtocol,
  type FencedConnectOptions,
  type FencingToken,
  type GatewayOf,
  type RpcAddress,
} from '@nact-rpc/core';
import { gatewayFor } from './gatewayFor';
import { handshakeLocal } from './handshakeLocal';
import { LocalInvoker } from './LocalInvoker';
import type { NactRpcServer } from './NactRpcServer';
import type { RuntimeContext } from './RuntimeContext';

/**
 * Connects a gateway to an endpoint of the same service, the counterpart of `connectRemote`:
 * performs the endpoint handshake through its mailbox, and returns a gateway whose calls are
 * posted to that mailbox, never serialized unless the service forces it.
 *
 * @param server - The live endpoint `address` names, if there is one.
 * @param text - The address as the caller wrote it, for messages.
 * @param options - Given for a fenced gateway: its calls carry `options.fencingToken`.
 * @throws RpcConnectionError if there is no such live endpoint, or the handshake fails;
 *   HandshakeError if the endpoint refuses the protocol or fencing mode.
 */
export async function connectLocal(
  context: RuntimeContext,
  server: NactRpcServer | undefined,
  address: RpcAddress,
  text: string,
  protocol: AnyProtocol,
  options: FencedConnectOptions<FencingToken> | undefined,
): Promise<GatewayOf<AnyProtocol>> {
  if (server === undefined) {
    throw new RpcConnectionError(
      `Could not connect to ${text}: service ${address.serviceName} has no endpoint ${address.endpointId} ` +
        `(it was never started, or has terminated).`,
    );
  }
  const fenced = options !== undefined;
  await handshakeLocal(context.pendingCalls, server, protocol, fenced);
  const token = options?.fencingToken;
  const invoker = new LocalInvoker(context, server, protocol.name, fenced ? () => token : undefined);
  return gatewayFor(context, protocol, invoker);
}
