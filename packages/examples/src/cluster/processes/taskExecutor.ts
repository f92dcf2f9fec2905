/**
 * A TaskExecutor process: serves a TaskExecutor endpoint, registers its slots with the leader,
 * and sends the leader a heartbeat every `heartbeatMs`. When the leader is gone, its
 * {@link LeaderConnection} finds the new one and registers again, reporting its allocations.
 */
import type { TaskExecutorConfig } from '../events';
import { LeaderConnection } from '../LeaderConnection';
import { LeaseProtocol, TaskExecutorProtocol } from '../protocols';
import { Repeater } from '../Repeater';
import { TaskExecutorEndpoint } from '../TaskExecutorEndpoint';
import { runChild } from './childRuntime';

runChild<TaskExecutorConfig>(async ({ config, ledger, createService, send, line, fail }) => {
  const service = await createService(true);
  const endpoint = new TaskExecutorEndpoint(service, config.name, config.slots);
  await endpoint.start();
  send({ kind: 'ready', address: endpoint.getAddress() });
  const self = endpoint.getSelfGateway(TaskExecutorProtocol);
  const connection = new LeaderConnection({
    service,
    lease: await service.connect(config.leaseAddress, LeaseProtocol),
    candidates: config.resourceManagers,
    ledger,
    report: line,
    register: async (leader, info) => {
      const offers = await self.slotReport();
      const known = await ledger.track(leader.registerTaskExecutor(config.name, endpoint.getAddress(), offers));
      const allocated = offers.filter((offer) => offer.jobId !== null).length;
      send({
        kind: 'registered',
        leader: info.candidateId,
        session: info.session,
        text:
          `registered with ${info.candidateId} (session ${info.session}): offered ${offers.length} slots` +
          `${allocated > 0 ? ` (${allocated} allocated to a job)` : ''}; the leader knows ${known} slots`,
      });
    },
  });
  await connection.connect();
  const heartbeats = new Repeater(config.heartbeatMs, () =>
    connection.call((leader) => leader.heartbeatFromTaskExecutor(config.name)),
  );
  heartbeats.stopped().catch(fail);
  return {
    stop: async () => {
      await heartbeats.stop();
      line(`ran ${endpoint.getTasksRun()} tasks`);
    },
  };
});
