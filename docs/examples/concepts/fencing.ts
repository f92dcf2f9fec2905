// docs/concepts.md, "Fencing", and docs/guide.md, "Fencing": a dispatcher fenced by the leader
// session id, and its callers.
import {
  ask,
  defineProtocol,
  FencedRpcEndpoint,
  serves,
  tell,
  type FencedGatewayOf,
  type RpcService,
} from '@nact-rpc/core';

export const DispatcherProtocol = defineProtocol('DispatcherGateway', {
  submitJob: ask<[name: string], number>(),
  grantLeadership: ask<[sessionId: string], void>(),
  revokeLeadership: tell<[]>(),
});

// #region endpoint
@serves(DispatcherProtocol)
export class DispatcherEndpoint extends FencedRpcEndpoint<string> {
  readonly jobs: string[] = [];

  /** Runs only for callers that carry the current leader session id. */
  submitJob(name: string): number {
    this.jobs.push(name);
    return this.jobs.length;
  }

  /** Called by leader election: not fenced, since it is what changes the token. */
  grantLeadership(sessionId: string): Promise<void> {
    return this.callAsyncWithoutFencing(() => this.setFencingToken(sessionId), 1_000);
  }

  revokeLeadership(): void {
    this.runAsyncWithoutFencing(() => this.setFencingToken(undefined));
  }
}
// #endregion endpoint

/** The leader's endpoint, not started, and a caller's gateway to it at `address`. */
export async function leaderAndCaller(
  service: RpcService,
  address: string,
  sessionId: string,
): Promise<{ leader: DispatcherEndpoint; dispatcher: FencedGatewayOf<typeof DispatcherProtocol, string> }> {
  // #region construct
  // The endpoint: RpcEndpoint's arguments (service, endpoint id), then the token it starts with
  // (none for one that is not the leader yet), as Flink's FencedRpcEndpoint.
  const leader = new DispatcherEndpoint(service, 'dispatcher', sessionId);
  // A caller: every call of this gateway carries the token.
  const dispatcher = await service.connect(address, DispatcherProtocol, { fencingToken: sessionId });
  // #endregion construct
  return { leader, dispatcher };
}
