// docs/concepts.md, "The main thread": code after an await is not in the main thread.
import { ask, defineProtocol, RpcEndpoint, serves, type GatewayOf } from '@nact-rpc/core';

export const WorkerProtocol = defineProtocol('WorkerGateway', { ping: ask<[], string>() });
export const RegistryProtocol = defineProtocol('RegistryGateway', {
  registerWorker: ask<[id: string, address: string], number>(),
});

/** A worker: it only answers pings. */
@serves(WorkerProtocol)
export class WorkerEndpoint extends RpcEndpoint {
  ping(): string {
    return `pong from ${this.getEndpointId()}`;
  }
}

/** Keeps a gateway to each worker that registers. */
@serves(RegistryProtocol)
export class RegistryEndpoint extends RpcEndpoint {
  readonly workers = new Map<string, GatewayOf<typeof WorkerProtocol>>();

  // #region registerWorker
  async registerWorker(id: string, address: string): Promise<number> {
    const gateway = await this.rpcService.connect(address, WorkerProtocol);
    // Not in the main thread any more: other messages may have run since the await.
    return this.callAsync(() => {
      this.workers.set(id, gateway); // back in the main thread
      return this.workers.size;
    }, 1_000);
  }
  // #endregion registerWorker
}
