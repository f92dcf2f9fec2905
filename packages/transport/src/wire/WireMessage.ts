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
  Cancel: 12,
  ResponseOk: 20,
  ResponseError: 21,
  Ping: 30,
  Pong: 31,
  Goodbye: 40,
} as const;

/** One of {@link WireKind}'s values. */
export type WireKindValue = (typeof WireKind)[keyof typeof WireKind];

/**
 * The version of the wire format; both sides of an association must speak the same. Version 2
 * added per-call information to requests ({@link WireCallInfo}) and the Cancel frame.
 */
export const WIRE_VERSION = 2;

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

/**
 * What a request may carry about its call besides its arguments; every field may be absent.
 * Its bounds are in `callInfoLimits.ts`.
 */
export interface WireCallInfo {
  /**
   * The time **remaining** until the caller's deadline when the request was sent, in whole
   * milliseconds (0 to 0xffffffff; a longer time is sent as the largest), so that the two
   * sides' clocks need not agree.
   */
  readonly deadlineMs?: number | undefined;
  /** The caller's W3C trace context `traceparent` header. */
  readonly traceparent?: string | undefined;
  /** The caller's W3C trace context `tracestate` header. */
  readonly tracestate?: string | undefined;
  /**
   * The caller's metadata: lower-case keys and string values. Decoded, it is an object without
   * a prototype, so that no key reads an inherited property.
   */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
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
  /** What the request carries about its call; `undefined` when it carries none. */
  readonly call: WireCallInfo | undefined;
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

/**
 * The caller gave up on its ask `callId` (client to server): the serving side drops it if it
 * is still queued, never answering it, aborts its signal if it is running, and ignores a call
 * id it does not know.
 */
export interface CancelMessage {
  readonly kind: typeof WireKind.Cancel;
  readonly callId: number;
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
  | CancelMessage
  | ResponseMessage
  | SignalMessage;
