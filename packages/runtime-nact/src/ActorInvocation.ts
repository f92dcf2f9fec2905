import type { Ref } from 'nact';
import type { FencingToken } from '@nact-rpc/core';

/*
 * The messages with which a plain nact actor calls an endpoint without a gateway: it
 * dispatches an {@link ActorInvocation} to the endpoint's actor (see
 * `NactRpcService.actorOf`), and, for an ask that names a `replyTo`, receives one
 * {@link ActorInvocationReply}. Build invocations with `invocationMessage`, which checks the
 * method name and argument types against the protocol.
 *
 * The `type` strings are namespaced (`nact-rpc/...`) so that they do not collide with the
 * user's own message types in the same actor.
 */

/** The `type` of an {@link ActorInvocation}. */
export const ACTOR_INVOCATION = 'nact-rpc/invoke';
/** The `type` of an {@link ActorInvocationResult}. */
export const ACTOR_INVOCATION_RESULT = 'nact-rpc/result';
/** The `type` of an {@link ActorInvocationFailure}. */
export const ACTOR_INVOCATION_FAILURE = 'nact-rpc/failure';

/** Echoed unchanged in the reply, so that an actor with several calls in flight can match them. */
export type CorrelationId = string | number;

/**
 * A call of a protocol method, dispatched by a plain nact actor to an endpoint's actor. It
 * joins the endpoint's mailbox like a gateway's call: it runs in the endpoint's main thread,
 * one message at a time, in arrival order. Arguments and results travel by reference.
 *
 * The endpoint answers an ask with an {@link ActorInvocationReply} to `replyTo`; it never
 * answers a tell, and without `replyTo` nobody is answered (a failure is then logged).
 */
export interface ActorInvocation {
  /** Marks the message as an invocation: {@link ACTOR_INVOCATION}. */
  readonly type: typeof ACTOR_INVOCATION;
  /** The name of the protocol that declares the method; the endpoint must serve it. */
  readonly protocol: string;
  /** The method, one of the protocol's. */
  readonly method: string;
  /** The arguments, in order. */
  readonly args: readonly unknown[];
  /** Where the reply of an ask goes, usually the calling actor's `ctx.self`. */
  readonly replyTo?: Ref<ActorInvocationReply>;
  /** Echoed in the reply. */
  readonly correlationId?: CorrelationId;
  /** Required by a fenced endpoint, refused by an unfenced one, as on a fenced gateway. */
  readonly fencingToken?: FencingToken;
}

/** The successful answer to an ask. */
export interface ActorInvocationResult<TResult = unknown> {
  /** Marks the message as a result: {@link ACTOR_INVOCATION_RESULT}. */
  readonly type: typeof ACTOR_INVOCATION_RESULT;
  /** The invocation's `correlationId`, if it had one. */
  readonly correlationId?: CorrelationId;
  /** The invocation's protocol. */
  readonly protocol: string;
  /** The invocation's method. */
  readonly method: string;
  /** What the method returned (or what its promise resolved to). */
  readonly value: TResult;
}

/**
 * The failed answer to an ask: the method threw or rejected (`error` is that very object), or
 * the endpoint refused the call with an `RpcError`: `RpcConnectionError` (it does not serve the
 * protocol or the method), `EndpointNotStartedError`, `FencingTokenError`,
 * `RecipientUnreachableError` (it has terminated) or `RpcInvalidOptionError` (a malformed
 * invocation).
 */
export interface ActorInvocationFailure {
  /** Marks the message as a failure: {@link ACTOR_INVOCATION_FAILURE}. */
  readonly type: typeof ACTOR_INVOCATION_FAILURE;
  /** The invocation's `correlationId`, if it had one. */
  readonly correlationId?: CorrelationId;
  /** The invocation's protocol. */
  readonly protocol: string;
  /** The invocation's method. */
  readonly method: string;
  /** What the method threw or rejected with, or the `RpcError` the endpoint refused the call with. */
  readonly error: unknown;
}

/** What the endpoint sends to an ask's `replyTo`: exactly one of these per ask. */
export type ActorInvocationReply<TResult = unknown> = ActorInvocationResult<TResult> | ActorInvocationFailure;

/**
 * Tells whether a message an actor received is the reply to one of its invocations, so that
 * an actor can handle replies beside its own messages.
 */
export function isActorInvocationReply(message: unknown): message is ActorInvocationReply {
  if (typeof message !== 'object' || message === null) return false;
  const type = (message as { readonly type?: unknown }).type;
  return type === ACTOR_INVOCATION_RESULT || type === ACTOR_INVOCATION_FAILURE;
}
