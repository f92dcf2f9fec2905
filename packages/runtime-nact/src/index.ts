/**
 * The nact-backed nact-rpc runtime: {@link NactRpcService} runs each endpoint in a nact actor.
 *
 * @packageDocumentation
 */
export { NactRpcService } from './NactRpcService';
export type { NactRpcServiceOptions } from './NactRpcServiceOptions';
export type { EndpointState } from './EndpointActor';
