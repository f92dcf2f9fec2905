import type { AnyProtocol } from '../protocol/Protocol';
import type { FencingToken } from './FencingToken';

/**
 * The key of the method through which a runtime reaches an endpoint's lifecycle callbacks.
 * Exported only through `@nact-rpc/core/internal`, so applications do not stumble on it.
 */
export const ENDPOINT_HOOKS: unique symbol = Symbol.for('nact-rpc.endpointHooks');

/** What a runtime needs from an endpoint, beyond its RPC methods. */
export interface EndpointHooks {
  /** The endpoint's id. */
  readonly endpointId: string;
  /** A readable name of the endpoint's class, for log and error messages. */
  readonly className: string;
  /** Every protocol the endpoint serves, including the protocols they extend. */
  readonly protocols: readonly AnyProtocol[];
  /** Whether the endpoint is a `FencedRpcEndpoint`. */
  readonly fenced: boolean;
  /** Calls the endpoint's `onStart`. */
  onStart(): void | PromiseLike<void>;
  /** Calls the endpoint's `onStop`. */
  onStop(): void | PromiseLike<void>;
  /** Sets what the endpoint's `isRunning()` answers. */
  setRunning(running: boolean): void;
  /** The endpoint's current fencing token (always `undefined` for unfenced endpoints). */
  fencingToken(): FencingToken | undefined;
}

/** An object that exposes {@link EndpointHooks}: every `RpcEndpoint`. */
export interface HasEndpointHooks {
  [ENDPOINT_HOOKS](): EndpointHooks;
}
