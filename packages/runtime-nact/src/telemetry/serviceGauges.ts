import type { TcpTransport } from '@nact-rpc/transport/internal';
import type { ServiceEndpoints } from '../ServiceEndpoints';
import type { ServiceGauges } from './CallMetrics';

/** What a service reports when its meter is read: its endpoints' mailboxes and its transport's traffic. */
export function serviceGauges(endpoints: ServiceEndpoints, transport: TcpTransport): ServiceGauges {
  return {
    mailboxDepths: () => endpoints.list().map((server) => [server.endpointId, server.backlog.size] as const),
    associations: () => transport.trafficCounts().associations,
    bytes: () => {
      const { bytesIn, bytesOut } = transport.trafficCounts();
      return { in: bytesIn, out: bytesOut };
    },
  };
}
