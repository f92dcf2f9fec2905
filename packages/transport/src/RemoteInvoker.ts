import {
  RpcConnectionError,
  RpcInvalidStateError,
  type AskMethod,
  type Clock,
  type FencingToken,
  type TellMethod,
} from '@nact-rpc/core';
import { callInfoOf, type GatewayInvoker, type OutgoingCallInfo, tryEncodeArguments } from '@nact-rpc/core/internal';
import type { Association } from './association/Association';
import type { OutboundMessage, Peer } from './association/Peer';
import type { TransportHost } from './TransportHost';
import { encodeRequestHeader, requestOverheadBytes } from './wire/wireFormat';
import type { WireCallInfo } from './wire/WireMessage';

/** A request's arguments serialized, or why it cannot be sent (see `tryEncodeArguments`). */
type EncodedRequest =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly error: Error; readonly reason: string };

/** Where a remote gateway's calls go. */
export interface RemoteTarget {
  readonly peer: Peer;
  /** The endpoint's full address. */
  readonly address: string;
  readonly hostname: string;
  readonly endpointId: string;
  readonly protocolName: string;
  /** The token every call carries, for a fenced gateway. */
  readonly fencingToken?: FencingToken | undefined;
  /** The incarnation of the peer the endpoint handshake was made with. */
  readonly incarnation?: string | undefined;
  /**
   * Makes the endpoint handshake again on `association` (the peer restarted); resolves with
   * the incarnation it reached, rejects with the handshake's error.
   */
  readonly rehandshake?: ((association: Association) => Promise<string>) | undefined;
}

/** What a gateway method sends with every call: its name for messages, and its request header. */
interface MethodFrame {
  /** `Protocol.method`. */
  readonly target: string;
  /** The request header with call id 0; the association writes each call's id over it. */
  readonly header: Buffer;
}

/**
 * Turns the calls of a gateway to an endpoint of another service into request frames on
 * the association with that service. Arguments are serialized at the caller, and a request
 * over the maximum frame size fails here, before anything is sent. Each method's request
 * header is encoded once.
 */
export class RemoteInvoker implements GatewayInvoker {
  readonly address: string;
  readonly hostname: string;
  readonly clock: Clock;
  readonly fencingToken?: () => FencingToken | undefined;
  private readonly frames = new Map<string, MethodFrame>();
  private incarnation: string | undefined;
  /** While a re-handshake runs: settles after it and the calls that waited for it. */
  private rehandshaking: Promise<void> | undefined;

  constructor(
    private readonly host: TransportHost,
    private readonly target: RemoteTarget,
    private readonly maxFrameSize: number,
  ) {
    this.address = target.address;
    this.hostname = target.hostname;
    this.clock = host.clock;
    this.incarnation = target.incarnation;
    if (target.fencingToken !== undefined) {
      const token = target.fencingToken;
      this.fencingToken = () => token;
    }
  }

  tell(methodName: string, method: TellMethod<never>, args: unknown[], call?: OutgoingCallInfo): void {
    const { target, header } = this.frameOf(methodName, call);
    const encoded = this.encodeArgs(target, header, method.local, args);
    const { tellLosses } = this.target.peer;
    if (!encoded.ok) {
      tellLosses.dropped('unsendable', `Dropped tell ${target} to ${this.address}: ${encoded.reason}`, encoded.error);
      return;
    }
    const encodedArgs = encoded.bytes;
    const association = this.target.peer.current();
    if (association !== undefined && this.handshakeHolds(association)) {
      association.sendRequest(0, header, encodedArgs, target);
      return;
    }
    this.deliver({
      callId: 0,
      target,
      send: (opened) => opened.sendRequest(0, header, encodedArgs, target),
      // Counted, and logged once per burst: a reconnection that drops many tells is not a flood.
      fail: (error, reason, loss) =>
        tellLosses.dropped(loss, `Dropped tell ${target} to ${this.address}: ${reason}`, error),
    });
  }

  ask(
    methodName: string,
    method: AskMethod<never, unknown>,
    args: unknown[],
    timeoutMs: number | undefined,
    call?: OutgoingCallInfo,
  ): Promise<unknown> {
    const { pendingCalls, codec } = this.host;
    const { target, header } = this.frameOf(methodName, call);
    const encoded = this.encodeArgs(target, header, method.local, args);
    if (!encoded.ok) return Promise.reject(encoded.error);
    const encodedArgs = encoded.bytes;
    const registered = pendingCalls.registerCall(target, this.address, timeoutMs, codec, call?.deadline, call?.signal);
    const { callId, promise } = registered;
    // Cancelled before it was made: nothing to send.
    if (registered.done === true) return promise;
    const association = this.target.peer.current();
    if (association !== undefined && this.handshakeHolds(association)) {
      association.sendRequest(callId, header, encodedArgs, target);
      return promise;
    }
    this.deliver({
      callId,
      target,
      send: (opened) => opened.sendRequest(callId, header, encodedArgs, target),
      fail: (error) => pendingCalls.fail(callId, error),
    });
    return promise;
  }

