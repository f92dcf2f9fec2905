import type { AnyProtocol, FencedGatewayOf, FencingToken } from '@nact-rpc/core';
import { checkFencingToken } from '@nact-rpc/core/internal';
import { StubGateway, type StubGatewayOptions } from './StubGateway';
import type { FencedRecordedCall, StubImplementations } from './types';

/**
 * `T`, where TypeScript must not infer `T` from it: a stub made with `'session-1'` has tokens
 * of type `FencingToken` (or the type given), not of the literal type `'session-1'`.
 */
type NotInferred<T> = [T][T extends unknown ? 0 : never];

/**
 * A {@link StubGateway} that stands in for a fenced endpoint (a `FencedRpcEndpoint`): it holds
 * a fencing token, as a leader holds its session id, and its gateways are fenced gateways
 * whose every call carries a token.
 *
 * - A call carrying the stub's current token runs as on a {@link StubGateway}. A call
 *   carrying another token, or any call while the stub holds none, does not run: an ask
 *   rejects with `FencingTokenError`, a tell is dropped.
 * - Every call is recorded, refused ones too, with the token it carried
 *   (the `fencingToken` of each {@link FencedRecordedCall}).
 * - {@link FencedStubGateway.gateway} carries the stub's current token (it follows
 *   {@link FencedStubGateway.setFencingToken}); {@link FencedStubGateway.gatewayWithToken}
 *   makes a gateway that carries a given one, as `connect(address, protocol, { fencingToken })`
 *   of a `TestingRpcService` does.
 *
 * @example
 * ```ts
 * const leader = new FencedStubGateway(DispatcherProtocol, 'session-1', { submit: () => 'accepted' });
 * await expect(leader.gatewayWithToken('session-0').submit(job)).rejects.toBeInstanceOf(FencingTokenError);
 * expect(await leader.gateway.submit(job)).toBe('accepted');
 * ```
 */
export class FencedStubGateway<
  TProtocol extends AnyProtocol,
  TToken extends FencingToken = FencingToken,
> extends StubGateway<TProtocol> {
  private fencingToken: TToken | undefined;
  private ownFencedGateway: FencedGatewayOf<TProtocol, TToken> | undefined;

  /**
   * @param protocol - The protocol to stand in for.
   * @param fencingToken - The stub's token: calls carrying another one are refused.
   *   `undefined` for a stub that is not the leader (yet), which refuses every call.
   * @param implementations - As for {@link StubGateway}.
   * @param options - As for {@link StubGateway}.
   * @throws RpcInvalidOptionError naming `fencingToken` if it is not a string, number, bigint
   *   or `undefined`; otherwise as {@link StubGateway}.
   */
  constructor(
    protocol: TProtocol,
    fencingToken: NotInferred<TToken> | undefined,
    implementations: StubImplementations<TProtocol> = {},
    options: StubGatewayOptions = {},
  ) {
    super(protocol, implementations, options);
    this.fencingToken = checkFencingToken(fencingToken, true, 'FencedStubGateway') as TToken | undefined;
  }

  /** A fenced gateway whose calls carry the stub's current token (none while it holds none). */
  override get gateway(): FencedGatewayOf<TProtocol, TToken> {
    this.ownFencedGateway ??= this.createGateway(() => this.fencingToken) as FencedGatewayOf<TProtocol, TToken>;
    return this.ownFencedGateway;
  }

  /** Every call the stub's gateways received, in order, each with the token it carried. */
  override get calls(): readonly FencedRecordedCall<TProtocol, TToken>[] {
    return super.calls as readonly FencedRecordedCall<TProtocol, TToken>[];
  }

  /** The stub's current fencing token, or `undefined` while it holds none. */
  getFencingToken(): TToken | undefined {
    return this.fencingToken;
  }

  /**
   * Replaces the stub's token (a leader change), or clears it with `undefined` (leadership
   * lost): from now on, calls carrying any other token are refused.
   * @throws RpcInvalidOptionError naming `fencingToken` if it is not a string, number, bigint or `undefined`.
   */
  setFencingToken(fencingToken: TToken | undefined): void {
    this.fencingToken = checkFencingToken(fencingToken, true, 'FencedStubGateway.setFencingToken') as
      TToken | undefined;
  }

  /**
   * A new fenced gateway answered by this stub whose calls carry `fencingToken`: they run
   * while it is the stub's token, and are refused otherwise.
   * @throws RpcInvalidOptionError naming `fencingToken` if it is not a string, number or bigint.
   */
  gatewayWithToken(fencingToken: TToken): FencedGatewayOf<TProtocol, TToken> {
    const token = checkFencingToken(fencingToken, false, 'FencedStubGateway.gatewayWithToken');
    return this.createGateway(() => token) as FencedGatewayOf<TProtocol, TToken>;
  }

  protected override describeCall(method: string, args: unknown[], fencingToken: FencingToken | undefined): object {
    return { method, args, fencingToken };
  }

  protected override refusal(fencingToken: FencingToken | undefined): string | undefined {
    const current = this.fencingToken;
    if (current === undefined) return 'the stub holds no fencing token (it is not the leader).';
    if (fencingToken !== current) {
      return `the call's fencing token ${String(fencingToken)} does not match the stub's token ${String(current)}.`;
    }
    return undefined;
  }
}
