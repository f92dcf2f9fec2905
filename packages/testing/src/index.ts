/**
 * `@nact-rpc/testing`: what a test of a nact-rpc service needs. A {@link TestingRpcService}
 * answers `connect` with registered {@link StubGateway}s and runs real endpoints otherwise; a
 * {@link VirtualClock} drives a service's time (timeouts, scheduled runs, heartbeats, backoff)
 * without real waiting; {@link simulate} runs several services on a {@link SimulatedNetwork}, the
 * same way for the same seed. The small tools a test reaches for come with them: a
 * {@link RecordingLogger}, a {@link deferred} promise, {@link track} and {@link eventLoopTurns},
 * an {@link Inbox}, {@link thrownBy} and {@link rejectionOf}, free and occupied ports, and value
 * classes for codec tests ({@link Money}, {@link QuotaExceededError}, {@link UnregisteredError}).
 *
 * @module \@nact-rpc/testing
 */
export { VirtualClock, type VirtualClockOptions } from './clock/VirtualClock';

export { StubGateway, type StubGatewayOptions } from './stub/StubGateway';
export { FencedStubGateway } from './stub/FencedStubGateway';
export { StubMethodNotImplementedError } from './stub/StubMethodNotImplementedError';
export type {
  FencedRecordedCall,
  RecordedCall,
  StubCallArgs,
  StubImplementations,
  StubMethodName,
  StubTellFailure,
} from './stub/types';

export { TestingRpcService } from './service/TestingRpcService';
export type { ConnectAttempt, ConnectHook } from './service/ConnectHook';

export { RecordingLogger, type LogEntry } from './log/RecordingLogger';
export { deferred, type Deferred } from './async/deferred';
export { eventLoopTurns, flushMailboxes, track, type Tracked } from './async/settling';
export { Inbox } from './async/Inbox';
export { rejectionOf, thrownBy } from './assert/failures';
export { freePort } from './ports/freePort';
export { occupyPort, type OccupiedPort } from './ports/occupyPort';

export { Money } from './values/Money';
export { QuotaExceededError } from './values/QuotaExceededError';
export { UnregisteredError } from './values/UnregisteredError';

// A deterministic simulation: services on a seeded network in memory (docs/testing.md).
export { simulate, type SimulationResult } from './simulation/simulate';
export {
  Simulation,
  DEFAULT_SIMULATED_PORT,
  type SimulatedServiceOptions,
  type SimulationOptions,
} from './simulation/Simulation';
export {
  simulationSeeds,
  DEFAULT_SEED_COUNT,
  FIRST_SEED_VARIABLE,
  SEED_VARIABLE,
  SEEDS_VARIABLE,
  type SimulationSeedsOptions,
} from './simulation/simulationSeeds';
export { SimulatedNetwork, type NetworkBehaviour, type SimulatedNetworkOptions } from './simulation/SimulatedNetwork';
export { SimulatedSocket, type SocketAddress, type SocketCloseKind } from './simulation/SimulatedSocket';
export type { ConnectionRecord } from './simulation/SimulatedConnection';
export { SeededRandom, MAX_SEED } from './simulation/SeededRandom';
export { SimulationTrace } from './simulation/SimulationTrace';
export { SimulationLog, type SimulationLogLine } from './simulation/SimulationLog';
export { SimulationError } from './simulation/SimulationError';
export { SimulationStuckError } from './simulation/SimulationStuckError';
