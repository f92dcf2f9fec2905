import type { Socket } from 'node:net';
import { type Outcome, type ReplySink, encodeError, encodeSizeError } from '@nact-rpc/core/internal';
import { RecipientUnreachableError, RpcSerializationError } from '@nact-rpc/core';
import { FrameDecoder, FRAME_HEADER_BYTES } from '../framing/FrameDecoder';
import { FrameWriter } from '../framing/FrameWriter';
import type { ResolvedTransportOptions } from '../TransportOptions';
import type { TransportHost } from '../TransportHost';
import {
  decodeWireMessage,
  encodeHandshake,
  encodeHello,
  encodeHelloReject,
  encodeResponseHeader,
  encodeSignal,
} from '../wire/wireFormat';
import { WIRE_MAGIC, WIRE_VERSION, WireKind, type HelloBody, type WireMessage } from '../wire/WireMessage';

/** Where the call id sits in request and response payloads: right after the kind byte. */
const CALL_ID_OFFSET = 1;
const RESPONSE_OK_HEADER = encodeResponseHeader(true, 0);
const RESPONSE_ERROR_HEADER = encodeResponseHeader(false, 0);

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
}

/**
 * One TCP connection between two services, shared by all their endpoints: the hello
 * exchange, framing, the asks in flight on it, heartbeats, and the answers it carries back.
 * When it ends, every ask still in flight on it fails at once with
 * `RecipientUnreachableError`.
 */
export class Association {
  private state: AssociationState = 'opening';
  private readonly decoder: FrameDecoder;
  private readonly writer: FrameWriter;
  /** Asks sent on this connection and not answered yet. */
  private readonly inFlight = new Set<number>();
  private peer: HelloBody | undefined;
  private lastReceivedAt = Date.now();
  private lastSentAt = Date.now();
  private readonly timer: NodeJS.Timeout;
  private closeReason: string | undefined;
  private readonly openWaiters: { resolve: () => void; reject: (reason: string) => void }[] = [];

  /** Where answers to requests whose results the endpoint already encoded go. */
  readonly encodedReplies: ReplySink = { complete: (callId, outcome) => this.respond(callId, outcome, true) };
  /** Where plain answers (handshakes) go; they are encoded here. */
  readonly plainReplies: ReplySink = { complete: (callId, outcome) => this.respond(callId, outcome, false) };

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
    this.decoder = new FrameDecoder(options.maxFrameSize);
    this.writer = new FrameWriter(socket, () => {
      this.lastSentAt = Date.now();
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => this.end(`connection error: ${error.message}`, false));
    socket.on('close', () => this.end('the connection was closed', false));
    this.timer = setInterval(() => this.tick(), Math.min(options.heartbeatIntervalMs, options.connectTimeoutMs));
    this.timer.unref();
    if (role === 'outbound') this.writer.write(encodeHello(WireKind.Hello, localHello));
  }

  /** The current state. */
  getState(): AssociationState {
    return this.state;
  }

  /** What the peer said about itself, once the association is open. */
  getPeer(): HelloBody | undefined {
    return this.peer;
  }

  /** A readable name of the peer, for messages. */
  describePeer(): string {
    const peer = this.peer;
    if (peer === undefined) return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
    return `service ${peer.serviceName}` + (peer.address === undefined ? '' : ` at ${peer.address.host}:${peer.address.port}`);
  }

  /** The largest frame the peer accepts (this side's own maximum until the peer has said). */
  peerMaxFrameSize(): number {
    return Math.min(this.peer?.maxFrameSize ?? this.options.maxFrameSize, this.options.maxFrameSize);
  }

  /**
   * Sends a request frame: `header` (made by `encodeRequestHeader`; its call id is replaced by
   * `callId`, so one header serves every call of a method) then `args`. An ask (`callId` > 0)
   * is tracked, so that it fails if the connection ends. A frame over the peer's maximum
   * fails the ask instead.
   */
  sendRequest(callId: number, header: Uint8Array, args: Uint8Array, target: string): void {
    const size = FRAME_HEADER_BYTES + header.length + args.length;
    if (size > this.peerMaxFrameSize()) {
      const overLimit = `is ${size} bytes, over the maximum frame size of ${this.peerMaxFrameSize()} bytes`;
      if (callId !== 0) {
        this.host.pendingCalls.fail(callId, new RpcSerializationError(`The request ${target} ${overLimit} of ${this.describePeer()}.`));
      } else {
        this.host.logger.error(`Dropped tell ${target} to ${this.describePeer()}: the request ${overLimit} it accepts.`);
      }
      return;
    }
    if (callId !== 0) this.inFlight.add(callId);
    this.writer.writeStamped(header, CALL_ID_OFFSET, callId, args);
  }

