import { RpcInvalidStateError, type AskMethod, type FencingToken, type TellMethod } from '@nact-rpc/core';
import { type GatewayInvoker, tryEncodeArguments } from '@nact-rpc/core/internal';
import type { Peer } from './association/Peer';
import type { TransportHost } from './TransportHost';
import { encodeRequestHeader, requestOverheadBytes } from './wire/wireFormat';

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
  readonly fencingToken?: () => FencingToken | undefined;
  private readonly frames = new Map<string, MethodFrame>();

  constructor(
    private readonly host: TransportHost,
    private readonly target: RemoteTarget,
    private readonly maxFrameSize: number,
  ) {
    this.address = target.address;
    this.hostname = target.hostname;
    if (target.fencingToken !== undefined) {
      const token = target.fencingToken;
      this.fencingToken = () => token;
    }
  }

  tell(methodName: string, method: TellMethod<never>, args: unknown[]): void {
    const { target, header } = this.frameOf(methodName);
    const encoded = this.encodeArgs(target, header, method.local, args);
    if (!encoded.ok) {
      this.host.logger.error(`Dropped tell ${target} to ${this.address}: ${encoded.reason}`, { error: encoded.error });
      return;
    }
    const encodedArgs = encoded.bytes;
    const association = this.target.peer.current();
    if (association !== undefined) {
      association.sendRequest(0, header, encodedArgs, target);
      return;
    }
    this.target.peer.send({
      callId: 0,
      target,
      send: (opened) => opened.sendRequest(0, header, encodedArgs, target),
      fail: (error, reason) => this.host.logger.warn(`Dropped tell ${target} to ${this.address}: ${reason}`, { error }),
    });
  }

  ask(
    methodName: string,
    method: AskMethod<never, unknown>,
    args: unknown[],
    timeoutMs: number | undefined,
  ): Promise<unknown> {
    const { pendingCalls, codec } = this.host;
    const { target, header } = this.frameOf(methodName);
    const encoded = this.encodeArgs(target, header, method.local, args);
    if (!encoded.ok) return Promise.reject(encoded.error);
    const encodedArgs = encoded.bytes;
    const { callId, promise } = pendingCalls.register({ target, recipient: this.address, timeoutMs, codec });
    const association = this.target.peer.current();
    if (association !== undefined) {
      association.sendRequest(callId, header, encodedArgs, target);
      return promise;
    }
    this.target.peer.send({
      callId,
      target,
      send: (opened) => opened.sendRequest(callId, header, encodedArgs, target),
      fail: (error) => pendingCalls.fail(callId, error),
    });
    return promise;
  }

  private frameOf(methodName: string): MethodFrame {
    let frame = this.frames.get(methodName);
    if (frame === undefined) {
      const { endpointId, protocolName, fencingToken } = this.target;
      frame = {
        target: `${protocolName}.${methodName}`,
        header: encodeRequestHeader(0, endpointId, protocolName, methodName, fencingToken),
      };
      this.frames.set(methodName, frame);
    }
    return frame;
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
