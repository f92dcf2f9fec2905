import type { FencingToken } from '@nact-rpc/core';
import type { ProtocolIdentity } from '@nact-rpc/core/internal';

/** The kind of a frame: its first payload byte. */
export const WireKind = {
  Hello: 1,
  HelloAccept: 2,
  HelloReject: 3,
  Auth: 4,
  Request: 10,
  Handshake: 11,
  ResponseOk: 20,
  ResponseError: 21,
  Ping: 30,
  Pong: 31,
  Goodbye: 40,
} as const;

/** One of {@link WireKind}'s values. */
export type WireKindValue = (typeof WireKind)[keyof typeof WireKind];

/** The version of the wire format; both sides of an association must speak the same. */
export const WIRE_VERSION = 1;

/** The magic string that opens every association. */
export const WIRE_MAGIC = 'nact-rpc';

/** Where a service can be reached: its external host and port. */
export interface WireAddress {
  readonly host: string;
  readonly port: number;
  /** Whether the service listens with TLS there (its addresses use `nact-rpcs`). Absent: it does not. */
  readonly tls?: boolean | undefined;
}

/** What each side says about itself when an association opens. */
export interface HelloBody {
  readonly magic: string;
  readonly wireVersion: number;
  readonly serviceName: string;
  /** A random id of this run of the service: a restarted service has a new one. */
  readonly incarnation: string;
  /** Where the service listens, if it does. */
  readonly address?: WireAddress | undefined;
  /** The codec's name; both sides must use the same. */
  readonly codec: string;
  /** The largest frame this side accepts. */
  readonly maxFrameSize: number;
  /** `'secret'` if this side authenticates with a shared secret; absent if it does not. */
  readonly auth?: 'secret' | undefined;
  /** With `auth: 'secret'`: a fresh random nonce (base64) for the challenge-response. */
  readonly nonce?: string | undefined;
}

/** The first frame of the connecting side. */
export interface HelloMessage {
  readonly kind: typeof WireKind.Hello;
  readonly body: HelloBody;
}

/** The accepting side's answer when it accepts the association. */
export interface HelloAcceptMessage {
  readonly kind: typeof WireKind.HelloAccept;
  readonly body: HelloBody;
}

/** The accepting side's answer when it refuses the association; the connection then closes. */
export interface HelloRejectMessage {
  readonly kind: typeof WireKind.HelloReject;
  readonly reason: string;
}

/** A side's proof that it holds the shared secret (see `SecretProof`). */
export interface AuthMessage {
  readonly kind: typeof WireKind.Auth;
  readonly proof: Uint8Array;
}

/** A call of an endpoint's method. `callId` 0 marks a tell. */
export interface RequestMessage {
  readonly kind: typeof WireKind.Request;
  readonly callId: number;
  readonly endpointId: string;
  readonly protocol: string;
  readonly method: string;
  /** The caller's fencing token; `undefined` for an unfenced call. */
  readonly fencingToken: FencingToken | undefined;
  /** The arguments, serialized by the codec. */
  readonly args: Uint8Array;
}

/** An endpoint handshake: does the endpoint serve this protocol? */
export interface WellFormedHandshakeMessage {
  readonly kind: typeof WireKind.Handshake;
  readonly callId: number;
  readonly endpointId: string;
  readonly protocol: ProtocolIdentity;
  readonly rpcVersion: number;
  readonly fenced: boolean;
  /** Never set on a well-formed handshake (see {@link MalformedHandshakeMessage}). */
  readonly problem?: undefined;
}

/**
 * A handshake whose details are malformed (a field missing or of the wrong type). Its call id
 * and endpoint id were read, so it is answered, with a `HandshakeError` that says `problem`.
 */
export interface MalformedHandshakeMessage {
  readonly kind: typeof WireKind.Handshake;
  readonly callId: number;
  readonly endpointId: string;
  /** What is wrong, naming the field. */
  readonly problem: string;
}

/** A Handshake frame, decoded: well-formed, or malformed but answerable. */
export type HandshakeRequestMessage = WellFormedHandshakeMessage | MalformedHandshakeMessage;

/** The answer of a request or handshake: a value, or an error envelope, serialized by the codec. */
export interface ResponseMessage {
  readonly kind: typeof WireKind.ResponseOk | typeof WireKind.ResponseError;
  readonly callId: number;
  readonly payload: Uint8Array;
}

/** Heartbeats and the clean-close notice carry nothing. */
export interface SignalMessage {
  readonly kind: typeof WireKind.Ping | typeof WireKind.Pong | typeof WireKind.Goodbye;
}

/** Every frame, decoded. */
export type WireMessage =
  | HelloMessage
  | HelloAcceptMessage
  | HelloRejectMessage
  | AuthMessage
  | RequestMessage
  | HandshakeRequestMessage
  | ResponseMessage
  | SignalMessage;
