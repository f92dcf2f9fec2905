// packages/transport/README.md: the option types of the transport, given to a service.
// #region imports
import type { ListenOptions, TransportOptions } from '@nact-rpc/transport';
import { NactRpcService } from '@nact-rpc/runtime-nact';
// #endregion imports

/** Starts a service listening on the first free port of 50100-50200, on every interface. */
export async function listeningService(): Promise<NactRpcService> {
  // #region body
  const listen: ListenOptions = { host: '0.0.0.0', port: '50100-50200' };
  const transport: TransportOptions = { heartbeatIntervalMs: 1_000 };
  const service = await NactRpcService.create({ listen, transport });
  // #endregion body
  return service;
}
