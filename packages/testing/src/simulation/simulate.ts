import { RpcInvalidStateError } from '@nact-rpc/core';
import { useIncarnationIds, useMessageOnlyDeliveryBudget } from '@nact-rpc/core/internal';
import { checkSeed } from './SeededRandom';
import { Simulation, type SimulationOptions } from './Simulation';
import { SimulationError } from './SimulationError';

/** Whether a simulation runs in this process: one at a time, or neither would be deterministic. */
let running = false;

/** What a simulation that passed returns. */
export interface SimulationResult<T> {
  /** The seed the run used. */
  readonly seed: number;
  /** What the scenario returned. */
  readonly value: T;
  /** The whole trace: the same seed gives the same one. */
  readonly trace: readonly string[];
}

/**
 * Runs `scenario` in a new {@link Simulation} seeded with `options.seed`, then shuts it down
 * (every service closed, no connection left open). The same seed gives the same run, event for
 * event: every time comes from the simulation's `VirtualClock`, every chance from its seeded
 * generator, and while it runs the runtime's delivery budget counts messages, not processor
 * time (see `useMessageOnlyDeliveryBudget`), and services get incarnation ids numbered in the
 * order they start, not random ones (see `useIncarnationIds`). The scenario must not read the real time or
 * `Math.random`, nor wait for real I/O.
 *
 * @throws SimulationError (as a rejection) if the scenario throws or the shutdown fails: its
 *   message names the seed, how to replay it (`NACT_RPC_SIM_SEED=<seed>`) and the last events.
 * @throws RpcInvalidOptionError (as a rejection) if the seed or an option is invalid.
 * @throws RpcInvalidStateError (as a rejection) if another simulation runs in this process:
 *   their turns of the event loop would interleave.
 *
 * @example
 * ```ts
 * for (const seed of simulationSeeds()) {
 *   await simulate({ seed }, async (sim) => {
 *     const leader = await sim.startService('leader');
 *     // …start endpoints, call them from other services, partition, crash, check…
 *   });
 * }
 * ```
 */
export async function simulate<T>(
  options: SimulationOptions,
  scenario: (simulation: Simulation) => Promise<T>,
): Promise<SimulationResult<T>> {
  checkSeed(options?.seed, 'seed');
  const { seed } = options;
  if (running) {
    throw new RpcInvalidStateError(
      `Cannot simulate seed ${seed}: another simulation runs in this process. Await each simulation before the next.`,
    );
  }
  running = true;
  const releaseBudget = useMessageOnlyDeliveryBudget();
  let runs = 0;
  const releaseIds = useIncarnationIds(() => `simulated-${seed}-run-${++runs}`);
  try {
    const simulation = new Simulation(seed, options);
    let value: T;
    try {
      value = await scenario(simulation);
    } catch (error) {
      const shutdown = await simulation.shutdown().then(
        () => undefined,
        (failure: unknown) => failure,
      );
      const cause =
        shutdown === undefined ? error : new AggregateError([error, shutdown], describeBoth(error, shutdown));
      throw new SimulationError(seed, cause, simulation.trace.events);
    }
    try {
      await simulation.shutdown();
    } catch (error) {
      throw new SimulationError(seed, error, simulation.trace.events);
    }
    return { seed, value, trace: simulation.trace.events };
  } finally {
    releaseIds();
    releaseBudget();
    running = false;
  }
}

function describeBoth(first: unknown, second: unknown): string {
  const text = (error: unknown): string => (error instanceof Error ? error.message : String(error));
  return `${text(first)}; and then the shutdown failed: ${text(second)}`;
}