  /** Whether calls may go on `association` as they are: no re-handshake needed or running. */
  private handshakeHolds(association: Association): boolean {
    return this.rehandshaking === undefined && this.incarnationMatches(association);
  }

  /** Whether `association` reaches the incarnation of the peer the handshake was made with. */
  private incarnationMatches(association: Association): boolean {
    const reached = association.getPeer()?.incarnation;
    return this.incarnation === undefined || this.target.rehandshake === undefined || reached === this.incarnation;
  }

  /**
   * Sends `message` through the peer; if the association reaches another incarnation of the
   * peer than the handshake did (it restarted), the handshake is made again first, and the
   * calls that follow wait for it in order. A refused handshake fails them with its error.
   */
  private deliver(message: OutboundMessage): void {
    if (this.rehandshaking !== undefined) {
      this.afterRehandshake(message);
      return;
    }
    this.target.peer.send({
      callId: message.callId,
      target: message.target,
      fail: (error, reason, loss) => message.fail(error, reason, loss),
      send: (association) => {
        const rehandshake = this.target.rehandshake;
        if (this.rehandshaking !== undefined) this.afterRehandshake(message);
        else if (rehandshake === undefined || this.handshakeHolds(association)) message.send(association);
        else {
          this.waitFor(
            rehandshake(association).then(
              (incarnation) => {
                this.incarnation = incarnation;
                this.target.peer.send(message);
              },
              (error: Error) => message.fail(error, error.message, 'notConnected'),
            ),
          );
        }
      },
    });
  }

  /** Sends `message` once the running re-handshake, and the calls that waited before it, are done. */
  private afterRehandshake(message: OutboundMessage): void {
    const send = (): void =>
      this.target.peer.send({
        ...message,
        send: (association) => {
          if (this.incarnationMatches(association)) message.send(association);
          else message.fail(this.staleHandshake(), 'the endpoint handshake could not be made again.', 'notConnected');
        },
      });
    this.waitFor((this.rehandshaking ?? Promise.resolve()).then(send));
  }

  private staleHandshake(): Error {
    return new RpcConnectionError(
      `${this.address} restarted and the endpoint handshake could not be made again: connect again.`,
    );
  }

  /** Makes `step` the last thing new calls wait for, until it settles. */
  private waitFor(step: Promise<void>): void {
    this.rehandshaking = step;
    void step.then(() => {
      if (this.rehandshaking === step) this.rehandshaking = undefined;
    });
  }

  /**
   * The target and request header of a call of `methodName`: encoded once per method for plain
   * calls, and for each call that carries a deadline, metadata or a trace context.
   */
  private frameOf(methodName: string, call: OutgoingCallInfo | undefined): MethodFrame {
    const info = call === undefined ? undefined : this.wireCallInfo(call);
    const { endpointId, protocolName, fencingToken } = this.target;
    if (info !== undefined) {
      return {
        target: `${protocolName}.${methodName}`,
        header: encodeRequestHeader(0, endpointId, protocolName, methodName, fencingToken, info),
      };
    }
    let frame = this.frames.get(methodName);
    if (frame === undefined) {
      frame = {
        target: `${protocolName}.${methodName}`,
        header: encodeRequestHeader(0, endpointId, protocolName, methodName, fencingToken),
      };
      this.frames.set(methodName, frame);
    }
    return frame;
  }

  /**
   * What the wire carries of `call`: its deadline as the time left, so that the peer's clock
   * need not agree (the encoder rounds it to whole milliseconds).
   */
  private wireCallInfo(call: OutgoingCallInfo): WireCallInfo | undefined {
    const info = callInfoOf(call);
    if (info === undefined) return undefined;
    const { deadline, metadata, traceparent, tracestate } = info;
    return {
      deadlineMs: deadline === undefined ? undefined : deadline - this.clock.now(),
      metadata,
      traceparent,
      tracestate,
    };
  }

  /** Serializes the arguments, refusing local-only methods and requests over the maximum frame size. */
  private encodeArgs(target: string, header: Uint8Array, localOnly: boolean, args: unknown[]): EncodedRequest {
    if (localOnly) {
      const reason = 'the method is local-only: it cannot be called on a remote endpoint.';
      return {
        ok: false,
        reason,
        error: new RpcInvalidStateError(
          `${target} is local-only: it cannot be called on the remote endpoint at ${this.address}.`,
        ),
      };
    }
    // The whole frame counts, so a request too large for this side fails here, before it is
    // queued; the association checks it again against the peer's maximum, which may be smaller.
    return tryEncodeArguments(
      this.host.codec,
      args,
      target,
      this.address,
      this.maxFrameSize,
      requestOverheadBytes(header),
    );
  }
}
