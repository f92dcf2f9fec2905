/**
 * The protocols of the multi-process cluster: a lease service that grants leadership, a fenced
 * ResourceManager that TaskExecutors and the JobMaster register with, and the TaskExecutors
 * that run the job's tasks.
 */
import { ask, defineProtocol } from '@nact-rpc/core';
import type { PrimeTask } from './primes';

/** The current leader, as the lease service knows it. */
export interface LeaderInfo {
  /** The name of the ResourceManager that holds the lease (`rm-1`, `rm-2`). */
  readonly candidateId: string;
  /** The address of its ResourceManager endpoint. */
  readonly address: string;
  /** Its leader session: the fencing token callers must carry. */
  readonly session: string;
}

/** A lease granted to a candidate: its session, and how long the lease lasts without renewal. */
export interface LeaseGrant {
  readonly session: string;
  readonly ttlMs: number;
}

/** A slot a TaskExecutor offers: its id, and the job it is allocated to, if any. */
export interface SlotOffer {
  /** `<taskExecutor>/<index>`, such as `te-1/0`. */
  readonly slotId: string;
  readonly jobId: string | null;
}

/** A slot the ResourceManager gives a job: where to run tasks in it. */
export interface SlotGrant {
  readonly slotId: string;
  readonly taskExecutorAddress: string;
}

/**
 * The lease service: at most one ResourceManager holds the lease at a time, for `ttlMs` after
 * its last renewal. An example of leader election, not a production one (see the README).
 */
export const LeaseProtocol = defineProtocol('LeaseGateway', {
  /** Takes the lease if it is free (a new session), or answers the caller's own; `null` if another holds it. */
  acquire: ask<[candidateId: string, address: string], LeaseGrant | null>(),
  /** Extends the caller's lease; `false` if it no longer holds it under `session`. */
  renew: ask<[candidateId: string, session: string], boolean>(),
  /** The current leader, or `null` while nobody holds the lease. */
  leader: ask<[], LeaderInfo | null>(),
});

/** The ResourceManager, fenced by its leader session: every call carries the caller's session. */
export const ResourceManagerProtocol = defineProtocol('ResourceManagerGateway', {
  /** Registers a TaskExecutor and its slots; answers the number of slots the leader now knows. */
  registerTaskExecutor: ask<[taskExecutorId: string, address: string, slots: SlotOffer[]], number>(),
  /** A TaskExecutor's sign of life; answers whether the leader knows it. */
  heartbeatFromTaskExecutor: ask<[taskExecutorId: string], boolean>(),
  /** Registers the JobMaster of a job; answers the number of slots the leader knows. */
  registerJobMaster: ask<[jobId: string], number>(),
  /** Gives the job up to `count` slots: those it holds already, then free ones. */
  requestSlots: ask<[jobId: string, count: number], SlotGrant[]>(),
});

/** A TaskExecutor: the ResourceManager allocates its slots, the JobMaster runs tasks in them. */
export const TaskExecutorProtocol = defineProtocol('TaskExecutorGateway', {
  /** Allocates a slot to a job; fails if another job holds it. */
  allocateSlot: ask<[slotId: string, jobId: string], void>(),
  /** Runs a task in a slot allocated to the job; answers the task's result. */
  runTask: ask<[slotId: string, jobId: string, task: PrimeTask], number>(),
  /** The slots and their allocations, for registering with a leader (in the TaskExecutor's process only). */
  slotReport: ask<[], SlotOffer[]>({ local: true }),
});
