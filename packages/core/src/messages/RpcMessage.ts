import type { FencingToken } from '../endpoint/FencingToken';
import type { ProtocolIdentity } from '../protocol/ProtocolIdentity';

/**
 * The messages an endpoint's actor receives. Each is a plain object tagged by `kind`; asks
 * carry a {@link ReplyTo} saying where the answer goes. Local messages hold arguments and
 * functions by reference; the transport carries the serializable ones across the wire.
 */
export type RpcMessage =
  | ControlMessage
  | HandshakeMessage
  | InvocationMessage
  | RunAsyncMessage
  | CallAsyncMessage
  | FencedMessage
  | UnfencedMessage;

/** A message that fencing applies to: the payload of a {@link FencedMessage}. */
export type FenceableMessage = InvocationMessage | RunAsyncMessage | CallAsyncMessage;

/** The outcome of an ask, as delivered to a {@link ReplySink}. */
export type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** Where answers go: the caller's table of pending calls, or a connection back to it. */
export interface ReplySink {
  /** Delivers the outcome of call `callId`. Called at most once per call; late calls are ignored. */
  complete(callId: number, outcome: Outcome): void;
}

/** The address of one pending ask's answer. */
export interface ReplyTo {
  readonly sink: ReplySink;
  readonly callId: number;
}

/** Lifecycle commands: the state machine's transitions. */
export type ControlCommand = 'start' | 'stop' | 'terminate';

/** Drives the endpoint's lifecycle; answered when the transition is done (or refused). */
export interface ControlMessage {
  readonly kind: 'control';
  readonly command: ControlCommand;
  readonly replyTo?: ReplyTo | undefined;
}

/** Asks whether the endpoint serves a protocol; answered in every state and never fenced. */
export interface HandshakeMessage {
  readonly kind: 'handshake';
  readonly protocol: ProtocolIdentity;
  readonly rpcVersion: number;
  /** Whether the caller will send fenced messages. */
  readonly fenced: boolean;
  readonly replyTo: ReplyTo;
}

/** A call of a protocol method. */
export interface InvocationMessage {
  readonly kind: 'invoke';
  /** The protocol that declares the method. */
  readonly protocol: string;
  readonly method: string;
  /** The arguments, by reference (local call). */
  readonly args?: readonly unknown[] | undefined;
  /** The serialized arguments (remote call, or local with forced serialization). */
  readonly encodedArgs?: Uint8Array | undefined;
  /** Absent for a tell. */
  readonly replyTo?: ReplyTo | undefined;
  /** Whether the answer must be serialized before it is delivered. */
  readonly encodeResult: boolean;
}

/** Runs a function in the endpoint's main thread. */
export interface RunAsyncMessage {
  readonly kind: 'runAsync';
  readonly fn: () => unknown;
}

/** Runs a function in the endpoint's main thread and answers with its result. */
export interface CallAsyncMessage {
  readonly kind: 'callAsync';
  readonly fn: () => unknown;
  readonly replyTo: ReplyTo;
}

/**
 * A message that runs only if `token` equals the fenced endpoint's current token. A caller's
 * message is refused while the endpoint holds no token; work the endpoint scheduled for
 * itself (`self`) runs if the token is unchanged since it was scheduled, even if both are
 * `undefined`.
 */
export interface FencedMessage {
  readonly kind: 'fenced';
  readonly token: FencingToken | undefined;
  readonly payload: FenceableMessage;
  readonly self?: boolean | undefined;
}

/** Work the fenced endpoint schedules for itself that runs whatever its token is. */
export interface UnfencedMessage {
  readonly kind: 'unfenced';
  readonly payload: FenceableMessage;
}

/** The version of the RPC message protocol; a handshake between different versions fails. */
export const RPC_VERSION = 1;
