import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { ClusterRunError } from '../errors';
import type { ChildConfig, ChildEvent, JobMasterConfig, TaskExecutorConfig } from '../events';
import { LeaseEndpoint } from '../LeaseEndpoint';
import { lineLogger } from '../lineLogger';
import { ClusterProcess, describeExit, type ProcessExit } from './ClusterProcess';
import type { Printer } from './Printer';
import { formatSummary, summarize, type Summary } from './Summary';

const PROCESSES = join(__dirname, '..', 'processes');
const ASK_TIMEOUT_MS = 5_000;
const LEASE_TTL_MS = 1_000;

/**
 * The processes of one cluster run, and the orchestrator's means to start, watch, abort and
 * stop them. {@link runCluster} drives it.
 */
export class Cluster {
  /** The run's shared secret: 32 random bytes, for this run only. */
  readonly secret = randomBytes(32);
  /** Every process started, in order. */
  readonly processes: ClusterProcess[] = [];
  /** The leader killed on purpose, once it is. */
  killed: ClusterProcess | undefined;
  private lease: NactRpcService | undefined;
  private leaseAddress = '';
  private abortError: Error | undefined;
  private readonly abortListeners = new Set<(error: Error) => void>();

  constructor(private readonly printer: Printer) {}

  /** Ends the run early with `error` (an interrupt, a process that died, the deadline): every {@link until} rejects. */
  abort(error: Error): void {
    if (this.abortError !== undefined) return;
    this.abortError = error;
    for (const listener of this.abortListeners) listener(error);
    this.abortListeners.clear();
  }

  /** Starts the lease service in this process; answers its address. */
  async startLeaseService(): Promise<string> {
    this.lease = await NactRpcService.create({
      name: 'lease',
      askTimeoutMs: ASK_TIMEOUT_MS,
      listen: { host: '127.0.0.1', port: 0 },
      security: { sharedSecret: this.secret },
      logger: lineLogger((line) => this.printer.line('lease', line)),
    });
    const endpoint = new LeaseEndpoint(this.lease, LEASE_TTL_MS, (line) => this.printer.line('lease', line));
    await endpoint.start();
    this.leaseAddress = endpoint.getAddress();
    return this.leaseAddress;
  }

  /** Starts a ResourceManager process; answers it once its endpoint is up. */
  startResourceManager(name: string): Promise<ClusterProcess> {
    return this.start('resourceManager', this.config(name, []));
  }

  /** Starts a TaskExecutor process; answers it once its endpoint is up. */
  startTaskExecutor(name: string, resourceManagers: readonly string[]): Promise<ClusterProcess> {
    const config: TaskExecutorConfig = { ...this.config(name, resourceManagers), slots: 2, heartbeatMs: 200 };
    return this.start('taskExecutor', config);
  }

  /** Starts the JobMaster process with its job. */
  startJobMaster(
    config: Omit<JobMasterConfig, keyof ChildConfig>,
    resourceManagers: readonly string[],
  ): Promise<ClusterProcess> {
    return this.start('jobMaster', { ...this.config('jm', resourceManagers), ...config });
  }

  /** `promise`, unless the run is aborted first. */
  until<T>(promise: Promise<T>): Promise<T> {
    if (this.abortError !== undefined) return Promise.reject(this.abortError);
    return new Promise<T>((resolve, reject) => {
      this.abortListeners.add(reject);
      promise.then(
        (value) => {
          this.abortListeners.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.abortListeners.delete(reject);
          reject(error);
        },
      );
    });
  }

  /** Kills `process` (the leader) with SIGKILL, on purpose. */
  async kill(process: ClusterProcess): Promise<ProcessExit> {
    this.killed = process;
    return process.kill();
  }

  /**
   * Stops every process still running: the JobMaster first, then the TaskExecutors, then the
   * ResourceManagers, each given time to finish its calls; then the lease service.
   */
  async stopAll(): Promise<void> {
    const running = (prefix: string): ClusterProcess[] =>
      this.processes.filter((process) => process.name.startsWith(prefix) && process.isRunning());
    const grace = ASK_TIMEOUT_MS + 4_000;
    for (const group of [running('jm'), running('te-'), running('rm-')]) {
      await Promise.all(group.map((process) => process.stop(grace)));
    }
    await this.lease?.closeAsync();
  }

  /** Kills every process still running at once (a second interrupt). */
  killAll(): void {
    for (const process of this.processes) void process.kill();
  }

  /** The totals of the run so far. */
  summary(): Summary {
    return summarize(this.processes, this.killed);
  }

  /** The summary line. */
  summaryLine(): string {
    return formatSummary(this.summary());
  }

  private config(name: string, resourceManagers: readonly string[]): ChildConfig {
    return { name, leaseAddress: this.leaseAddress, askTimeoutMs: ASK_TIMEOUT_MS, resourceManagers };
  }

  private async start(script: string, config: ChildConfig): Promise<ClusterProcess> {
    const process = new ClusterProcess(
      config.name,
      join(PROCESSES, `${script}.js`),
      config,
      this.secret.toString('hex'),
      (from, event) => this.print(from, event),
      (from, exit) =>
        this.abort(new ClusterRunError(`${from.name} (pid ${from.pid}) exited unexpectedly (${describeExit(exit)})`)),
    );
    this.processes.push(process);
    const { address } = await this.until(process.waitFor('ready'));
    this.printer.line(config.name, `started (pid ${process.pid})${address === '' ? '' : ` at ${address}`}`);
    return process;
  }

  private print(from: ClusterProcess, event: ChildEvent): void {
    switch (event.kind) {
      case 'line':
      case 'registered':
        this.printer.line(from.name, event.text);
        break;
      case 'failed':
        this.printer.line(from.name, `failed: ${event.text}`);
        break;
      case 'progress':
        this.printer.line(
          from.name,
          `job ${Math.round((100 * event.done) / event.total)}% done (${event.done} of ${event.total} tasks)`,
        );
        break;
      default:
        break;
    }
  }
}
