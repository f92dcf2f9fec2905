import type { RuntimeContext } from './RuntimeContext';

/**
 * What the pieces of an endpoint's actor (invocation, answers, refusals) need from it. The
 * actor itself is the scope, so that handling a message allocates nothing for them.
 */
export interface ActorScope {
  /** The endpoint whose methods are called: `this` in an RPC method. */
  readonly endpoint: object;
  readonly context: RuntimeContext;
  /** The object whose turns are the endpoint's main thread. */
  readonly turnOwner: object;
  /** The endpoint's id. */
  readonly endpointId: string;
  /** Names the endpoint in log and error messages. */
  describe(): string;
}
