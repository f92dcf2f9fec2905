/**
 * The nact-rpc TCP transport: length-prefixed frames, one association per pair of services,
 * heartbeats, and remote gateways. Used by runtimes; applications configure it through the
 * service options.
 *
 * @packageDocumentation
 */
export { TcpTransport, type ListenOptions } from './TcpTransport';
export { resolveTransportOptions, type ResolvedTransportOptions, type TransportOptions } from './TransportOptions';
export type { TransportHost } from './TransportHost';
export { RemoteInvoker, type RemoteTarget } from './RemoteInvoker';
export { Association, type AssociationRole, type AssociationState, type AssociationEvents } from './association/Association';
export { Peer, type OutboundMessage } from './association/Peer';
export { FrameDecoder, FrameTooLargeError, FRAME_HEADER_BYTES } from './framing/FrameDecoder';
export { FrameWriter, type ByteSink } from './framing/FrameWriter';
export { parsePortSpec, type PortSpec } from './parsePortSpec';
export {
  WIRE_MAGIC,
  WIRE_VERSION,
  WireKind,
  type HandshakeRequestMessage,
  type HelloBody,
  type RequestMessage,
  type ResponseMessage,
  type WireAddress,
  type WireKindValue,
  type WireMessage,
} from './wire/WireMessage';
export {
  decodeWireMessage,
  encodeHandshake,
  encodeHello,
  encodeRequestHeader,
  encodeResponseHeader,
  encodeSignal,
  WireFormatError,
} from './wire/wireFormat';
