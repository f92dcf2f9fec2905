/**
 * The transport's workings, for runtimes such as `@nact-rpc/runtime-nact`: the TCP transport,
 * associations, peers, frames and the wire format. Not part of the public API and not covered
 * by semantic versioning; applications configure the transport through the service options.
 *
 * @packageDocumentation
 */
export { TcpTransport } from './TcpTransport';
export { resolveTransportOptions, type ResolvedTransportOptions } from './TransportOptions';
export type { TransportHost } from './TransportHost';
export { RemoteInvoker, type RemoteTarget } from './RemoteInvoker';
export {
  Association,
  type AssociationRole,
  type AssociationState,
  type AssociationEvents,
  type AssociationSetup,
} from './association/Association';
export { Peer, type OutboundMessage } from './association/Peer';
export { tcpNetwork } from './network/tcpNetwork';
export type { Network, NetworkConnectOptions, NetworkListener, NetworkListenOptions } from './network/Network';
export { FrameDecoder, FrameTooLargeError } from './framing/FrameDecoder';
export { FrameWriter, MAX_BATCH_FRAMES, type ByteSink } from './framing/FrameWriter';
export { describeOverflow, type OutputBound } from './framing/OutputBound';
export { TellBatches } from './framing/TellBatches';
export { TellLosses } from './TellLosses';
export { ThrottledLog } from './ThrottledLog';
export { parsePortSpec } from './parsePortSpec';
export {
  resolveSecurityOptions,
  MIN_SECRET_BYTES,
  type ResolvedSecurity,
  type SecurityOptions,
  type TlsOptions,
  type Pem,
} from './security/SecurityOptions';
export { SecretProof, newNonce, NONCE_BYTES, PROOF_BYTES, type ProofRole } from './security/SecretProof';
export { certificateNames, checkCertificateNames } from './security/certificateNames';
export { type PeerIdentity } from './association/AssociationOpening';
export { MAX_OPENING_FRAME_BYTES } from './association/AssociationInbound';
export { isLoopbackAddress } from './isLoopbackAddress';
export {
  WIRE_MAGIC,
  WIRE_VERSION,
  WireKind,
  type CancelMessage,
  type HandshakeRequestMessage,
  type HelloBody,
  type MalformedHandshakeMessage,
  type WellFormedHandshakeMessage,
  type RequestMessage,
  type ResponseMessage,
  type WireAddress,
  type WireCallInfo,
  type WireKindValue,
  type WireMessage,
} from './wire/WireMessage';
export { decodeWireMessage } from './wire/decodeWireMessage';
export {
  encodeAuth,
  encodeCancel,
  encodeHandshake,
  encodeHello,
  encodeHelloReject,
  encodeRequestHeader,
  encodeResponseHeader,
  encodeSignal,
  FRAME_HEADER_BYTES,
} from './wire/wireFormat';
export { WireFormatError } from './wire/WireFormatError';
export {
  checkCallInfo,
  checkCallMetadata,
  MAX_DEADLINE_MS,
  MAX_METADATA_ENTRIES,
  MAX_METADATA_KEY_BYTES,
  MAX_METADATA_TOTAL_BYTES,
  MAX_METADATA_VALUE_BYTES,
  MAX_TRACESTATE_BYTES,
  METADATA_KEY_PATTERN,
  TRACEPARENT_PATTERN,
} from './wire/callInfoLimits';
export { validateHandshakeDetails, validateHelloBody, type HandshakeDetails } from './wire/validateWire';
