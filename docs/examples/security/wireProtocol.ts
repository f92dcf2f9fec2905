// docs/wire-protocol.md, "Addresses": a service that listens on the first free port of a range,
// and advertises the host its callers dial.
import { NactRpcService } from '@nact-rpc/runtime-nact';

export async function startTaskManager(): Promise<NactRpcService> {
  // #region listen
  const service = await NactRpcService.create({
    name: 'taskmanager-7',
    listen: { host: '0.0.0.0', port: '50100-50200', externalHost: 'tm7.cluster.local' },
  });
  // #endregion listen
  return service;
}
