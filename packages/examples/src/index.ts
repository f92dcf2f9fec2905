/**
 * Runnable nact-rpc examples.
 *
 * @packageDocumentation
 */
export { HelloEndpoint, HelloProtocol, HiEndpoint, HiProtocol, runHelloHi } from './helloHi';
export { LeaderProtocol, WorkerProtocol } from './inProcessCluster/protocols';
export { LeaderEndpoint } from './inProcessCluster/LeaderEndpoint';
export { WorkerEndpoint } from './inProcessCluster/WorkerEndpoint';
export { runCluster as runInProcessCluster } from './inProcessCluster/runCluster';
export { InventoryEndpoint, InventoryProtocol, runEmbedding, spawnAuditLog, type AuditMessage } from './embedding';
export { LeaseEndpoint } from './cluster/LeaseEndpoint';
export { ResourceManagerEndpoint } from './cluster/ResourceManagerEndpoint';
export { TaskExecutorEndpoint } from './cluster/TaskExecutorEndpoint';
export {
  LeaseProtocol,
  ResourceManagerProtocol,
  TaskExecutorProtocol,
  type LeaderInfo,
  type LeaseGrant,
  type SlotGrant,
  type SlotOffer,
} from './cluster/protocols';
export { countPrimes, primeTasks, type PrimeTask } from './cluster/primes';
export { CallLedger, type CallCounts } from './cluster/CallLedger';
export { parseClusterOptions, USAGE, type ClusterOptions } from './cluster/orchestrator/ClusterOptions';
export { formatSummary, type Summary } from './cluster/orchestrator/Summary';
export {
  ClusterInterruptedError,
  ClusterRunError,
  ClusterUsageError,
  JobNotRegisteredError,
  SlotAllocationError,
} from './cluster/errors';
