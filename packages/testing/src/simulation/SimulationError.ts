import { SEED_VARIABLE } from './simulationSeeds';

/** How many of the last trace events a {@link SimulationError}'s message shows. */
const EVENTS_SHOWN = 25;

/**
 * A simulation failed: its scenario threw, or its services did not shut down cleanly. The
 * message names the seed and how to replay it (`NACT_RPC_SIM_SEED=<seed>`), says what failed,
 * and shows the last events of the trace; the whole trace is {@link SimulationError.trace}, and
 * what failed is the `cause`.
 */
export class SimulationError extends Error {
  /** The stable code of this error class. */
  readonly code = 'SIMULATION_FAILED' as const;

  constructor(
    /** The seed of the failed run: replay it with `NACT_RPC_SIM_SEED=<seed>`. */
    readonly seed: number,
    cause: unknown,
    /** The run's trace up to the failure. */
    readonly trace: readonly string[],
  ) {
    const shown = trace.slice(Math.max(0, trace.length - EVENTS_SHOWN));
    super(
      `The simulation with seed ${seed} failed: ${describe(cause)}\n` +
        `Replay it alone with ${SEED_VARIABLE}=${seed} (for example \`${SEED_VARIABLE}=${seed} npx jest <test file>\`).\n` +
        `Its last ${shown.length} of ${trace.length} events:\n${shown.map((event) => `  ${event}`).join('\n')}`,
      { cause },
    );
    this.name = 'SimulationError';
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}
