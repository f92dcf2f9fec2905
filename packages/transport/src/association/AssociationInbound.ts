import { FrameDecoder } from '../framing/FrameDecoder';
import type { FrameWriter } from '../framing/FrameWriter';
import type { TransportHost } from '../TransportHost';
import { decodeWireMessage } from '../wire/decodeWireMessage';
import { encodeSignal, readResponse } from '../wire/wireFormat';
import { WireKind, type WireMessage } from '../wire/WireMessage';
import type { Association } from './Association';
import type { AssociationHeartbeat } from './AssociationHeartbeat';
import type { AssociationOpening } from './AssociationOpening';
import type { AssociationRetirement } from './AssociationRetirement';
import type { InboundAsks } from './InboundAsks';
import type { InFlightAsks } from './InFlightAsks';

/** The Pong frame: one buffer for every reply (the writer copies it into its batch). */
const PONG = encodeSignal(WireKind.Pong);

/** The parts of its association that {@link AssociationInbound} works with, wired once. */
export interface InboundWiring {
  readonly association: Association;
  readonly host: TransportHost;
  readonly writer: FrameWriter;
  readonly inFlight: InFlightAsks;
  readonly inboundAsks: InboundAsks;
  readonly heartbeat: AssociationHeartbeat;
  readonly retirement: AssociationRetirement;
  readonly maxFrameSize: number;
  /** Takes the frames that arrive while the association is still opening (hello, authentication). */
  readonly opening: AssociationOpening;
}

/**
 * The largest frame accepted before the association is open: a hello or an Auth frame is far
 * smaller, so a peer that has not said (or proved) who it is cannot make this side hold more.
 */
export const MAX_OPENING_FRAME_BYTES = 64 * 1024;

/**
 * What arrives on an association: socket bytes are cut into frames, and each frame is
 * dispatched (answers to asks in flight, requests and handshakes to the host, heartbeat and
 * goodbye signals). A protocol error closes the association.
 */
export class AssociationInbound {
  private readonly decoder: FrameDecoder;
  /** Whether the next frame is the first from the peer since this side last wrote a Ping. */
  private firstSincePing = false;

  constructor(private readonly wiring: InboundWiring) {
    this.decoder = new FrameDecoder(Math.min(MAX_OPENING_FRAME_BYTES, wiring.maxFrameSize));
  }

  /** The association opened: frames up to the maximum frame size are accepted from now on. */
  opened(): void {
    this.decoder.setMaxFrameSize(this.wiring.maxFrameSize);
  }

  /** Takes a chunk read from the socket and dispatches the frames it completes. */
  receive(chunk: Buffer): void {
    const { decoder, wiring } = this;
    const now = wiring.host.clock.now();
    this.firstSincePing = wiring.heartbeat.received(now);
    const wasPartial = decoder.bufferedBytes > 0;
    let frames: number;
    try {
      frames = decoder.push(chunk, this.onFrame);
    } catch (error) {
      wiring.association.protocolError((error as Error).message);
      return;
    }
    // A partial frame's deadline counts from the chunk that began it, not from later bytes.
    if (decoder.bufferedBytes === 0) wiring.heartbeat.frameEnded();
    else if (frames > 0 || !wasPartial) wiring.heartbeat.frameStarted(now);
  }

  // Bound once per association, so that pushing a chunk creates no closure.
  private readonly onFrame = (payload: Buffer): void => {
    const { wiring } = this;
    const firstSincePing = this.firstSincePing;
    this.firstSincePing = false;
    const state = wiring.association.getState();
    if (state === 'closed') return;
    // The hot path: answers are read in place, without decoding a message object.
    if (state === 'open' && readResponse(payload, wiring.inFlight.complete)) {
      if (wiring.retirement.retiring) wiring.retirement.settle();
      return;
    }
    const message = decodeWireMessage(payload);
    if (state === 'opening') {
      wiring.opening.receive(message, payload);
      if (wiring.association.getState() === 'open') this.opened();
      return;
    }
    this.handle(message, firstSincePing);
  };

  /** Dispatches a frame of an open association; `firstSincePing` as in {@link onFrame}. */
  private handle(message: WireMessage, firstSincePing: boolean): void {
    const { wiring } = this;
    switch (message.kind) {
      case WireKind.Request:
        wiring.host.onRequest(wiring.association, message);
        return;
      case WireKind.Handshake:
        wiring.host.onHandshake(wiring.association, message);
        return;
      case WireKind.Cancel:
        wiring.inboundAsks.cancel(message.callId);
        return;
      case WireKind.ResponseOk:
      case WireKind.ResponseError:
        wiring.inFlight.complete(message.kind === WireKind.ResponseOk, message.callId, message.payload);
        wiring.retirement.settle();
        return;
      case WireKind.Ping:
        // Pings that cross need no Pongs. When the peer's Ping is the first thing to arrive
        // since this side wrote its own, the peer reads this side's Ping after writing its
        // own: had it read it before, its Pong would have arrived here before its Ping. So
        // each side still hears from the other after each of its Pings, and idle peers whose
        // heartbeats fall due together send one frame each, not two.
        if (!firstSincePing) wiring.writer.write(PONG);
        return;
      case WireKind.Pong:
        return;
      case WireKind.Goodbye:
        // The peer sends no more requests here and has all its answers; it may be closing.
        wiring.retirement.peerSaidGoodbyeNow();
        wiring.association.retire(`${wiring.association.describePeer()} closed the connection`);
        wiring.retirement.settle();
        return;
      default:
        throw new Error(`unexpected frame kind ${message.kind} on an open association`);
    }
  }
}
