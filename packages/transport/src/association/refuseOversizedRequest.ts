import { RpcSerializationError } from '@nact-rpc/core';
import type { TransportHost } from '../TransportHost';
import type { AssociationEvents } from './AssociationSetup';

/**
 * Refuses a request frame larger than the peer accepts (`size` over `peer.maxFrameSize`), which
 * is then not written: an ask fails with an `RpcSerializationError` naming the request, its
 * size and the limit; a tell is reported as dropped (`unsendable`), or logged if nobody counts
 * drops.
 */
export function refuseOversizedRequest(
  request: { readonly callId: number; readonly size: number; readonly target: string },
  peer: { readonly maxFrameSize: number; readonly name: string },
  host: TransportHost,
  events: AssociationEvents,
): void {
  const { callId, size, target } = request;
  const overLimit = `is ${size} bytes, over the maximum frame size of ${peer.maxFrameSize} bytes`;
  if (callId !== 0) {
    host.pendingCalls.fail(callId, new RpcSerializationError(`The request ${target} ${overLimit} of ${peer.name}.`));
  } else {
    const line = `Dropped tell ${target} to ${peer.name}: the request ${overLimit} it accepts.`;
    if (events.tellDropped === undefined) host.logger.error(line);
    else events.tellDropped('unsendable', line);
  }
}
