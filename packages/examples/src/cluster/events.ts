/** The messages between the orchestrator and the processes of the cluster (over the IPC channel). */
import type { CallCounts } from './CallLedger';

/** What a process tells the orchestrator. */
export type ChildEvent =
  /** Its endpoint is up, at `address` (empty for a process that serves no endpoint). */
  | { readonly kind: 'ready'; readonly address: string }
  /** A progress line to print. */
  | { readonly kind: 'line'; readonly text: string }
  /** A ResourceManager became the leader. */
  | { readonly kind: 'leader'; readonly session: string }
  /** A TaskExecutor or the JobMaster registered with a leader. */
  | { readonly kind: 'registered'; readonly leader: string; readonly session: string; readonly text: string }
  /** The job's progress. */
  | { readonly kind: 'progress'; readonly done: number; readonly total: number }
  /** The job completed. */
  | { readonly kind: 'job-done'; readonly tasks: number; readonly result: number }
  /** The process's call counts: twice a second, and a last time (`final`) before it exits. */
  | { readonly kind: 'stats'; readonly counts: CallCounts; readonly final: boolean }
  /** The process failed and exits. */
  | { readonly kind: 'failed'; readonly text: string };

/** What the orchestrator tells a process: stop (finish, report the final counts, exit). */
export interface StopMessage {
  readonly kind: 'stop';
}

/** What every process is given (as JSON, its first argument). */
export interface ChildConfig {
  /** Its name: `rm-1`, `te-2`, `jm`. */
  readonly name: string;
  /** The lease service's address. */
  readonly leaseAddress: string;
  /** The timeout of its asks. */
  readonly askTimeoutMs: number;
  /** The ResourceManagers' addresses (for TaskExecutors and the JobMaster). */
  readonly resourceManagers: readonly string[];
}

/** A TaskExecutor's configuration. */
export interface TaskExecutorConfig extends ChildConfig {
  readonly slots: number;
  readonly heartbeatMs: number;
}

/** The JobMaster's configuration: its job. */
export interface JobMasterConfig extends ChildConfig {
  readonly jobId: string;
  /** Tasks of the job. */
  readonly tasks: number;
  /** Numbers per task. */
  readonly rangeSize: number;
  /** Slots it asks for: one task per slot per round. */
  readonly parallelism: number;
  /** The shortest time of a round, which paces the job. */
  readonly roundMs: number;
}

/** The environment variable that carries the shared secret (hex) to the processes. */
export const SECRET_VARIABLE = 'NACT_RPC_EXAMPLE_SECRET';
