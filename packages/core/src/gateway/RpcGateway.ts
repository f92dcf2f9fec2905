/**
 * What every gateway answers locally, without a message to the endpoint. A gateway is the
 * typed proxy a caller holds; `GatewayOf<P>` adds the protocol's methods to it.
 *
 * A gateway is deliberately not a thenable: `await gateway` yields the gateway itself.
 */
export interface RpcGateway {
  /** The address of the endpoint behind this gateway. */
  getAddress(): string;
  /** The host name of the endpoint behind this gateway (`localhost` for a local-only service). */
  getHostname(): string;
}
