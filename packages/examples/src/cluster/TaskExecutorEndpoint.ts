import { RpcEndpoint, serves, type RpcService } from '@nact-rpc/core';
import { SlotAllocationError } from './errors';
import { countPrimes, type PrimeTask } from './primes';
import { TaskExecutorProtocol, type SlotOffer } from './protocols';

/**
 * A TaskExecutor: offers a few slots; the ResourceManager allocates them to a job, and the
 * job's JobMaster runs tasks in them. Allocations outlive a leader change: the TaskExecutor
 * reports them when it registers with the new leader.
 */
@serves(TaskExecutorProtocol)
export class TaskExecutorEndpoint extends RpcEndpoint {
  /** Slot id → the job it is allocated to, or `null`. */
  private readonly slots = new Map<string, string | null>();
  private tasksRun = 0;

  /**
   * @param service - The service to register with.
   * @param taskExecutorId - The TaskExecutor's name (`te-1`), the prefix of its slot ids.
   * @param slotCount - How many slots it offers.
   */
  constructor(service: RpcService, taskExecutorId: string, slotCount: number) {
    super(service, 'taskexecutor');
    for (let index = 0; index < slotCount; index++) this.slots.set(`${taskExecutorId}/${index}`, null);
  }

  allocateSlot(slotId: string, jobId: string): void {
    const holder = this.slots.get(slotId);
    if (holder === undefined) throw new SlotAllocationError(`there is no slot ${slotId} here`);
    if (holder !== null && holder !== jobId) throw new SlotAllocationError(`slot ${slotId} is allocated to ${holder}`);
    this.slots.set(slotId, jobId);
  }

  runTask(slotId: string, jobId: string, task: PrimeTask): number {
    if (this.slots.get(slotId) !== jobId) throw new SlotAllocationError(`slot ${slotId} is not allocated to ${jobId}`);
    this.tasksRun++;
    return countPrimes(task.from, task.to);
  }

  slotReport(): SlotOffer[] {
    return [...this.slots].map(([slotId, jobId]) => ({ slotId, jobId }));
  }

  /** How many tasks this TaskExecutor has run. */
  getTasksRun(): number {
    return this.tasksRun;
  }
}
