/** The errors of the cluster example. */

/** A slot that does not exist, or is allocated to another job. */
export class SlotAllocationError extends Error {
  /** The stable code of this error. */
  readonly code = 'SLOT_ALLOCATION' as const;
  override readonly name = 'SlotAllocationError';
}

/** A call from a job whose JobMaster has not registered with this leader. */
export class JobNotRegisteredError extends Error {
  /** The stable code of this error. */
  readonly code = 'JOB_NOT_REGISTERED' as const;
  override readonly name = 'JobNotRegisteredError';
}

/** The cluster run failed: a process exited unexpectedly, or a step did not happen in time. */
export class ClusterRunError extends Error {
  /** The stable code of this error. */
  readonly code = 'CLUSTER_RUN' as const;
  override readonly name = 'ClusterRunError';
}

/** The cluster run was interrupted (SIGINT or SIGTERM to the orchestrator). */
export class ClusterInterruptedError extends Error {
  /** The stable code of this error. */
  readonly code = 'CLUSTER_INTERRUPTED' as const;
  override readonly name = 'ClusterInterruptedError';
}

/** A command-line option of `npm start` that is unknown or out of range. */
export class ClusterUsageError extends Error {
  /** The stable code of this error. */
  readonly code = 'CLUSTER_USAGE' as const;
  override readonly name = 'ClusterUsageError';
}
