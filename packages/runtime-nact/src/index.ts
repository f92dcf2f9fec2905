/**
 * The nact-backed nact-rpc runtime: {@link NactRpcService} runs each endpoint in a nact actor.
 *
 * @module \@nact-rpc/runtime-nact
 */
export { NactRpcService } from './NactRpcService';
export type { NactRpcServiceOptions } from './NactRpcServiceOptions';
export type { PendingCallCounts } from './PendingCallCounts';
export {
  ACTOR_INVOCATION,
  ACTOR_INVOCATION_FAILURE,
  ACTOR_INVOCATION_RESULT,
  isActorInvocationReply,
  type ActorInvocation,
  type ActorInvocationFailure,
  type ActorInvocationReply,
  type ActorInvocationResult,
  type CorrelationId,
} from './ActorInvocation';
export {
  invocationMessage,
  type ActorInvocationReplyOf,
  type AskInvocationOptions,
  type InvocationOptionsOf,
  type MethodArgsOf,
  type MethodNameOf,
  type TellInvocationOptions,
} from './invocationMessage';
export type { EndpointState } from './EndpointLifecycle';
