/**
 * Internals shared between nact-rpc packages: the messages an endpoint's actor receives, how a
 * runtime reaches an endpoint's lifecycle, the pending-call table, the gateway proxy, the
 * codec's envelopes and the runtime's own task scheduling. Not part of the public API and not
 * covered by semantic versioning; applications import from `@nact-rpc/core`. The published
 * types of the other packages do not refer to this entry.
 *
 * @packageDocumentation
 */
export { ENDPOINT_HOOKS, type EndpointHooks, type HasEndpointHooks } from './endpoint/endpointHooks';
export {
  MAX_DELAY_MS,
  PendingCalls,
  type CallCarrier,
  type CallDescription,
  type RegisteredCall,
} from './calls/PendingCalls';
export {
  encodeArguments,
  encodeError,
  encodeOutcome,
  encodeSizeError,
  exceedsMaxFrameSize,
  tryEncodeArguments,
  type ArgumentsEncoding,
} from './codec/encodeOutcome';
export { rejectWithCallerFrames } from './errors/rejectWithCallerFrames';
export { isPlainJson } from './codec/isPlainJson';
export { utf8Text } from './util/bufferText';
export { IntMap } from './util/IntMap';
export { RingQueue } from './util/RingQueue';
export { keepHiddenClass, keptHiddenClasses } from './util/keepHiddenClass';
export {
  cancelRuntimeImmediate,
  runtimeImmediate,
  runtimeMicrotask,
  runtimeNextTimers,
} from './scheduling/runtimeImmediate';
export { isDeliveryBudgetMessageOnly, useMessageOnlyDeliveryBudget } from './scheduling/deliveryBudget';
export { newIncarnationId, useIncarnationIds } from './service/incarnationIds';
export { checkConnectOptions, checkFencingToken, isFencingToken } from './endpoint/checkFencingToken';
export {
  describeProtocolMismatch,
  methodSignature,
  protocolIdentity,
  type MethodDescriptor,
  type ProtocolIdentity,
} from './protocol/ProtocolIdentity';
export {
  checkProtocolIdentity,
  describe as describeReceivedValue,
  isPlainObject,
} from './protocol/checkProtocolIdentity';
export type { GatewayInvoker } from './gateway/GatewayInvoker';
export { PendingCall } from './calls/PendingCall';
export { callInfoOf, NO_METADATA, type CallInfo, type OutgoingCallInfo } from './calls/CallInfo';
export {
  checkCallMetadata,
  MAX_METADATA_ENTRIES,
  MAX_METADATA_KEY_BYTES,
  MAX_METADATA_TOTAL_BYTES,
  MAX_METADATA_VALUE_BYTES,
  METADATA_KEY_PATTERN,
} from './calls/callMetadata';
export { checkCallOptions } from './calls/CallOptions';
export { outgoingCall } from './calls/outgoingCall';
export {
  callContextOf,
  currentCallContext,
  enterServedCall,
  exitServedCall,
  inheritedDeadline,
  runInCallScope,
} from './calls/servedCall';
export { CallScope, NEVER_ABORTED } from './calls/CallScope';
export { ServedSignal } from './calls/ServedSignal';
export { InterceptingInvoker } from './interceptors/InterceptingInvoker';
export { DelegatingInvoker } from './gateway/DelegatingInvoker';
export { createGatewayProxy } from './gateway/createGatewayProxy';
export { assertServes } from './endpoint/serves';
export {
  RPC_VERSION,
  type CallAsyncMessage,
  type ControlCommand,
  type ControlMessage,
  type AnswerLimit,
  type EncodedOutcome,
  type FenceableMessage,
  type FencedMessage,
  type HandshakeMessage,
  type InvocationMessage,
  type LocalInvocationMessage,
  type Outcome,
  type ReplySink,
  type ReplyTo,
  type RpcMessage,
  type RunAsyncMessage,
  type SerializedInvocationMessage,
  type UnfencedMessage,
} from './messages/RpcMessage';
export {
  fromErrorEnvelope,
  toErrorEnvelope,
  lacksRemoteStack,
  useCallerFrames,
  BUILTIN_ERROR_CLASSES,
  type ErrorEnvelope,
  type ErrorEnvelopeOptions,
} from './codec/errorEnvelope';
export { REMOTE_ERROR_STACKS, sendsErrorStacks } from './errors/RemoteErrorStacks';
export type { Resolved } from './util/Resolved';
