// docs/guide.md: a counter, declared, implemented, and called in the same process and over TCP.
// #region protocol
import { ask, defineProtocol, tell } from '@nact-rpc/core';

export const CounterProtocol = defineProtocol('CounterGateway', {
  increment: ask<[by: number], number>(),
  get: ask<[], number>(),
  reset: tell<[]>(),
});
// #endregion protocol

// #region endpointImports
import { RpcEndpoint, serves } from '@nact-rpc/core';
// #endregion endpointImports
import { NactRpcService } from '@nact-rpc/runtime-nact';

// #region endpoint
@serves(CounterProtocol)
export class CounterEndpoint extends RpcEndpoint {
  private count = 0; // touched only in the main thread: no locks

  increment(by: number): number {
    if (!Number.isInteger(by)) throw new RangeError(`not an integer: ${by}`);
    this.count += by;
    return this.count;
  }

  get(): number {
    return this.count;
  }

  reset(): void {
    this.count = 0;
  }

  protected override onStop(): void {
    this.log.info(`counter ${this.getEndpointId()} stops at ${this.count}`);
  }
}
// #endregion endpoint

/** Starts a counter, calls it through a gateway, and closes the service; answers what it read. */
export async function countLocally(): Promise<number> {
  // #region local
  const service = new NactRpcService({ name: 'counting' });
  const counter = new CounterEndpoint(service, 'counter');
  await counter.start();

  const gateway = await service.connect(counter.getAddress(), CounterProtocol);
  await gateway.increment(2);
  gateway.reset(); // a tell: returns at once
  const count = await gateway.increment(5); // 5: the reset ran first, messages keep their order
  await service.closeAsync(); // terminates the counter (its onStop runs)
  // #endregion local
  return count;
}

/** Serves a counter over TCP and calls it from a second service; answers what it read. */
export async function countRemotely(): Promise<number> {
  // #region remote
  // The server: a service that listens. Port 0 takes any free port; give a fixed one in production.
  const server = await NactRpcService.create({ name: 'counting', listen: { port: 0 } });
  const counter = new CounterEndpoint(server, 'counter');
  await counter.start();
  const address = counter.getAddress(); // nact-rpc://counting@127.0.0.1:<port>/counter

  // The client: any service, usually in another process, that knows the address.
  const client = new NactRpcService({ name: 'client' });
  const remote = await client.connect(address, CounterProtocol);
  const count = await remote.increment(3);

  await client.closeAsync();
  await server.closeAsync();
  // #endregion remote
  return count;
}
