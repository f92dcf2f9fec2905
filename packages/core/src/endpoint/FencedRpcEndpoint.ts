import type { AnyProtocol } from '../protocol/Protocol';
import type { FencedGatewayOf } from '../protocol/types';
import type { SelfFencing } from '../service/RpcServer';
import type { RpcService } from '../service/RpcService';
import type { FencingToken } from './FencingToken';
import type { MainThreadExecutor } from './MainThreadExecutor';
import { RpcInvalidOptionError } from '../errors/RpcInvalidOptionError';
import { checkFencingToken } from './checkFencingToken';
import { RpcEndpoint } from './RpcEndpoint';

/**
 * An endpoint that runs a call only when the call's fencing token equals its own current
 * token: the guard of a leader against callers that still talk to a former leader.
 *
 * - Callers connect with `service.connect(address, Protocol, { fencingToken })`; every call
 *   carries that token. A call with another token, or any call while the endpoint holds no
 *   token (it is not the leader), is refused with `FencingTokenError` and never runs.
 * - **Leader change**: `setFencingToken` (main thread only) replaces the token; from then on
 *   callers with the old token are refused. The self gateway always sends the current token.
 * - Work the endpoint schedules for itself (`runAsync`, `callAsync`, `scheduleRunAsync`, the
 *   main thread executor) belongs to the token current when it was scheduled: after a token
 *   change it is dropped (a `callAsync` is refused). The `...WithoutFencing` variants run
 *   whatever the token is.
 *
 * @example
 * ```ts
 * @serves(DispatcherProtocol)
 * class Dispatcher extends FencedRpcEndpoint<string> {
 *   grantLeadership(sessionId: string): void {
 *     this.runAsyncWithoutFencing(() => this.setFencingToken(sessionId));
 *   }
 *   ...
 * }
 * ```
 */
export abstract class FencedRpcEndpoint<TToken extends FencingToken = FencingToken> extends RpcEndpoint {
  private fencingToken: TToken | undefined;

  /**
   * The arguments of {@link RpcEndpoint}'s constructor, then the token, as Flink's
   * `FencedRpcEndpoint(rpcService, endpointId, fencingToken)`.
   *
   * @param rpcService - The service to register with.
   * @param endpointId - As for {@link RpcEndpoint}: a random UUID by default.
   * @param initialToken - The token to start with; `undefined` (the default) for an endpoint
   *   that is not the leader yet.
   * @throws RpcInvalidOptionError naming `endpointId` or `fencingToken` if one is malformed.
   */
  constructor(rpcService: RpcService, endpointId?: string, initialToken?: TToken) {
    if (typeof endpointId === 'number' || typeof endpointId === 'bigint') {
      throw RpcInvalidOptionError.forValue(
        'endpointId',
        endpointId,
        'an endpoint id: FencedRpcEndpoint takes (rpcService, endpointId, initialToken), the token last',
        'FencedRpcEndpoint',
      );
    }
    super(rpcService, endpointId);
    this.fencingToken = checkFencingToken(initialToken, true, 'FencedRpcEndpoint') as TToken | undefined;
  }

  /** The endpoint's current fencing token, or `undefined` while it holds none. */
  getFencingToken(): TToken | undefined {
    return this.fencingToken;
  }

  /**
   * Replaces the fencing token (a leader change), or clears it with `undefined` (leadership
   * lost). Calls carrying any other token are refused from now on.
   *
   * @throws RpcInvalidStateError unless called in the main thread.
   * @throws RpcInvalidOptionError naming `fencingToken` if it is not a string, number or bigint.
   */
  protected setFencingToken(token: TToken | undefined): void {
    this.validateRunsInMainThread();
    checkFencingToken(token, true, 'setFencingToken');
    this.fencingToken = token;
  }

  /** A gateway to this endpoint that always sends its current token. */
  override getSelfGateway<TProtocol extends AnyProtocol>(protocol: TProtocol): FencedGatewayOf<TProtocol, TToken> {
    return this.rpcServer.getSelfGateway(protocol) as FencedGatewayOf<TProtocol, TToken>;
  }

  /** Like `runAsync`, but runs even if the fencing token changes meanwhile. */
  protected runAsyncWithoutFencing(fn: () => unknown): void {
    this.rpcServer.runAsync(fn, 'unfenced');
  }

  /** Like `callAsync`, but runs even if the fencing token changes meanwhile. */
  protected callAsyncWithoutFencing<TResult>(
    fn: () => TResult | PromiseLike<TResult>,
    timeoutMs: number,
  ): Promise<TResult> {
    return this.rpcServer.callAsync(fn, timeoutMs, 'unfenced');
  }

  /** A main thread executor whose work runs even if the fencing token changes meanwhile. */
  protected getUnfencedMainThreadExecutor(): MainThreadExecutor {
    return this.rpcServer.getMainThreadExecutor('unfenced');
  }

  protected override selfFencing(): SelfFencing {
    return 'fenced';
  }

  protected override currentFencingToken(): FencingToken | undefined {
    return this.fencingToken;
  }
}
