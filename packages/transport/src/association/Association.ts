import type { Socket } from 'node:net';
import { type EncodedOutcome, type ReplySink, exceedsMaxFrameSize } from '@nact-rpc/core/internal';
import { RpcConnectionError } from '@nact-rpc/core';
import { FrameWriter } from '../framing/FrameWriter';
import { describeOverflow } from '../framing/OutputBound';
import type { ResolvedTransportOptions } from '../TransportOptions';
import type { TransportHost } from '../TransportHost';
import { encodeCancel, encodeHandshake, encodeSignal, requestFrameBytes } from '../wire/wireFormat';
import { WireKind, type HelloBody } from '../wire/WireMessage';
import { AssociationHeartbeat } from './AssociationHeartbeat';
import { AssociationInbound } from './AssociationInbound';
import { AssociationOpening, type PeerIdentity } from './AssociationOpening';
import { AssociationReplies } from './AssociationReplies';
import { AssociationRetirement } from './AssociationRetirement';
import { ConnectedPeer } from './ConnectedPeer';
import type { AssociationEvents, AssociationRole, AssociationSetup, AssociationState } from './AssociationSetup';
import { InboundAsks, type InboundAskReplyTo } from './InboundAsks';
import { InFlightAsks } from './InFlightAsks';
import { OpenWaiters } from './OpenWaiters';
import { ReadPause } from './ReadPause';
import { refuseOversizedRequest } from './refuseOversizedRequest';
import { endOnceSent, whenSocketClosed } from './socketClosing';

export type { AssociationEvents, AssociationRole, AssociationSetup, AssociationState } from './AssociationSetup';

/**
 * One TCP (or TLS) connection between two services, shared by all their endpoints: its opening
 * ({@link AssociationOpening}), the asks in flight on it, what arrives ({@link AssociationInbound})
 * and the answers it carries back ({@link AssociationReplies}); its {@link AssociationHeartbeat}
 * notices a dead peer. When it ends, every ask in flight on it fails with `RecipientUnreachableError`.
 */
export class Association {
  private state: AssociationState = 'opening';
  private readonly writer: FrameWriter;
  private readonly inFlight: InFlightAsks;
  private readonly opening: AssociationOpening;
  private readonly events: AssociationEvents;
  private readonly logRefusal: (line: string) => void;
  private readonly logProtocolError: (line: string) => void;
  private readonly heartbeat: AssociationHeartbeat;
  private readonly readPause: ReadPause;
  private closeReason: string | undefined;
  private readonly retirement: AssociationRetirement;
  private readonly openWaiters = new OpenWaiters();
  private readonly inboundAsks: InboundAsks;

  /** What this side knows of the peer: its hello and identity once open, its address, TLS. */
  readonly peer: ConnectedPeer;
  /** Where answers to requests whose results the endpoint already encoded go. */
  readonly encodedReplies: ReplySink<EncodedOutcome>;
  /** Where plain answers (handshakes) go; they are encoded here. */
  readonly plainReplies: ReplySink;

