import { FencedRpcEndpoint, serves, type GatewayOf, type RpcService } from '@nact-rpc/core';
import type { CallLedger } from './CallLedger';
import { JobNotRegisteredError, SlotAllocationError } from './errors';
import { ResourceManagerProtocol, TaskExecutorProtocol, type SlotGrant, type SlotOffer } from './protocols';

interface Slot {
  readonly taskExecutorId: string;
  jobId: string | null;
}

/**
 * The ResourceManager: TaskExecutors register their slots with it and send it heartbeats; the
 * JobMaster asks it for slots, and it allocates them at the TaskExecutors. It is fenced by its
 * leader session: it holds none until the lease service grants it leadership, and a call
 * carrying any other session is refused with `FencingTokenError` before it runs.
 */
@serves(ResourceManagerProtocol)
export class ResourceManagerEndpoint extends FencedRpcEndpoint<string> {
  private readonly taskExecutors = new Map<string, GatewayOf<typeof TaskExecutorProtocol>>();
  private readonly slots = new Map<string, Slot>();
  private readonly jobs = new Set<string>();

  /**
   * @param service - The service to register with.
   * @param ledger - Counts the calls this endpoint makes to TaskExecutors.
   */
  constructor(
    service: RpcService,
    private readonly ledger: CallLedger,
  ) {
    super(service, 'resourcemanager');
  }

  async registerTaskExecutor(taskExecutorId: string, address: string, offers: SlotOffer[]): Promise<number> {
    // Connect outside the main thread, then record back in it: the callAsync is fenced, so a
    // registration that straddles a leader change is refused rather than recorded.
    const gateway = await this.rpcService.connect(address, TaskExecutorProtocol);
    return this.callAsync(() => {
      this.taskExecutors.set(taskExecutorId, gateway);
      for (const { slotId, jobId } of offers) this.slots.set(slotId, { taskExecutorId, jobId });
      return this.slots.size;
    }, 1_000);
  }

  heartbeatFromTaskExecutor(taskExecutorId: string): boolean {
    return this.taskExecutors.has(taskExecutorId);
  }

  registerJobMaster(jobId: string): number {
    this.jobs.add(jobId);
    return this.slots.size;
  }

  async requestSlots(jobId: string, count: number): Promise<SlotGrant[]> {
    if (!this.jobs.has(jobId)) throw new JobNotRegisteredError(`job ${jobId} has not registered with this leader`);
    // In the main thread (before the first await): take the job's slots, then reserve free ones.
    const held = [...this.slots].filter(([, slot]) => slot.jobId === jobId).map(([slotId]) => slotId);
    const fresh = [...this.slots]
      .filter(([, slot]) => slot.jobId === null)
      .slice(0, Math.max(0, count - held.length))
      .map(([slotId, slot]) => {
        slot.jobId = jobId;
        return slotId;
      });
    const allocations = await Promise.allSettled(
      fresh.map(async (slotId) => this.ledger.track(this.gatewayOf(slotId).allocateSlot(slotId, jobId))),
    );
    const refused = fresh.filter((_, index) => allocations[index]?.status === 'rejected');
    return this.callAsync(() => {
      for (const slotId of refused) {
        const slot = this.slots.get(slotId);
        if (slot?.jobId === jobId) slot.jobId = null;
      }
      return [...held, ...fresh.filter((slotId) => !refused.includes(slotId))].slice(0, count).map((slotId) => ({
        slotId,
        taskExecutorAddress: this.gatewayOf(slotId).getAddress(),
      }));
    }, 1_000);
  }

  /** Takes leadership under `session` (from the lease service), forgetting what it knew before. */
  grantLeadership(session: string): Promise<void> {
    return this.callAsyncWithoutFencing(() => {
      this.setFencingToken(session);
      this.taskExecutors.clear();
      this.slots.clear();
      this.jobs.clear();
    }, 1_000);
  }

  /** Gives up leadership: every fenced call is refused until leadership is granted again. */
  revokeLeadership(): Promise<void> {
    return this.callAsyncWithoutFencing(() => this.setFencingToken(undefined), 1_000);
  }

  private gatewayOf(slotId: string): GatewayOf<typeof TaskExecutorProtocol> {
    const slot = this.slots.get(slotId);
    const gateway = slot === undefined ? undefined : this.taskExecutors.get(slot.taskExecutorId);
    if (gateway === undefined) throw new SlotAllocationError(`no registered TaskExecutor holds slot ${slotId}`);
    return gateway;
  }
}
