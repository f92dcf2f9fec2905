import { FencedRpcEndpoint, serves, type GatewayOf } from '@nact-rpc/core';
import { LeaderProtocol, WorkerProtocol } from './protocols';

/**
 * A leader that workers register with and send heartbeats to. It is fenced by its leader
 * session id: after a leader change, workers still using the old session are refused.
 */
@serves(LeaderProtocol)
export class LeaderEndpoint extends FencedRpcEndpoint<string> {
  private readonly heartbeats = new Map<string, number>();
  private readonly workerGateways = new Map<string, GatewayOf<typeof WorkerProtocol>>();

  async registerWorker(workerId: string, workerAddress: string): Promise<number> {
    // Connect outside the main thread, then record the worker back in it. The callAsync is
    // fenced: if leadership changed meanwhile, the registration is refused.
    const gateway = await this.rpcService.connect(workerAddress, WorkerProtocol);
    return this.callAsync(() => {
      this.workerGateways.set(workerId, gateway);
      this.heartbeats.set(workerId, 0);
      return this.workerGateways.size;
    }, 1_000);
  }

  heartbeat(workerId: string): void {
    this.heartbeats.set(workerId, (this.heartbeats.get(workerId) ?? 0) + 1);
  }

  workers(): Record<string, number> {
    return Object.fromEntries(this.heartbeats);
  }

  /** Takes a new leader session: workers must register again under it. */
  grantLeadership(sessionId: string): Promise<void> {
    return this.callAsyncWithoutFencing(() => {
      this.setFencingToken(sessionId);
      this.heartbeats.clear();
      this.workerGateways.clear();
    }, 1_000);
  }
}
