import type { FencingToken } from '../endpoint/FencingToken';
import type { RpcGateway } from './RpcGateway';

/**
 * A gateway whose every message carries a fencing token. The endpoint runs a call only when
 * the token equals its own current token; otherwise the caller gets a `FencingTokenError`.
 */
export interface FencedRpcGateway<TToken extends FencingToken = FencingToken> extends RpcGateway {
  /**
   * The token this gateway sends: the one it was connected with or, for an endpoint's self
   * gateway, the endpoint's current token (`undefined` while it holds none).
   */
  getFencingToken(): TToken | undefined;
}
