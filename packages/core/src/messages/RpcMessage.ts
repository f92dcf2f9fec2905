import type { FencingToken } from '../endpoint/FencingToken';
import type { ProtocolIdentity } from '../protocol/ProtocolIdentity';
import type { CallInfo } from '../calls/CallInfo';

/**
 * The messages an endpoint's actor receives. Each is a plain object tagged by `kind`; asks
 * carry a {@link ReplyTo} saying where the answer goes. Local messages hold arguments and
 * functions by reference; the transport carries the serializable ones across the wire.
 */
export type RpcMessage =
  | ControlMessage
  | HandshakeMessage
  | LocalInvocationMessage
  | SerializedInvocationMessage
  | RunAsyncMessage
  | CallAsyncMessage
  | FencedMessage
  | UnfencedMessage;

/** A message that fencing applies to: the payload of a {@link FencedMessage}. */
export type FenceableMessage = InvocationMessage | RunAsyncMessage | CallAsyncMessage;

/** The outcome of an ask, as delivered to a {@link ReplySink}. */
export type Outcome<TValue = unknown, TError = unknown> =
  { readonly ok: true; readonly value: TValue } | { readonly ok: false; readonly error: TError };

/** The outcome of a {@link SerializedInvocationMessage}: codec bytes of the value, or of an error envelope. */
export type EncodedOutcome = Outcome<Uint8Array, Uint8Array>;

/**
 * Where answers go: the caller's table of pending calls, or a connection back to it.
 * `complete` is a property, not a method, so that the compiler checks its parameter strictly:
 * a sink that takes only {@link EncodedOutcome}s cannot be handed plain ones.
 */
export interface ReplySink<TOutcome extends Outcome = Outcome> {
  /** Delivers the outcome of call `callId`. Called at most once per call; late calls are ignored. */
  readonly complete: (callId: number, outcome: TOutcome) => void;
  /**
   * Whether no answer can be delivered any more (the caller's connection has ended): an
   * endpoint then does not serialize its answer at all. Absent for sinks that never end.
   */
  readonly ended?: () => boolean;
  /**
   * For answers that cross the wire: the largest frame the answer may take and what that
   * frame adds to the encoded answer, so that an endpoint refuses one too large by name (see
   * `encodeOutcome`). Absent: the endpoint's own maximum frame size, nothing added.
   */
  readonly answerLimit?: () => AnswerLimit;
}

/** How large a serialized answer may be (see {@link ReplySink.answerLimit}). */
export interface AnswerLimit {
  /** The largest frame, in bytes: the smaller of the two sides' maximum frame sizes. */
  readonly maxFrameBytes: number;
  /** What the frame adds to the encoded answer (its length prefix and header), in bytes. */
  readonly overheadBytes: number;
  /** Whose limit `maxFrameBytes` is, for the error message: `'the caller's'`, `'this service's'`. */
  readonly whose: string;
}

/**
 * The address of one pending ask's answer. It is also how the serving side learns that the
 * caller gave up: an endpoint does not start a call whose caller no longer waits
 * ({@link ReplyTo.done}), and a running call's signal aborts ({@link ReplyTo.abortSignal}).
 */
export interface ReplyTo<TOutcome extends Outcome = Outcome> {
  readonly sink: ReplySink<TOutcome>;
  readonly callId: number;
  /**
   * Whether the caller no longer waits for this answer: the call was answered, timed out, was
   * cancelled, or its connection ended. Absent for reply addresses that cannot tell.
   */
  readonly done?: boolean;
  /** A signal that aborts when {@link done} becomes true other than by an answer; made on first use. */
  abortSignal?(): AbortSignal;
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

/**
 * A call of a protocol method: its arguments travel by reference
 * ({@link LocalInvocationMessage}) or serialized ({@link SerializedInvocationMessage}), and its
 * answer goes back the same way. The `kind` tells them apart.
 */
export type InvocationMessage = LocalInvocationMessage | SerializedInvocationMessage;

/** What every {@link InvocationMessage} names. */
interface InvocationFields {
  /** The protocol that declares the method. */
  readonly protocol: string;
  readonly method: string;
  /** The call's deadline, metadata and trace context; absent when it carries none. */
  readonly call?: CallInfo | undefined;
}

/** A call within the process, arguments and answer by reference. */
export interface LocalInvocationMessage extends InvocationFields {
  readonly kind: 'invoke';
  readonly args: readonly unknown[];
  /** Absent for a tell. */
  readonly replyTo?: ReplyTo | undefined;
}

/**
 * A call whose arguments arrive serialized (a remote call, or a local one with forced
 * serialization); its answer is serialized before it is delivered.
 */
export interface SerializedInvocationMessage extends InvocationFields {
  readonly kind: 'invokeSerialized';
  /** The codec bytes of the argument array. */
  readonly encodedArgs: Uint8Array;
  /** Absent for a tell. */
  readonly replyTo?: ReplyTo<EncodedOutcome> | undefined;
  /**
   * Whether an error in the answer keeps its stacks (its causes' and inner errors' too).
   * Default `true`; `false` when the caller is a peer the service does not send stacks to.
   */
  readonly errorStacks?: boolean | undefined;
}

/** Runs a function in the endpoint's main thread. */
export interface RunAsyncMessage {
  readonly kind: 'runAsync';
  readonly fn: () => unknown;
  /**
   * Told how the work ended: its result (awaited), the error it threw (which is logged too),
   * or the error it was refused with (an outdated fencing token, a terminated endpoint).
   */
  readonly settled?: ((outcome: Outcome) => void) | undefined;
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