  /** Sends an endpoint handshake; its answer completes pending call `callId`. */
  sendHandshake(callId: number, endpointId: string, details: object): void {
    this.inFlight.add(callId);
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

  /** Resolves once the association is open; rejects with the reason if it closes first. */
  whenOpen(): Promise<void> {
    if (this.state === 'open') return Promise.resolve();
    if (this.state === 'closed') return Promise.reject(this.closeReason);
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

  private receive(chunk: Buffer): void {
    this.lastReceivedAt = Date.now();
    try {
      this.decoder.push(chunk, this.onFrame);
    } catch (error) {
      this.host.logger.error(
        `Protocol error on the connection with ${this.describePeer()}: ${(error as Error).message}. Closing that connection.`,
      );
      this.close(`protocol error: ${(error as Error).message}`, false);
    }
  }

  private readonly onFrame = (payload: Buffer): void => {
    if (this.state === 'closed') return;
    const kind = payload[0];
    // The hot path: answers are read in place, without decoding a message object.
    if ((kind === WireKind.ResponseOk || kind === WireKind.ResponseError) && this.state === 'open' && payload.length >= 5) {
      this.answer(kind === WireKind.ResponseOk, payload.readUInt32BE(CALL_ID_OFFSET), payload.subarray(5));
      return;
    }
    this.handle(decodeWireMessage(payload));
  };

  private answer(ok: boolean, callId: number, payload: Uint8Array): void {
    if (this.inFlight.delete(callId)) {
      this.host.pendingCalls.complete(callId, ok ? { ok, value: payload } : { ok, error: payload });
    }
  }

  private handle(message: WireMessage): void {
    if (this.state === 'opening') {
      this.handleHello(message);
      return;
    }
    switch (message.kind) {
      case WireKind.Request:
        this.host.onRequest(this, message);
        return;
      case WireKind.Handshake:
        this.host.onHandshake(this, message);
        return;
      case WireKind.ResponseOk:
      case WireKind.ResponseError:
        this.answer(message.kind === WireKind.ResponseOk, message.callId, message.payload);
        return;
      case WireKind.Ping:
        this.writer.write(encodeSignal(WireKind.Pong));
        return;
      case WireKind.Pong:
        return;
      case WireKind.Goodbye:
        this.end(`${this.describePeer()} closed the connection`, true);
        this.socket.end();
        return;
      default:
        throw new Error(`unexpected frame kind ${message.kind} on an open association`);
    }
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
    const reason = this.checkHello(message.body);
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
    this.events.opened(this);
    for (const waiter of this.openWaiters.splice(0)) waiter.resolve();
  }

  private checkHello(body: HelloBody): string | undefined {
    if (typeof body !== 'object' || body === null || body.magic !== WIRE_MAGIC) return 'not a nact-rpc peer';
    if (body.wireVersion !== WIRE_VERSION) {
      return `wire version ${String(body.wireVersion)} differs from this side's ${WIRE_VERSION}`;
    }
    if (body.codec !== this.localHello.codec) {
      return `the peer uses the ${String(body.codec)} codec, this side ${this.localHello.codec}`;
    }
    if (typeof body.serviceName !== 'string' || typeof body.incarnation !== 'string' || !(body.maxFrameSize > 0)) {
      return 'malformed hello';
    }
    return this.validatePeer(body);
  }

  private respond(callId: number, outcome: Outcome, encoded: boolean): void {
    if (this.state !== 'open') {
      this.host.logger.debug(`Dropped the answer to call ${callId}: the connection with ${this.describePeer()} has ended.`);
      return;
    }
    const { codec } = this.host;
    let payload: Uint8Array;
    if (outcome.ok) payload = encoded ? (outcome.value as Uint8Array) : codec.encode(outcome.value);
    else payload = encoded && outcome.error instanceof Uint8Array ? outcome.error : encodeError(codec, outcome.error);
    let ok = outcome.ok;
    const size = FRAME_HEADER_BYTES + 5 + payload.length;
    if (size > this.peerMaxFrameSize()) {
      ok = false;
      payload = encodeSizeError(codec, `The answer to call ${callId} is ${size} bytes`, this.peerMaxFrameSize());
    }
    this.writer.writeStamped(ok ? RESPONSE_OK_HEADER : RESPONSE_ERROR_HEADER, CALL_ID_OFFSET, callId, payload);
  }

  private tick(): void {
    const now = Date.now();
    if (this.state === 'opening') {
      if (now - this.lastReceivedAt > this.options.connectTimeoutMs) {
        this.close(`no hello within ${this.options.connectTimeoutMs} ms`, false);
      }
      return;
    }
    const silentFor = now - this.lastReceivedAt;
    if (silentFor > this.options.heartbeatTimeoutMs) {
      this.host.logger.warn(
        `${this.describePeer()} sent nothing for ${silentFor} ms (heartbeat timeout ${this.options.heartbeatTimeoutMs} ms): ` +
          `declaring it dead and closing the connection.`,
      );
      this.close(`no heartbeat for ${silentFor} ms`, false);
      return;
    }
    if (now - this.lastSentAt >= this.options.heartbeatIntervalMs) this.writer.write(encodeSignal(WireKind.Ping));
  }

  /** Marks the association closed (once) and fails what was in flight on it. */
  private end(reason: string, clean: boolean): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.closeReason = reason;
    clearInterval(this.timer);
    this.writer.close();
    const calls = [...this.inFlight];
    this.inFlight.clear();
    for (const callId of calls) {
      this.host.pendingCalls.fail(
        callId,
        new RecipientUnreachableError(
          `The connection to ${this.describePeer()} was lost while the call was pending (${reason}). ` +
            `The call may or may not have run.`,
        ),
      );
    }
    for (const waiter of this.openWaiters.splice(0)) waiter.reject(reason);
    if (wasOpen) this.events.closed(this, reason, clean);
  }

  /** Why the association closed, once it has. */
  getCloseReason(): string | undefined {
    return this.closeReason;
  }
}
