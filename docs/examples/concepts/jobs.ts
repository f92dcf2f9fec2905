// docs/concepts.md, "Protocols and gateways" and "Endpoints": a job manager, and a caller.
// #region protocol
import { ask, defineProtocol, tell, type GatewayOf } from '@nact-rpc/core';

export const JobProtocol = defineProtocol('JobGateway', {
  submit: ask<[job: JobSpec], JobId>(),
  status: ask<[id: JobId, timeoutMs?: number], JobStatus>({ timeoutArg: 1 }),
  cancel: tell<[id: JobId]>(),
});
export type JobGateway = GatewayOf<typeof JobProtocol>;
// #endregion protocol

import { RpcEndpoint, serves, type RpcService } from '@nact-rpc/core';

export interface JobSpec {
  readonly name: string;
}
export type JobId = string;
export type JobStatus = 'running' | 'cancelled' | 'finished' | 'unknown';

/** Where finished jobs are kept: a database, in a real job manager. */
export interface JobHistory {
  lookup(id: JobId): Promise<JobStatus | undefined>;
}

// #region endpoint
@serves(JobProtocol)
class JobManager extends RpcEndpoint {
  private readonly jobs = new Map<JobId, JobStatus>();

  constructor(
    service: RpcService,
    private readonly history: JobHistory,
  ) {
    super(service, 'jobs');
  }

  submit(job: JobSpec): JobId {
    const id = `${job.name}-${this.jobs.size + 1}`;
    this.jobs.set(id, 'running');
    return id;
  }

  async status(id: JobId): Promise<JobStatus> {
    return this.jobs.get(id) ?? (await this.history.lookup(id)) ?? 'unknown';
  }

  cancel(id: JobId): void {
    if (this.jobs.get(id) === 'running') this.jobs.set(id, 'cancelled');
  }
}
// #endregion endpoint

/** Submits `spec` to the job manager at `address`, cancels it at once, and answers its id. */
export async function submitAndCancel(service: RpcService, address: string, spec: JobSpec): Promise<JobId> {
  // #region connect
  const jobs = await service.connect(address, JobProtocol); // resolve, handshake, proxy
  const id = await jobs.submit(spec);
  jobs.cancel(id); // a tell: returns at once
  // #endregion connect
  return id;
}

export { JobManager };
