import {
  HandshakeError,
  RecipientUnreachableError,
  type Codec,
  type Clock,
  type Logger,
  type RemoteErrorStacks,
} from '@nact-rpc/core';
import {
  sendsErrorStacks,
  type CallInfo,
  type PendingCalls,
  type RpcMessage,
  type SerializedInvocationMessage,
} from '@nact-rpc/core/internal';
import type {
  Association,
  HandshakeRequestMessage,
  RequestMessage,
  TransportHost,
  WireCallInfo,
} from '@nact-rpc/transport/internal';
import { InboundBackpressure } from './InboundBackpressure';
import type { NactRpcServer } from './NactRpcServer';
import type { ServiceLogs } from './ServiceLogs';
import { preciseNow } from './telemetry/Telemetry';

/**
 * Delivers what peers send over associations to this service's endpoints: requests become
 * invocation messages (fenced when they carry a token) whose answers go back on the same
 * association, serialized (their errors with stacks only if the `remoteErrorStacks` option
 * sends them to that peer); handshakes are answered like local ones, and a malformed
 * handshake at once with a `HandshakeError` naming the malformed field. A request for an
 * endpoint that is not there is answered at once with `RecipientUnreachableError`; a tell for
 * one is dropped and logged, and so is a malformed handshake, through the service's throttled
 * logs ({@link ServiceLogs}): a peer that sends many of them (one whose endpoint is gone, or a hostile one) does not
 * flood the log. A request that leaves its endpoint's mailbox over `maxInboundBacklog` stops
 * the reading of its association until that mailbox has drained ({@link InboundBackpressure}).
 *
 * It is the service's {@link TransportHost}, the object the service hands to its transport,
 * so that the service itself does not expose the transport's callbacks and fields.
 */
export class InboundRequests implements TransportHost {
  readonly serviceName: string;
  readonly incarnation: string;
  readonly codec: Codec;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly pendingCalls: PendingCalls;
  readonly remoteErrorStacks: RemoteErrorStacks;
  private readonly backpressure: InboundBackpressure;
  private readonly maxInboundBacklog: number;

  /**
   * @param service - Who the service is, for the transport.
   * @param lookup - Finds the server of an endpoint id.
   * @param logs - Where dropped tells and malformed handshakes are logged, throttled.
   * @param maxInboundBacklog - The `transport.maxInboundBacklog` option.
   * @param tracing - Whether the service traces calls: requests then carry when they were queued.
   */
  constructor(
    service: Omit<TransportHost, 'onRequest' | 'onHandshake'>,
    private readonly lookup: (endpointId: string) => NactRpcServer | undefined,
    private readonly logs: Pick<ServiceLogs, 'droppedTells' | 'malformedHandshakes'>,
    maxInboundBacklog: number,
    private readonly tracing = false,
  ) {
    this.maxInboundBacklog = maxInboundBacklog;
    this.backpressure = new InboundBackpressure(maxInboundBacklog);
    this.serviceName = service.serviceName;
    this.incarnation = service.incarnation;
    this.codec = service.codec;
    this.logger = service.logger;
    this.clock = service.clock;
    this.pendingCalls = service.pendingCalls;
    this.remoteErrorStacks = service.remoteErrorStacks ?? 'loopback';
  }

  onRequest(association: Association, request: RequestMessage): void {
    const replyTo = request.callId === 0 ? undefined : association.inboundAsk(request.callId);
    const invocation: SerializedInvocationMessage = {
      kind: 'invokeSerialized',
      protocol: request.protocol,
      method: request.method,
      encodedArgs: request.args,
      replyTo,
      errorStacks: sendsErrorStacks(this.remoteErrorStacks, association.peer.isLoopback()),
      call: request.call === undefined && !this.tracing ? undefined : this.callInfo(association, request.call),
    };
    const message: RpcMessage =
      request.fencingToken === undefined
        ? invocation
        : { kind: 'fenced', token: request.fencingToken, payload: invocation };
    const server = this.lookup(request.endpointId);
    if (server?.post(message, true) === true) {
      if (server.backlog.size > this.maxInboundBacklog) this.backpressure.overLimit(server, association);
      return;
    }
    const what = `${replyTo === undefined ? 'tell' : 'ask'} ${request.protocol}.${request.method}`;
    if (replyTo === undefined) {
      this.logs.droppedTells.write(
        `Dropped tell ${request.protocol}.${request.method} from ${association.describePeer()}: service ${this.serviceName} ` +
          `has no endpoint ${request.endpointId} (it was never started, or has terminated).`,
      );
    } else {
      // Through the ask's own reply address, so that it leaves the association's table of asks.
      replyTo.refuse(this.unreachable(request.endpointId, what));
    }
  }

  onHandshake(association: Association, handshake: HandshakeRequestMessage): void {
    const replyTo = { sink: association.plainReplies, callId: handshake.callId };
    if (handshake.problem !== undefined) {
      // Malformed details: refused here, naming the field, and never handed to an endpoint.
      const error = new HandshakeError(
        `Handshake with endpoint ${handshake.endpointId} of service ${this.serviceName} failed: ` +
          `the handshake is malformed: ${handshake.problem}.`,
      );
      this.logs.malformedHandshakes.write(
        `Refused a malformed handshake from ${association.describePeer()}: ${handshake.problem}.`,
      );
      association.plainReplies.complete(replyTo.callId, { ok: false, error });
      return;
    }
    const posted = this.lookup(handshake.endpointId)?.post({
      kind: 'handshake',
      protocol: handshake.protocol,
      rpcVersion: handshake.rpcVersion,
      fenced: handshake.fenced,
      replyTo,
    });
    if (posted !== true) {
      const error = this.unreachable(handshake.endpointId, `the handshake for ${handshake.protocol.name}`);
      association.plainReplies.complete(replyTo.callId, { ok: false, error });
    }
  }

  /**
   * What a request carries besides its arguments, on this side's clock: its deadline is now plus
   * the time the caller had left. When this service traces calls, also when it was queued and
   * who sent it.
   */
  private callInfo(association: Association, call: WireCallInfo | undefined): CallInfo {
    const deadlineMs = call?.deadlineMs;
    const info: CallInfo = {
      deadline: deadlineMs === undefined ? undefined : this.clock.now() + deadlineMs,
      metadata: call?.metadata,
      traceparent: call?.traceparent,
      tracestate: call?.tracestate,
    };
    return this.tracing ? { ...info, queuedAt: preciseNow(), peer: association.describePeer() } : info;
  }

  private unreachable(endpointId: string, what: string): RecipientUnreachableError {
    return new RecipientUnreachableError(
      `Service ${this.serviceName} has no endpoint ${endpointId} (it was never started, or has terminated); ${what} did not run.`,
    );
  }
}
