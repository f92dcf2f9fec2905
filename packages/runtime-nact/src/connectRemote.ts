import {
  HandshakeError,
  isRpcError,
  RpcConnectionError,
  type AnyProtocol,
  type FencingToken,
  type GatewayOf,
  type RpcAddress,
} from '@nact-rpc/core';
import { protocolIdentity, RPC_VERSION } from '@nact-rpc/core/internal';
import { gatewayFor } from './gatewayFor';
import type { RuntimeContext } from './RuntimeContext';
import { RemoteInvoker, type Association, type TcpTransport, type TransportHost } from '@nact-rpc/transport/internal';

/**
 * Connects a gateway to an endpoint of another service: opens (or reuses) the association
 * with that service, checks that it is the service the address names, performs the
 * endpoint handshake over it, and returns a gateway whose calls travel on it.
 *
 * @throws RpcConnectionError if the service cannot be reached, is another service, or has no
 *   such endpoint; HandshakeError if the endpoint refuses the protocol or fencing mode.
 */
export async function connectRemote(
  host: TransportHost,
  transport: TcpTransport,
  address: RpcAddress & { readonly host: string; readonly port: number },
  text: string,
  protocol: AnyProtocol,
  fencingToken: FencingToken | undefined,
  context: RuntimeContext,
): Promise<GatewayOf<AnyProtocol>> {
  const { pendingCalls, codec } = host;
  const peer = transport.peer(address.host, address.port, address.tls === true);
  const target = `handshake ${protocol.name}`;
  /** Sends the endpoint handshake on `association` (via the peer's queue if none is given). */
  const handshake = async (association?: Association): Promise<string> => {
    const { callId, promise } = pendingCalls.register({ target, recipient: text, timeoutMs: undefined, codec });
    let reached = '';
    const send = (opened: Association): void => {
      const hello = opened.getPeer();
      if (hello?.serviceName !== address.serviceName) {
        const message = `${address.host}:${address.port} is service ${hello?.serviceName}, not ${address.serviceName}.`;
        pendingCalls.fail(callId, new RpcConnectionError(message));
        return;
      }
      reached = hello.incarnation;
      opened.sendHandshake(callId, address.endpointId, {
        protocol: protocolIdentity(protocol),
        rpcVersion: RPC_VERSION,
        fenced: fencingToken !== undefined,
      });
    };
    if (association !== undefined) send(association);
    else peer.send({ callId, target, send, fail: (error) => pendingCalls.fail(callId, error) });
    try {
      await promise;
    } catch (error) {
      if (error instanceof HandshakeError) throw error;
      const reason = isRpcError(error) || error instanceof Error ? error.message : String(error);
      throw new RpcConnectionError(`Could not connect to ${text}: ${reason}`, { cause: error });
    }
    return reached;
  };
  const incarnation = await handshake();
  const invoker = new RemoteInvoker(
    host,
    {
      peer,
      address: text,
      hostname: address.host,
      endpointId: address.endpointId,
      protocolName: protocol.name,
      fencingToken,
      incarnation,
      rehandshake: handshake,
    },
    transport.options.maxFrameSize,
  );
  return gatewayFor(context, protocol, invoker);
}
