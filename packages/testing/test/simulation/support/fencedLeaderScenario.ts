import type { Simulation } from '@nact-rpc/testing';
import { Ledger, type LedgerCounts } from './Ledger';
import { LeaderCluster, type ClusterCounts } from './LeaderCluster';

/** How long a fenced-leader run is. */
export interface ScenarioShape {
  /** The workers, each on its own host. Default 3. */
  readonly workers?: number;
  /** The steps with faults. Default 60 (about 6.6 s of virtual time). */
  readonly faultySteps?: number;
  /** The steps without faults after the recovery, whose tells must all arrive. Default 15. */
  readonly quietSteps?: number;
}

/** What one run did, and what broke the invariants (nothing, if they hold). */
export interface ScenarioOutcome {
  readonly counts: ClusterCounts & LedgerCounts;
  readonly violations: readonly string[];
}

/** Long enough for every ask, connect, heartbeat verdict and backoff of the cluster to end. */
const DRAIN_MS = 8_000;

/**
 * A fenced leader with workers under the seed's partitions, dropped connections, crashes and
 * leader changes; then the network heals, every host runs again, the workers go on for a while
 * without faults, and everything is left to settle. The invariants of {@link Ledger.violations}
 * are checked on the services still running.
 */
export async function fencedLeaderScenario(sim: Simulation, shape: ScenarioShape = {}): Promise<ScenarioOutcome> {
  const { workers = 3, faultySteps = 60, quietSteps = 15 } = shape;
  const ledger = new Ledger(sim.clock);
  const workerHosts = Array.from({ length: workers }, (_, i) => `worker-${i + 1}`);
  const cluster = new LeaderCluster(sim, ledger, workerHosts);
  await cluster.start();
  for (let step = 0; step < faultySteps; step++) await cluster.step(true);
  await cluster.recover();
  await sim.advance(DRAIN_MS);
  for (let step = 0; step < quietSteps; step++) await cluster.step(false);
  await sim.advance(DRAIN_MS);
  const context = {
    closesBetween: (a: string, b: string) => sim.network.closesBetween(a, b),
    pending: new Map([...sim.services()].map(([host, service]) => [host, service.pendingCallCounts()])),
    droppedTells: (worker: string) => cluster.droppedTells(worker),
  };
  return { counts: { ...cluster.counts, ...ledger.counts() }, violations: ledger.violations(context) };
}
