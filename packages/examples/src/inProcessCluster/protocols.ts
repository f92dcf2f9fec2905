/** The protocols of the small cluster: a fenced leader and the workers that register with it. */
import { ask, defineProtocol, tell } from '@nact-rpc/core';

/** What workers call on the leader. Every call is fenced with the leader's session id. */
export const LeaderProtocol = defineProtocol('LeaderGateway', {
  /** Registers a worker; answers the number of workers now registered. */
  registerWorker: ask<[workerId: string, workerAddress: string], number>(),
  /** A worker's periodic sign of life. */
  heartbeat: tell<[workerId: string]>(),
  /** The workers the leader knows and the heartbeats it received from each. */
  workers: ask<[], Record<string, number>>(),
});

/** What the leader (and the program driving the example) calls on workers. */
export const WorkerProtocol = defineProtocol('WorkerGateway', {
  /** Asks the worker for its current load. */
  load: ask<[], number>(),
  /** Connects to the leader under a session id and registers; answers the leader's worker count. */
  registerWith: ask<[leaderAddress: string, sessionId: string], number>(),
  /** Sends one heartbeat to the leader the worker registered with. */
  sendHeartbeat: tell<[]>(),
  /** Asks the leader, under the worker's session, which workers it knows. */
  askLeaderForWorkers: ask<[], Record<string, number>>(),
});
