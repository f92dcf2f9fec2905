/**
 * Runnable nact-rpc examples.
 *
 * @packageDocumentation
 */
export { HelloEndpoint, HelloProtocol, HiEndpoint, HiProtocol, runHelloHi } from './helloHi';
export { LeaderProtocol, WorkerProtocol } from './cluster/protocols';
export { LeaderEndpoint } from './cluster/LeaderEndpoint';
export { WorkerEndpoint } from './cluster/WorkerEndpoint';
export { runCluster } from './cluster/runCluster';
export { InventoryEndpoint, InventoryProtocol, runEmbedding, spawnAuditLog, type AuditMessage } from './embedding';
