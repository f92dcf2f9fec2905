import type { Socket } from 'node:net';
import { type EncodedOutcome, type ReplySink, exceedsMaxFrameSize } from '@nact-rpc/core/internal';
import { RpcConnectionError, RpcSerializationError } from '@nact-rpc/core';
import { FrameWriter } from '../framing/FrameWriter';
import { isLoopbackAddress } from '../isLoopbackAddress';
import type { ResolvedTransportOptions } from '../TransportOptions';
import type { TransportHost } from '../TransportHost';
import { encodeHandshake, encodeHello, encodeHelloReject, encodeSignal, requestFrameBytes } from '../wire/wireFormat';
import { WireKind, type HelloBody, type WireMessage } from '../wire/WireMessage';
import { AssociationHeartbeat } from './AssociationHeartbeat';
import { AssociationInbound } from './AssociationInbound';
import { AssociationReplies } from './AssociationReplies';
import { AssociationRetirement } from './AssociationRetirement';
import { checkHello } from './checkHello';
import { InFlightAsks } from './InFlightAsks';

/** Who opened the connection. */
export type AssociationRole = 'outbound' | 'inbound';

/** The lifecycle of an association. */
export type AssociationState = 'opening' | 'open' | 'closed';

/** What an association reports to the transport that owns it. */
export interface AssociationEvents {
  /** The hello exchange succeeded; requests may flow. */
  opened(association: Association): void;
  /** The connection ended, cleanly (`clean`) or not; called once. */
  closed(association: Association, reason: string, clean: boolean): void;
  /** The association takes no new requests (it is retiring); it closes once both sides are done. */
  retiring?(association: Association): void;
}

/**
 * One TCP connection between two services, shared by all their endpoints: the hello
 * exchange (checked by {@link checkHello}), the asks in flight on it, what arrives on it
 * ({@link AssociationInbound}) and the answers it carries back ({@link AssociationReplies});
 * its {@link AssociationHeartbeat} notices a dead peer. When it ends, every ask still in
 * flight on it fails at once with `RecipientUnreachableError`.
 */
export class Association {
  private state: AssociationState = 'opening';
  private readonly writer: FrameWriter;
  private readonly inFlight: InFlightAsks;
  private peer: HelloBody | undefined;
  private readonly heartbeat: AssociationHeartbeat;
  private closeReason: string | undefined;
  private readonly retirement: AssociationRetirement;
  private readonly openWaiters: { resolve: () => void; reject: (error: RpcConnectionError) => void }[] = [];

  /** Where answers to requests whose results the endpoint already encoded go. */
  readonly encodedReplies: ReplySink<EncodedOutcome>;
  /** Where plain answers (handshakes) go; they are encoded here. */
  readonly plainReplies: ReplySink;

