import type { FencingToken } from '../endpoint/FencingToken';
import type { FencedRpcGateway } from '../gateway/FencedRpcGateway';
import type { RpcGateway } from '../gateway/RpcGateway';
import type { AskMethod, TellMethod } from './methods';
import type { AnyProtocol } from './Protocol';

/** The caller's view of one method: a tell returns `void`, an ask a promise of its result. */
export type GatewayMethod<TMethod> =
  TMethod extends AskMethod<infer TArgs, infer TResult>
    ? (...args: TArgs) => Promise<Awaited<TResult>>
    : TMethod extends TellMethod<infer TArgs>
      ? (...args: TArgs) => void
      : never;

/** The implementation's view of one method: it may answer directly or with a promise. */
export type EndpointMethod<TMethod> =
  TMethod extends AskMethod<infer TArgs, infer TResult>
    ? (...args: TArgs) => Awaited<TResult> | PromiseLike<Awaited<TResult>>
    : TMethod extends TellMethod<infer TArgs>
      ? (...args: TArgs) => void | PromiseLike<void>
      : never;

/** The protocol methods of a gateway of `TProtocol`, without the gateway's own methods. */
export type GatewayMethods<TProtocol extends AnyProtocol> = {
  readonly [K in keyof TProtocol['methods']]: GatewayMethod<TProtocol['methods'][K]>;
};

/**
 * The type of a gateway to an endpoint serving `TProtocol`.
 *
 * @example
 * ```ts
 * type HelloGateway = GatewayOf<typeof HelloProtocol>;
 * const hello: HelloGateway = await service.connect(address, HelloProtocol);
 * const greeting: string = await hello.hello();
 * ```
 */
export type GatewayOf<TProtocol extends AnyProtocol> = RpcGateway & GatewayMethods<TProtocol>;

/** The type of a fenced gateway to an endpoint serving `TProtocol`. */
export type FencedGatewayOf<
  TProtocol extends AnyProtocol,
  TToken extends FencingToken = FencingToken,
> = FencedRpcGateway<TToken> & GatewayMethods<TProtocol>;

/**
 * The methods an endpoint must have to serve `TProtocol`. The `serves` decorator checks an
 * endpoint class against it, so a missing or mistyped method is a compile error.
 */
export type Serves<TProtocol extends AnyProtocol> = {
  [K in keyof TProtocol['methods']]: EndpointMethod<TProtocol['methods'][K]>;
};

/** Turns a union into the intersection of its members. */
export type UnionToIntersection<TUnion> = (TUnion extends unknown ? (value: TUnion) => void : never) extends (
  value: infer TIntersection,
) => void
  ? TIntersection
  : never;

/** {@link Serves}, distributed over a union of protocols. */
type ServesEach<TProtocol> = TProtocol extends AnyProtocol ? Serves<TProtocol> : never;

/** The methods an endpoint must have to serve every protocol of `TProtocols`. */
export type ServesAll<TProtocols extends readonly AnyProtocol[]> = [TProtocols[number]] extends [never]
  ? unknown
  : UnionToIntersection<ServesEach<TProtocols[number]>>;