  constructor(
    readonly role: AssociationRole,
    private readonly socket: Socket,
    private readonly host: TransportHost,
    private readonly options: ResolvedTransportOptions,
    setup: AssociationSetup,
  ) {
    this.events = setup.events;
    this.peer = new ConnectedPeer(socket, options.maxFrameSize);
    this.logRefusal = setup.logRefusal ?? ((line) => host.logger.warn(line));
    this.logProtocolError = setup.logProtocolError ?? ((line) => host.logger.error(line));
    this.inFlight = new InFlightAsks(
      host.pendingCalls,
      () => this.heartbeat.asksWaiting(),
      // The peer hears that an ask was given up on, so that it does not run it for nothing.
      (callId) => this.state === 'open' && this.writer.write(encodeCancel(callId)),
    );
    const { maxOutputBytes } = options;
    const onOverflow = (waiting: number): void => this.close(describeOverflow(waiting, maxOutputBytes), false);
    // Large bodies, once sent, go back to the codec that made them.
    const recycle = host.codec.recycle?.bind(host.codec);
    this.writer = new FrameWriter(socket, () => this.heartbeat.sent(), { maxOutputBytes, onOverflow }, recycle);
    this.heartbeat = new AssociationHeartbeat(this, this.writer, options, host.logger, setup.connectedAt, host.clock);
    this.readPause = new ReadPause(socket, this.heartbeat, host.logger, () => this.describePeer());
    this.opening = new AssociationOpening(role, socket, this.writer, setup, {
      opened: (peer, identity) => this.opened(peer, identity),
      refused: (reason, byPeer) => this.refused(reason, byPeer),
    });
    const sendGoodbye = (): void => this.writer.write(encodeSignal(WireKind.Goodbye));
    const finish = (reason: string): void => this.endCleanly(reason);
    this.retirement = new AssociationRetirement(
      { inFlight: () => this.asksInFlight(), sendGoodbye, finish },
      options.heartbeatIntervalMs,
      host.clock,
    );
    const replies = new AssociationReplies(this, this.writer, host, options.maxFrameSize);
    this.inboundAsks = new InboundAsks(replies.encoded, replies.plain);
    this.encodedReplies = replies.encoded;
    this.plainReplies = replies.plain;
    const inbound = new AssociationInbound({
      association: this,
      host,
      writer: this.writer,
      inFlight: this.inFlight,
      inboundAsks: this.inboundAsks,
      heartbeat: this.heartbeat,
      retirement: this.retirement,
      maxFrameSize: options.maxFrameSize,
      opening: this.opening,
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => inbound.receive(chunk));
    socket.on('error', (error) => this.end(`connection error: ${error.message}`, false));
    socket.on('close', () => {
      const clean = this.retirement.peerSaidGoodbye;
      this.end(clean ? `${this.describePeer()} closed the connection` : 'the connection was closed', clean);
    });
    this.opening.start();
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
    return this.peer.getHello();
  }

  /** A readable name of the peer, for messages. */
  describePeer(): string {
    return this.peer.describe();
  }

  /**
   * Sends a request frame: `header` (made by `encodeRequestHeader`; its call id is replaced by
   * `callId`, so one header serves every call of a method) then `args`. An ask (`callId` > 0)
   * is tracked, so that it fails if the connection ends. A frame over the peer's maximum
   * fails the ask instead (or, for a tell, is logged).
   */
  sendRequest(callId: number, header: Uint8Array, args: Uint8Array, target: string): void {
    const size = requestFrameBytes(header, args);
    const maxFrameSize = this.peer.maxFrameSize();
    if (exceedsMaxFrameSize(size, maxFrameSize)) {
      const peer = { maxFrameSize, name: this.describePeer() };
      refuseOversizedRequest({ callId, size, target }, peer, this.host, this.events);
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
      this.endCleanly(reason);
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
    return this.openWaiters.wait();
  }

  /** Resolves when the socket has fully closed (see {@link whenSocketClosed}). */
  whenSocketClosed(destroyAfterMs?: number): Promise<void> {
    return whenSocketClosed(this.socket, destroyAfterMs, this.host.clock);
  }

  private opened(peer: HelloBody, identity: PeerIdentity): void {
    this.peer.opened(peer, identity);
    this.state = 'open';
    this.heartbeat.opened();
    this.events.opened(this);
    this.openWaiters.opened();
  }

  /**
   * The opening failed: a peer this side refused is logged, and so is a connecting peer that
   * refused this side (it may hold a wrong secret); a refusal by the service this side
   * connected to goes to the callers.
   */
  private refused(reason: string, byPeer: boolean): void {
    if (byPeer) {
      if (this.role === 'inbound') this.logRefusal(`${this.describePeer()} gave up the association: ${reason}`);
      this.close(`${this.describePeer()} refused the association: ${reason}`, false);
      return;
    }
    this.logRefusal(`Refused an association with ${this.describePeer()}: ${reason}`);
    this.end(`refused: ${reason}`, false);
    // The HelloReject is written: the connection ends once it is sent (TLS would drop it if cut).
    endOnceSent(this.socket, this.options.connectTimeoutMs, this.host.clock);
  }

  /**
   * A protocol error on the connection (a malformed frame, one out of place): logged once, and
   * the connection is cut. While the association opens, the peer is told why (HelloReject).
   */
  protocolError(reason: string): void {
    if (this.state === 'closed') return;
    if (this.state === 'opening') {
      this.opening.refuse(`protocol error: ${reason}`);
      return;
    }
    this.logProtocolError(
      `Protocol error on the connection with ${this.describePeer()}: ${reason}. Closing that connection.`,
    );
    this.close(`protocol error: ${reason}`, false);
  }

  /** Sends what is queued, marks the association closed, and ends the connection gracefully. */
  private endCleanly(reason: string): void {
    this.writer.flush();
    this.end(reason, true);
    this.socket.end();
  }

  /** Marks the association closed (once) and fails what was in flight on it. */
  private end(reason: string, clean: boolean): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.closeReason = reason;
    this.heartbeat.stop();
    this.retirement.stop();
    const undelivered = this.writer.close();
    this.readPause.ended();
    this.inFlight.failAll(this.describePeer(), reason);
    this.inboundAsks.cancelAll(reason);
    this.openWaiters.failed(reason);
    if (wasOpen) this.events.closed(this, reason, clean, clean ? 0 : undelivered);
  }

  /**
   * The reply address of ask `callId` the peer just sent: its answer goes back here, and the
   * peer can cancel it until then (see {@link InboundAsks}).
   */
  inboundAsk(callId: number): InboundAskReplyTo {
    return this.inboundAsks.add(callId);
  }

  /** The bytes read from and written to the connection so far. */
  byteCounts(): { readonly in: number; readonly out: number } {
    return { in: this.socket.bytesRead ?? 0, out: this.socket.bytesWritten ?? 0 };
  }

  /** How many asks of this side wait for their answers on this association. */
  asksInFlight(): number {
    return this.inFlight.size;
  }

  /**
   * Test-visible: {@link asksInFlight}, the ended asks whose ids it holds for a late answer, and
   * the peer's asks not answered yet.
   */
  askCounts(): { inFlight: number; abandoned: number; served: number } {
    return { inFlight: this.inFlight.size, abandoned: this.inFlight.abandonedCount, served: this.inboundAsks.size };
  }

  /** Why the association closed, once it has. */
  getCloseReason(): string | undefined {
    return this.closeReason;
  }

  /**
   * Stops reading from the connection until every pause is released by {@link resumeReading}:
   * backpressure, while an endpoint has too many messages from peers waiting (see
   * {@link ReadPause}). Only an open association pauses.
   */
  pauseReading(reason: string): void {
    if (this.state === 'open') this.readPause.pause(reason);
  }

  /** Releases one {@link pauseReading}; reading resumes once all are. A closed association ignores it. */
  resumeReading(): void {
    this.readPause.resume(this.state === 'open');
  }

  /** Test-visible: whether reading is paused. */
  isReadingPaused(): boolean {
    return this.readPause.paused && this.state === 'open';
  }
}
