import { isRpcError, type GatewayOf, type RpcService } from '@nact-rpc/core';
import type { CallLedger } from './CallLedger';
import type { LeaderConnection } from './LeaderConnection';
import { primeTasks, type PrimeTask } from './primes';
import { TaskExecutorProtocol, type SlotGrant } from './protocols';

/** What a {@link JobMaster} needs. */
export interface JobMasterOptions {
  readonly service: RpcService;
  readonly connection: LeaderConnection;
  readonly ledger: CallLedger;
  readonly jobId: string;
  readonly tasks: number;
  readonly rangeSize: number;
  readonly parallelism: number;
  readonly roundMs: number;
  /** Where progress lines go. */
  readonly report: (line: string) => void;
  /** Called as the job passes each quarter. */
  readonly progress: (done: number, total: number) => void;
}

/**
 * Runs the job: counts the primes below `tasks × rangeSize`, one range per task. It goes in
 * rounds of at least `roundMs`: it asks the leader for its slots (the leader confirms those the
 * job holds and allocates more), then runs one task in each slot by calling the TaskExecutor
 * holding it directly. A task whose call fails goes back to the queue. While it has no leader,
 * it runs no new tasks.
 */
export class JobMaster {
  private readonly queue: PrimeTask[];
  private readonly gateways = new Map<string, Promise<GatewayOf<typeof TaskExecutorProtocol>>>();
  private done = 0;
  private result = 0;
  private slotsSeen = '';
  private stopping = false;

  constructor(private readonly options: JobMasterOptions) {
    this.queue = primeTasks(options.tasks, options.rangeSize);
  }

  /** Runs the job to its end (or until {@link stop}); answers the number of primes found. */
  async run(): Promise<{ readonly tasks: number; readonly result: number }> {
    const { tasks } = this.options;
    while (this.done < tasks && !this.stopping) {
      const roundEnds = Date.now() + this.options.roundMs;
      const slots = await this.options.connection.call((leader) =>
        leader.requestSlots(this.options.jobId, this.options.parallelism),
      );
      if (slots !== undefined) {
        this.reportSlots(slots);
        await Promise.all(slots.map((slot) => this.runOne(slot)));
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, roundEnds - Date.now())));
    }
    return { tasks: this.done, result: this.result };
  }

  /** Starts no further round. */
  stop(): void {
    this.stopping = true;
  }

  private async runOne(slot: SlotGrant): Promise<void> {
    const task = this.queue.shift();
    if (task === undefined) return;
    try {
      const gateway = await this.gatewayOf(slot.taskExecutorAddress);
      const primes = await this.options.ledger.track(gateway.runTask(slot.slotId, this.options.jobId, task));
      this.result += primes;
    } catch (error) {
      this.queue.push(task);
      const reason = isRpcError(error) || error instanceof Error ? error.name : String(error);
      this.options.report(`task ${task.index} in ${slot.slotId} failed (${reason}); it runs again later`);
      return;
    }
    const quarter = Math.floor((4 * this.done) / this.options.tasks);
    this.done++;
    if (Math.floor((4 * this.done) / this.options.tasks) > quarter)
      this.options.progress(this.done, this.options.tasks);
  }

  private gatewayOf(address: string): Promise<GatewayOf<typeof TaskExecutorProtocol>> {
    let gateway = this.gateways.get(address);
    if (gateway === undefined) {
      gateway = this.options.service.connect(address, TaskExecutorProtocol);
      // A failed connect is not kept: the next task connects again.
      gateway.catch(() => this.gateways.delete(address));
      this.gateways.set(address, gateway);
    }
    return gateway;
  }

  private reportSlots(slots: readonly SlotGrant[]): void {
    const seen = slots.map((slot) => slot.slotId).join(' ');
    if (seen === this.slotsSeen) return;
    this.slotsSeen = seen;
    const leader = this.options.connection.leader()?.candidateId ?? '?';
    this.options.report(`${leader} gives the job ${slots.length} slots: ${seen || '(none yet)'}`);
  }
}
