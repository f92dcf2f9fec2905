/**
 * What a simulation waited for did not happen: a promise given to `Simulation.run` had not
 * settled after the virtual time allowed (or no timer was left to move time to). A call that
 * never settles, a close that never completes.
 */
export class SimulationStuckError extends Error {
  /** The stable code of this error class. */
  readonly code = 'SIMULATION_STUCK' as const;

  constructor(message: string) {
    super(message);
    this.name = 'SimulationStuckError';
  }
}
