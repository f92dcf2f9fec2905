// docs/guide.md, "Cancellation": a caller that gives up on a call, and an endpoint that stops when it does.
// #region imports
import { EventEmitter, once } from 'node:events';
import { ask, defineProtocol, RpcCancelledError, RpcEndpoint, serves, withCallOptions } from '@nact-rpc/core';
// #endregion imports
import { RpcTimeoutError } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';

// #region endpoint
export const ReportProtocol = defineProtocol('ReportGateway', {
  build: ask<[jobId: string], string>(),
});

@serves(ReportProtocol)
export class ReportEndpoint extends RpcEndpoint {
  /** Where the rows of a report come from: a stand-in for a slow query. */
  readonly rows = new EventEmitter();
  /** `started` and `stopped`, with the job id, for whoever watches. */
  readonly events = new EventEmitter();

  async build(jobId: string): Promise<string> {
    const { signal } = this.getCallContext(); // read it before the first await
    this.events.emit('started', jobId);
    try {
      // Hand the signal to what waits (fetch, timers, events.once, a database driver…), or check
      // `signal.aborted` between steps of the work.
      const [rows] = (await once(this.rows, jobId, { signal })) as [number];
      return `${jobId}: ${rows} rows`;
    } catch (error) {
      if (signal.aborted) this.events.emit('stopped', jobId, signal.reason);
      throw error; // nobody waits for this answer any more: it is dropped
    }
  }
}
// #endregion endpoint

/** Cancels a running call and a queued one; answers what the caller and the endpoint saw. */
export async function cancelReports(): Promise<string[]> {
  const lines: string[] = [];
  const service = new NactRpcService({ name: 'reporting' });
  const reports = new ReportEndpoint(service, 'reports');
  await reports.start();
  reports.events.on('started', (jobId: string) => lines.push(`started ${jobId}`));
  reports.events.on('stopped', (jobId: string, reason: RpcCancelledError) =>
    lines.push(`stopped ${jobId}: ${reason.code}`),
  );
  const gateway = await service.connect(reports.getAddress(), ReportProtocol);
  // #region cancel
  const controller = new AbortController();
  const started = once(reports.events, 'started');
  const report = withCallOptions(gateway, { signal: controller.signal }).build('job-1');
  await started; // the method runs
  controller.abort(new Error('the user went away'));
  try {
    await report; // rejects at once, without waiting for the endpoint
  } catch (error) {
    if (!(error instanceof RpcCancelledError)) throw error;
    lines.push(`${error.code}: ${(error.cause as Error).message}`); // "RPC_CANCELLED: the user went away"
  }
  // #endregion cancel

  // #region queued
  const queued = new AbortController();
  const never = withCallOptions(gateway, { signal: queued.signal }).build('job-2');
  queued.abort(); // before the endpoint took the call from its mailbox: build('job-2') never runs
  lines.push(`job-2: ${((await never.catch((error: unknown) => error)) as RpcCancelledError).code}`);
  // #endregion queued
  await service.closeAsync();
  return lines;
}

/** Calls a remote endpoint with a timeout shorter than the work; answers what both sides saw. */
export async function timeOutRemotely(): Promise<string[]> {
  const lines: string[] = [];
  // #region timeout
  const server = await NactRpcService.create({ name: 'reporting', listen: { port: 0 } });
  const reports = new ReportEndpoint(server, 'reports');
  await reports.start();
  const client = new NactRpcService({ name: 'client' });
  const gateway = await client.connect(reports.getAddress(), ReportProtocol);

  const stopped = once(reports.events, 'stopped');
  try {
    await withCallOptions(gateway, { timeoutMs: 100 }).build('job-3');
  } catch (error) {
    if (!(error instanceof RpcTimeoutError)) throw error;
    lines.push(`caller: ${error.code}`); // "caller: RPC_TIMEOUT"
  }
  // The client sent a Cancel frame: the method's signal aborted, with an RpcCancelledError.
  const [jobId, reason] = (await stopped) as [string, RpcCancelledError];
  lines.push(`endpoint: stopped ${jobId}, ${reason.code}`); // "endpoint: stopped job-3, RPC_CANCELLED"

  await client.closeAsync();
  await server.closeAsync();
  // #endregion timeout
  return lines;
}
