/**
 * nact-rpc core: protocols, gateways, endpoint base classes, the service and server
 * interfaces, codecs and errors. Runtimes (such as `@nact-rpc/runtime-nact`) implement the
 * interfaces; applications use both. What runtimes share beyond this (messages, the pending
 * call table, the gateway proxy) is in `@nact-rpc/core/internal`, which is not public API.
 *
 * @module \@nact-rpc/core
 */

export { defineProtocol, type DefineProtocolOptions, type InheritedMethods } from './protocol/defineProtocol';
export {
  ask,
  tell,
  type AnyMethod,
  type AskMethod,
  type AskOptions,
  type MethodOptions,
  type TellMethod,
  type TimeoutArgPosition,
} from './protocol/methods';
export type { AnyProtocol, MethodMap, MethodsOf, Protocol } from './protocol/Protocol';
export type {
  EndpointMethod,
  FencedGatewayOf,
  GatewayMethod,
  GatewayMethods,
  GatewayOf,
  Serves,
  ServesAll,
  UnionToIntersection,
} from './protocol/types';

export type { RpcGateway } from './gateway/RpcGateway';
export { withCallOptions } from './gateway/withCallOptions';
export type { CallOptions } from './calls/CallOptions';
export type { CallContext } from './calls/CallContext';
export { CALL_METADATA_LIMITS } from './calls/callMetadata';
export type {
  CallInterceptor,
  IncomingCall,
  Interceptors,
  OutgoingCall,
  ServeInterceptor,
} from './interceptors/Interceptor';
export type { FencedRpcGateway } from './gateway/FencedRpcGateway';

export { RpcEndpoint } from './endpoint/RpcEndpoint';
export { FencedRpcEndpoint } from './endpoint/FencedRpcEndpoint';
export { serves, declareServes, servedProtocols, type EndpointClassServing } from './endpoint/serves';
export type { FencingToken } from './endpoint/FencingToken';
export type { MainThreadExecutor } from './endpoint/MainThreadExecutor';

export type { RpcService, FencedConnectOptions } from './service/RpcService';
export type { RpcServer, SelfFencing } from './service/RpcServer';
export type { ScheduledTask } from './service/ScheduledTask';
export { systemClock, type Clock, type ClockTimer } from './scheduling/Clock';

export { formatRpcAddress, parseRpcAddress, RPC_SCHEME, RPC_TLS_SCHEME, type RpcAddress } from './address/RpcAddress';

export type { Codec, ErrorClass } from './codec/Codec';
export { SuperJsonCodec, type SerializableClass, type SuperJsonCodecOptions } from './codec/SuperJsonCodec';
export { DEFAULT_DECODE_LIMITS, type DecodeLimits, type ResolvedDecodeLimits } from './codec/DecodeLimits';
export { TypedCodec, type TypedCodecOptions } from './codec/typed/TypedCodec';

export { consoleLogger, type Logger, type LogLevel } from './log/Logger';
export { loggerFor, takesDetailsFirst } from './log/detailsFirst';

export { RpcError, isRpcError, type RpcErrorCode, type RpcErrorOptions } from './errors/RpcError';
export { RpcConnectionError } from './errors/RpcConnectionError';
export { HandshakeError } from './errors/HandshakeError';
export { RecipientUnreachableError } from './errors/RecipientUnreachableError';
export { EndpointNotStartedError } from './errors/EndpointNotStartedError';
export { RpcTimeoutError, type RpcTimeoutErrorOptions } from './errors/RpcTimeoutError';
export { RpcCancelledError } from './errors/RpcCancelledError';
export { RpcDeadlineExceededError } from './errors/RpcDeadlineExceededError';
export { RpcPermissionDeniedError } from './errors/RpcPermissionDeniedError';
export { FencingTokenError } from './errors/FencingTokenError';
export { RpcSerializationError } from './errors/RpcSerializationError';
export {
  RpcDecodeLimitError,
  type DecodeLimitName,
  type RpcDecodeLimitErrorOptions,
} from './errors/RpcDecodeLimitError';
export type { RemoteErrorStacks } from './errors/RemoteErrorStacks';
export { RpcInvalidStateError } from './errors/RpcInvalidStateError';
export { RpcInvalidOptionError, type RpcInvalidOptionErrorOptions } from './errors/RpcInvalidOptionError';
export { RpcBindError, type RpcBindErrorOptions } from './errors/RpcBindError';
