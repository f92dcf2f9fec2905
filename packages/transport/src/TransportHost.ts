import type { Clock, Codec, Logger, RemoteErrorStacks } from '@nact-rpc/core';
import type { PendingCalls } from '@nact-rpc/core/internal';
import type { Association } from './association/Association';
import type { HandshakeRequestMessage, RequestMessage } from './wire/WireMessage';

/**
 * What the transport needs from the service that owns it: who it is, how values are
 * encoded, where answers to its asks go, and where requests from peers are delivered.
 */
export interface TransportHost {
  readonly serviceName: string;
  /** A random id of this run of the service. */
  readonly incarnation: string;
  readonly codec: Codec;
  readonly logger: Logger;
  /** Where the transport reads the time and sets its timers (heartbeats, deadlines, backoff). */
  readonly clock: Clock;
  /** The service's table of pending asks: answers that arrive on associations complete it. */
  readonly pendingCalls: PendingCalls;
  /** Which peers the errors the transport answers with keep their stacks for. Default `'loopback'`. */
  readonly remoteErrorStacks?: RemoteErrorStacks | undefined;
  /** A peer calls an endpoint of this service. */
  onRequest(association: Association, request: RequestMessage): void;
  /** A peer connects a gateway to an endpoint of this service. */
  onHandshake(association: Association, handshake: HandshakeRequestMessage): void;
}
