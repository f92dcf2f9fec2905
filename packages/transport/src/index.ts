/**
 * The nact-rpc TCP transport: length-prefixed frames, one association per pair of services,
 * heartbeats, and remote gateways. Runtimes use it; applications configure it through the
 * service options (`NactRpcService.create({ listen, transport })`), with the types below.
 *
 * @module \@nact-rpc/transport
 */
export type { ListenOptions } from './TcpTransport';
export type { TransportOptions } from './TransportOptions';
export type { TransportStats, TellLossReason } from './TellLosses';
export type { TransportTraffic } from './TrafficCounter';
export type { PortSpec } from './parsePortSpec';
export type { SecurityOptions, TlsOptions, Pem } from './security/SecurityOptions';
export type { Network, NetworkConnectOptions, NetworkListener, NetworkListenOptions } from './network/Network';
