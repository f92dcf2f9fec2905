/**
 * The JobMaster process: registers its job with the leader, asks it for slots, and runs the
 * job by calling the TaskExecutors directly. After a leader change, its
 * {@link LeaderConnection} registers the job with the new leader, and the job goes on.
 */
import type { JobMasterConfig } from '../events';
import { JobMaster } from '../JobMaster';
import { LeaderConnection } from '../LeaderConnection';
import { LeaseProtocol } from '../protocols';
import { runChild } from './childRuntime';

runChild<JobMasterConfig>(async ({ config, ledger, createService, send, line, fail }) => {
  // The JobMaster only calls others: its service does not listen.
  const service = await createService(false);
  send({ kind: 'ready', address: '' });
  const connection = new LeaderConnection({
    service,
    lease: await service.connect(config.leaseAddress, LeaseProtocol),
    candidates: config.resourceManagers,
    ledger,
    report: line,
    register: async (leader, info) => {
      const known = await ledger.track(leader.registerJobMaster(config.jobId));
      send({
        kind: 'registered',
        leader: info.candidateId,
        session: info.session,
        text: `registered ${config.jobId} with ${info.candidateId} (session ${info.session}); the leader knows ${known} slots`,
      });
    },
  });
  await connection.connect();
  const job = new JobMaster({
    service,
    connection,
    ledger,
    jobId: config.jobId,
    tasks: config.tasks,
    rangeSize: config.rangeSize,
    parallelism: config.parallelism,
    roundMs: config.roundMs,
    report: line,
    progress: (done, total) => send({ kind: 'progress', done, total }),
  });
  const running = job.run().then((result) => send({ kind: 'job-done', ...result }));
  running.catch(fail);
  return {
    stop: async () => {
      job.stop();
      await running;
    },
  };
});
