import { RpcInvalidOptionError } from '@nact-rpc/core';
import { checkSeed } from './SeededRandom';

/** The environment variable that replays one seed: `NACT_RPC_SIM_SEED=1234 npx jest …`. */
export const SEED_VARIABLE = 'NACT_RPC_SIM_SEED';
/** The environment variable that sets how many seeds a simulation test runs: `NACT_RPC_SIM_SEEDS=5000`. */
export const SEEDS_VARIABLE = 'NACT_RPC_SIM_SEEDS';
/** The environment variable that sets the first of those seeds (default 1), to explore other ranges. */
export const FIRST_SEED_VARIABLE = 'NACT_RPC_SIM_FIRST_SEED';

/** The default number of seeds of a simulation test. */
export const DEFAULT_SEED_COUNT = 200;

/** Options of {@link simulationSeeds}. */
export interface SimulationSeedsOptions {
  /** How many seeds, unless `NACT_RPC_SIM_SEEDS` says otherwise. Default {@link DEFAULT_SEED_COUNT}. */
  readonly count?: number | undefined;
  /** The first seed, unless `NACT_RPC_SIM_FIRST_SEED` says otherwise. Default 1. */
  readonly first?: number | undefined;
  /** Where the variables are read. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/**
 * The seeds a simulation test runs: `count` consecutive seeds from `first` (200 from 1 by
 * default; `NACT_RPC_SIM_SEEDS` and `NACT_RPC_SIM_FIRST_SEED` change them), or, when
 * `NACT_RPC_SIM_SEED` is set, that one seed alone, to replay a failed run.
 * @throws RpcInvalidOptionError naming the variable or option whose value is not a valid count
 *   or seed.
 */
export function simulationSeeds(options: SimulationSeedsOptions = {}): number[] {
  const env = options.env ?? process.env;
  const replay = env[SEED_VARIABLE];
  if (replay !== undefined && replay !== '') return [parseWhole(replay, SEED_VARIABLE)];
  const count = fromEnv(env, SEEDS_VARIABLE) ?? options.count ?? DEFAULT_SEED_COUNT;
  const first = fromEnv(env, FIRST_SEED_VARIABLE) ?? options.first ?? 1;
  if (!Number.isInteger(count) || count < 1) {
    throw RpcInvalidOptionError.forValue('count', count, 'a whole number of seeds >= 1', 'simulationSeeds');
  }
  checkSeed(first, 'first');
  checkSeed(first + count - 1, 'first + count - 1');
  return Array.from({ length: count }, (_, i) => first + i);
}

function fromEnv(env: Readonly<Record<string, string | undefined>>, name: string): number | undefined {
  const text = env[name];
  return text === undefined || text === '' ? undefined : parseWhole(text, name);
}

function parseWhole(text: string, name: string): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    throw RpcInvalidOptionError.forValue(name, text, 'a whole number', 'simulationSeeds');
  }
  return value;
}
