import { RpcEndpoint, serves, type FencedGatewayOf } from '@nact-rpc/core';
import { LeaderProtocol, WorkerProtocol } from './protocols';

/** A worker: registers with the leader under a session id and sends it heartbeats. */
@serves(WorkerProtocol)
export class WorkerEndpoint extends RpcEndpoint {
  private leader: FencedGatewayOf<typeof LeaderProtocol, string> | undefined;

  load(): number {
    return this.leader === undefined ? 0 : 1;
  }

  async registerWith(leaderAddress: string, sessionId: string): Promise<number> {
    const leader = await this.rpcService.connect(leaderAddress, LeaderProtocol, { fencingToken: sessionId });
    // After an await the method runs outside the main thread: store the gateway from within it.
    await this.callAsync(() => {
      this.leader = leader;
    }, 1_000);
    return leader.registerWorker(this.getEndpointId(), this.getAddress());
  }

  sendHeartbeat(): void {
    this.leader?.heartbeat(this.getEndpointId());
  }

  askLeaderForWorkers(): Promise<Record<string, number>> {
    if (this.leader === undefined) return Promise.reject(new Error(`${this.getEndpointId()} is not registered`));
    return this.leader.workers();
  }
}
