// docs/embedding.md, "Hosting a service in your system": three services in one actor system.
// #region imports
import { start, spawn } from 'nact';
import { NactRpcService } from '@nact-rpc/runtime-nact';
// #endregion imports
import type { ActorSystemRef } from 'nact';

/** The user's system, and the three services hosted in it. */
export async function hostServices(): Promise<{
  system: ActorSystemRef;
  services: readonly NactRpcService[];
}> {
  // #region body
  const system = start();
  const service = new NactRpcService({ system, name: 'orders' });
  // or listening for other processes:
  const remote = await NactRpcService.create({ system, name: 'orders-api', listen: { port: 0 } });
  // or under one of your actors:
  const rpc = spawn(system, (state: unknown) => state, 'rpc');
  const nested = new NactRpcService({ system, parent: rpc, name: 'orders-internal' });
  // #endregion body
  return { system, services: [service, remote, nested] };
}
