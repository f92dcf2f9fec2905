/**
 * `idle_associations_cpu_percent`: the CPU a listening service spends on idle associations
 * (heartbeats only, default settings), in its steady state. A server child ({@link ./idleServer})
 * and a client child ({@link ./idleClients}) holding N client services, each with one
 * association to the server; after a settling pause, both processes' CPU time is read over a
 * window. What the server spent while it settled is reported apart, as
 * `idle_associations_settle_cpu_percent`: its code is still being compiled then (see
 * `BenchConfig.idleSettleMs`).
 */
import type { BenchConfig } from '../config';
import { sleep } from '../measure';
import { BenchChild } from '../proc/ChildProcess';
import { cpuPercent, type CpuSnapshot } from '../proc/childIo';
import type { IdleClientsReady } from './idleClients';

/** Measures the idle cost of N associations; returns named figures. Kills both children. */
export async function measureIdleAssociations(config: BenchConfig): Promise<Record<string, number>> {
  const server = await BenchChild.start('idle-server', 'scale/idleServer.js');
  try {
    const { address } = server.ready as { address: string };
    const clients = await BenchChild.start(
      'idle-clients',
      'scale/idleClients.js',
      [address, String(config.idleAssociations)],
      {
        readyTimeoutMs: 120_000,
      },
    );
    try {
      const { connected, connectMs } = clients.ready as IdleClientsReady;
      const snapshot = async (): Promise<[CpuSnapshot, CpuSnapshot]> =>
        (await Promise.all([server.child.request('cpu'), clients.child.request('cpu')])) as [CpuSnapshot, CpuSnapshot];
      const [serverConnected] = await snapshot();
      await sleep(config.idleSettleMs);
      const [serverBefore, clientBefore] = await snapshot();
      await sleep(config.idleWindowMs);
      const [serverAfter, clientAfter] = await snapshot();
      return {
        idle_associations: connected,
        idle_associations_connect_ms: connectMs,
        idle_associations_settle_cpu_percent: cpuPercent(serverConnected, serverBefore),
        idle_associations_cpu_percent: cpuPercent(serverBefore, serverAfter),
        idle_associations_client_cpu_percent: cpuPercent(clientBefore, clientAfter),
      };
    } finally {
      await clients.child.kill();
    }
  } finally {
    await server.child.kill();
  }
}