  constructor(
    readonly role: AssociationRole,
    private readonly socket: Socket,
    private readonly host: TransportHost,
    private readonly options: ResolvedTransportOptions,
    private readonly localHello: HelloBody,
    private readonly events: AssociationEvents,
    /** Checks a peer's hello: a reason to refuse it, or `undefined`. */
    private readonly validatePeer: (peer: HelloBody) => string | undefined,
  ) {
    this.inFlight = new InFlightAsks(host.pendingCalls);
    this.writer = new FrameWriter(socket, () => this.heartbeat.sent());
    this.heartbeat = new AssociationHeartbeat(this, this.writer, options, host.logger);
    this.retirement = new AssociationRetirement(
      {
        inFlight: () => this.inFlight.size,
        sendGoodbye: () => this.writer.write(encodeSignal(WireKind.Goodbye)),
        finish: (reason) => {
          this.writer.flush();
          this.end(reason, true);
          this.socket.end();
        },
      },
      options.heartbeatIntervalMs,
    );
    const replies = new AssociationReplies(this, this.writer, host);
    this.encodedReplies = replies.encoded;
    this.plainReplies = replies.plain;
    const inbound = new AssociationInbound({
      association: this,
      host,
      writer: this.writer,
      inFlight: this.inFlight,
      heartbeat: this.heartbeat,
      retirement: this.retirement,
      maxFrameSize: options.maxFrameSize,
      onHello: (message) => this.handleHello(message),
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => inbound.receive(chunk));
    socket.on('error', (error) => this.end(`connection error: ${error.message}`, false));
    socket.on('close', () => {
      const clean = this.retirement.peerSaidGoodbye;
      this.end(clean ? `${this.describePeer()} closed the connection` : 'the connection was closed', clean);
    });
    if (role === 'outbound') this.writer.write(encodeHello(WireKind.Hello, localHello));
  }

  /** The current state. */
  getState(): AssociationState {
    return this.state;
  }

  /** Whether new calls may be sent on it: open and not retiring. */
  isUsable(): boolean {
    return this.state === 'open' && !this.retirement.retiring;
  }

  /**
   * Retires the association (see {@link AssociationRetirement}): no new request is sent on
   * it, and it closes once both sides have their answers.
   */
  retire(reason: string): void {
    if (this.state !== 'open' || !this.retirement.start(reason)) return;
    this.events.retiring?.(this);
    this.retirement.settle();
  }

  /** What the peer said about itself, once the association is open. */
  getPeer(): HelloBody | undefined {
    return this.peer;
  }

  /** A readable name of the peer, for messages. */
  describePeer(): string {
    const peer = this.peer;
    if (peer === undefined) return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
    return (
      `service ${peer.serviceName}` +
      (peer.address === undefined ? '' : ` at ${peer.address.host}:${peer.address.port}`)
    );
  }

  /** Whether the peer is connected over a loopback address (it runs on this machine). */
  isLoopback(): boolean {
    return isLoopbackAddress(this.socket.remoteAddress);
  }

  /** The largest frame the peer accepts (this side's own maximum until the peer has said). */
  peerMaxFrameSize(): number {
    return Math.min(this.peer?.maxFrameSize ?? this.options.maxFrameSize, this.options.maxFrameSize);
  }

  /**
   * Sends a request frame: `header` (made by `encodeRequestHeader`; its call id is replaced by
   * `callId`, so one header serves every call of a method) then `args`. An ask (`callId` > 0)
   * is tracked, so that it fails if the connection ends. A frame over the peer's maximum
   * fails the ask instead (or, for a tell, is logged).
   */
  sendRequest(callId: number, header: Uint8Array, args: Uint8Array, target: string): void {
    const size = requestFrameBytes(header, args);
    if (exceedsMaxFrameSize(size, this.peerMaxFrameSize())) {
      const overLimit = `is ${size} bytes, over the maximum frame size of ${this.peerMaxFrameSize()} bytes`;
      if (callId !== 0) {
        this.host.pendingCalls.fail(
          callId,
          new RpcSerializationError(`The request ${target} ${overLimit} of ${this.describePeer()}.`),
        );
      } else {
        this.host.logger.error(
          `Dropped tell ${target} to ${this.describePeer()}: the request ${overLimit} it accepts.`,
        );
      }
      return;
    }
    // An ask that already ended (it timed out) is not sent: its answer would complete nothing.
    if (callId !== 0 && !this.inFlight.add(callId)) return;
    this.writer.writeCall(header, callId, args);
  }

  /** Sends an endpoint handshake; its answer completes pending call `callId`. */
  sendHandshake(callId: number, endpointId: string, details: object): void {
    if (!this.inFlight.add(callId)) return;
    this.writer.write(encodeHandshake(callId, endpointId, details));
  }

  /**
   * Ends the association. With `goodbye`, the peer is told first that this is a clean
   * close, and what is queued is sent; otherwise the connection is cut.
   */
  close(reason: string, goodbye: boolean): void {
    if (this.state === 'closed') return;
    if (goodbye && this.state === 'open') {
      this.writer.write(encodeSignal(WireKind.Goodbye));
      this.writer.flush();
      this.end(reason, true);
      this.socket.end();
    } else {
      this.end(reason, goodbye);
      this.socket.destroy();
    }
  }

  /** Resolves once the association is open; rejects with an `RpcConnectionError` saying why if it closes first. */
  whenOpen(): Promise<void> {
    if (this.state === 'open') return Promise.resolve();
    if (this.state === 'closed')
      return Promise.reject(new RpcConnectionError(this.closeReason ?? 'the association closed'));
    return new Promise((resolve, reject) => this.openWaiters.push({ resolve, reject }));
  }

  /**
   * Resolves when the socket has fully closed. With `destroyAfterMs`, a socket whose peer
   * does not finish the close in that time (a stopped process) is destroyed.
   */
  whenSocketClosed(destroyAfterMs?: number): Promise<void> {
    if (this.socket.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = destroyAfterMs === undefined ? undefined : setTimeout(() => this.socket.destroy(), destroyAfterMs);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private handleHello(message: WireMessage): void {
    const expected = this.role === 'inbound' ? WireKind.Hello : WireKind.HelloAccept;
    if (message.kind === WireKind.HelloReject) {
      this.close(`${this.describePeer()} refused the association: ${message.reason}`, false);
      return;
    }
    if (message.kind !== expected || !('body' in message)) {
      throw new Error(`expected a hello, got frame kind ${message.kind}`);
    }
    const reason = checkHello(message.body, this.localHello, this.validatePeer);
    if (reason !== undefined) {
      if (this.role === 'inbound') {
        this.writer.write(encodeHelloReject(reason));
        this.writer.flush();
      }
      this.host.logger.warn(`Refused an association with ${this.describePeer()}: ${reason}`);
      this.close(`refused: ${reason}`, false);
      return;
    }
    this.peer = message.body;
    if (this.role === 'inbound') this.writer.write(encodeHello(WireKind.HelloAccept, this.localHello));
    this.state = 'open';
    this.heartbeat.opened();
    this.events.opened(this);
    for (const waiter of this.openWaiters.splice(0)) waiter.resolve();
  }

  /** Marks the association closed (once) and fails what was in flight on it. */
  private end(reason: string, clean: boolean): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.closeReason = reason;
    this.heartbeat.stop();
    this.retirement.stop();
    this.writer.close();
    this.inFlight.failAll(this.describePeer(), reason);
    for (const waiter of this.openWaiters.splice(0)) waiter.reject(new RpcConnectionError(reason));
    if (wasOpen) this.events.closed(this, reason, clean);
  }

  /**
   * Test-visible, not for runtime use: the asks in flight on this association, and the asks
   * that ended unanswered whose ids it still holds for the peer's late answer.
   */
  askCounts(): { inFlight: number; abandoned: number } {
    return { inFlight: this.inFlight.size, abandoned: this.inFlight.abandonedCount };
  }

  /** Why the association closed, once it has. */
  getCloseReason(): string | undefined {
    return this.closeReason;
  }
}
