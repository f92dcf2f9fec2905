import type { PendingCalls } from '@nact-rpc/core/internal';
import type { TcpTransport } from '@nact-rpc/transport/internal';

/** What `NactRpcService.pendingCallCounts` reports: all 0 at rest. */
export interface PendingCallCounts {
  /** Calls waiting for their answers. */
  readonly waiting: number;
  /** Ids of calls that ended unanswered, held until a late answer or the association's end. */
  readonly reserved: number;
  /** Asks from other services not answered yet, on every association. */
  readonly served: number;
}

/** The counts of a service's pending calls and of the asks its transport serves. */
export function countPendingCalls(pendingCalls: PendingCalls, transport: TcpTransport): PendingCallCounts {
  return { waiting: pendingCalls.size, reserved: pendingCalls.reservedCount, served: transport.servedAskCount() };
}
