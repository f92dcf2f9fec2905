import type { AnyProtocol, FencingToken } from '@nact-rpc/core';

/** A `connect` of a {@link TestingRpcService}, as its {@link ConnectHook} sees it. */
export interface ConnectAttempt {
  /** The address connected to. */
  readonly address: string;
  /** The protocol the caller asked for. */
  readonly protocol: AnyProtocol;
  /** The caller's token, for a fenced connect; absent otherwise. */
  readonly fencingToken?: FencingToken | undefined;
  /** Whether a stub gateway was registered at the address when the connect began. */
  readonly registered: boolean;
}

/**
 * Runs at the start of every `connect` of a {@link TestingRpcService}, to delay or fail it: the
 * connect goes on once what the hook returns has resolved, and rejects with what the hook
 * threw or rejected with. (Flink's `TestingRpcService.setRpcGatewayFutureFunction`.)
 *
 * @example
 * ```ts
 * const release = deferred();
 * service.setConnectHook(() => release.promise); // connects wait until release.resolve()
 * service.setConnectHook(({ address }) => {
 *   throw new RpcConnectionError(`Could not connect to ${address}: refused by the test.`);
 * });
 * ```
 */
export type ConnectHook = (attempt: ConnectAttempt) => void | PromiseLike<void>;
