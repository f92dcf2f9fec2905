import { isRpcError, type GatewayOf, type RpcService } from '@nact-rpc/core';
import { LeaderEndpoint } from './LeaderEndpoint';
import { WorkerProtocol } from './protocols';
import { WorkerEndpoint } from './WorkerEndpoint';

/**
 * A small cluster in one service: a fenced leader, two workers that register and send
 * heartbeats, then a leader change that fences off a worker until it registers again.
 */
export async function runCluster(service: RpcService, print: (line: string) => void): Promise<void> {
  const leader = new LeaderEndpoint(service, 'leader', 'session-1');
  const workers = [new WorkerEndpoint(service, 'worker-a'), new WorkerEndpoint(service, 'worker-b')];
  await Promise.all([leader.start(), ...workers.map((worker) => worker.start())]);
  print(`leader at ${leader.getAddress()} holds session ${leader.getFencingToken()}`);
  const [workerA, workerB] = (await Promise.all(
    workers.map((worker) => service.connect(worker.getAddress(), WorkerProtocol)),
  )) as [GatewayOf<typeof WorkerProtocol>, GatewayOf<typeof WorkerProtocol>];

  for (const [name, worker] of [
    ['worker-a', workerA],
    ['worker-b', workerB],
  ] as const) {
    const count = await worker.registerWith(leader.getAddress(), 'session-1');
    print(`${name} registered under session-1; the leader knows ${count} worker(s)`);
  }
  for (let beat = 0; beat < 3; beat++) [workerA, workerB].forEach((worker) => worker.sendHeartbeat());
  // Order is kept per sender: each worker's question reaches the leader after its heartbeats.
  await workerA.askLeaderForWorkers();
  print(`heartbeats seen by the leader: ${JSON.stringify(await workerB.askLeaderForWorkers())}`);

  await leader.grantLeadership('session-2');
  print(`leader change: the leader now holds ${leader.getFencingToken()}`);
  try {
    await workerB.askLeaderForWorkers();
    print('unexpected: a call under the old session was accepted');
  } catch (error) {
    if (!isRpcError(error, 'FENCING_TOKEN')) throw error;
    print(`worker-b under session-1 is refused: ${error.name} (${error.code})`);
  }
  const count = await workerB.registerWith(leader.getAddress(), 'session-2');
  print(`worker-b registered again under session-2; the leader knows ${count} worker(s)`);
  workerB.sendHeartbeat();
  print(`heartbeats seen by the leader: ${JSON.stringify(await workerB.askLeaderForWorkers())}`);

  await Promise.all([leader.closeAsync(), ...workers.map((worker) => worker.closeAsync())]);
}
