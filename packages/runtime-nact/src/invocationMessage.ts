import type { Ref } from 'nact';
import {
  RpcInvalidOptionError,
  type AnyProtocol,
  type AskMethod,
  type FencingToken,
  type MethodsOf,
  type TellMethod,
} from '@nact-rpc/core';
import {
  ACTOR_INVOCATION,
  type ActorInvocation,
  type ActorInvocationReply,
  type CorrelationId,
} from './ActorInvocation';

/** The names of the methods of `TProtocol`. */
export type MethodNameOf<TProtocol extends AnyProtocol> = keyof MethodsOf<TProtocol> & string;

/** The argument tuple of method `TMethod` of `TProtocol`. */
export type MethodArgsOf<TProtocol extends AnyProtocol, TMethod extends MethodNameOf<TProtocol>> =
  MethodsOf<TProtocol>[TMethod] extends AskMethod<infer TArgs, unknown>
    ? TArgs
    : MethodsOf<TProtocol>[TMethod] extends TellMethod<infer TArgs>
      ? TArgs
      : never;

// The conditional types below match `AskMethod<any, ...>`, not `AskMethod<readonly unknown[], ...>`:
// an ask's phantom argument field is a function parameter, so it is contravariant.

/** The reply an actor receives for an ask of method `TMethod` of `TProtocol` (`never` for a tell). */
export type ActorInvocationReplyOf<TProtocol extends AnyProtocol, TMethod extends MethodNameOf<TProtocol>> =
  MethodsOf<TProtocol>[TMethod] extends AskMethod<never, infer TResult>
    ? ActorInvocationReply<Awaited<TResult>>
    : never;

/** Options of the invocation of a tell: no reply, so only the fencing token. */
export interface TellInvocationOptions {
  /** The token of a fenced endpoint; leave it out for an unfenced one. */
  readonly fencingToken?: FencingToken | undefined;
}

/** Options of the invocation of an ask. */
export interface AskInvocationOptions<TResult> extends TellInvocationOptions {
  /** Where the reply goes, usually the calling actor's `ctx.self`. Without it, nobody is answered. */
  readonly replyTo?: Ref<ActorInvocationReply<TResult>> | undefined;
  /** Echoed in the reply. */
  readonly correlationId?: CorrelationId | undefined;
}

/** The options {@link invocationMessage} accepts for method `TMethod` of `TProtocol`. */
export type InvocationOptionsOf<TProtocol extends AnyProtocol, TMethod extends MethodNameOf<TProtocol>> =
  MethodsOf<TProtocol>[TMethod] extends AskMethod<never, infer TResult>
    ? AskInvocationOptions<Awaited<TResult>>
    : TellInvocationOptions;

/**
 * Builds the message with which a plain nact actor calls method `method` of `protocol` on an
 * endpoint, checked by the compiler like a gateway call: the method must be one of the
 * protocol's, the arguments must have its parameter types, and only an ask takes a `replyTo`.
 * Dispatch it to the endpoint's actor (`NactRpcService.actorOf`).
 *
 * @throws RpcInvalidOptionError if `method` is not a method of `protocol` or `args` is not an
 *   array (possible only when the types were bypassed).
 *
 * @example
 * ```ts
 * // Inside a nact actor's function:
 * dispatch(jobManagerRef, invocationMessage(JobProtocol, 'status', [jobId], { replyTo: ctx.self, correlationId: 7 }));
 * // ...later the actor receives { type: 'nact-rpc/result', correlationId: 7, value: 'running', ... }
 * ```
 */
export function invocationMessage<TProtocol extends AnyProtocol, TMethod extends MethodNameOf<TProtocol>>(
  protocol: TProtocol,
  method: TMethod,
  args: MethodArgsOf<TProtocol, TMethod>,
  options?: InvocationOptionsOf<TProtocol, TMethod>,
): ActorInvocation {
  const declared = Object.hasOwn(protocol.methods, method) ? protocol.methods[method] : undefined;
  if (declared === undefined) {
    throw RpcInvalidOptionError.forValue(
      'method',
      method,
      `a method of protocol ${protocol.name}`,
      'invocationMessage',
    );
  }
  if (!Array.isArray(args)) {
    throw RpcInvalidOptionError.forValue('args', args, 'an array of the arguments', 'invocationMessage');
  }
  const { fencingToken, replyTo, correlationId }: AskInvocationOptions<unknown> = options ?? {};
  const base = { type: ACTOR_INVOCATION, protocol: protocol.name, method, args } as const;
  const fencing = fencingToken === undefined ? {} : { fencingToken };
  if (declared.kind === 'tell') return { ...base, ...fencing };
  return {
    ...base,
    ...fencing,
    ...(replyTo === undefined ? {} : { replyTo }),
    ...(correlationId === undefined ? {} : { correlationId }),
  };
}
