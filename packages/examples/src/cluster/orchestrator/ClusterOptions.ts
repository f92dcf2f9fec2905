import { ClusterUsageError } from '../errors';

/** The options of the cluster run (`npm start -- --task-executors 5 --seconds 20`). */
export interface ClusterOptions {
  /** How many TaskExecutor processes. Default 3. */
  readonly taskExecutors: number;
  /** About how long the job runs, in seconds; the leader is killed halfway. Default 10. */
  readonly seconds: number;
}

/** The usage text of `npm start`. */
export const USAGE = `usage: npm start -- [--task-executors N] [--seconds S]
  --task-executors N  TaskExecutor processes, 1 to 16 (default 3)
  --seconds S         about how long the job runs, 2 to 120 (default 10); the leader is killed halfway`;

const LIMITS = { 'task-executors': [1, 16], seconds: [2, 120] } as const;

/**
 * Reads the options from the command line's arguments (`--name value` or `--name=value`).
 * @throws ClusterUsageError for an unknown option, or a value that is not an integer in range.
 */
export function parseClusterOptions(args: readonly string[]): ClusterOptions {
  const values: Record<keyof typeof LIMITS, number> = { 'task-executors': 3, seconds: 10 };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const name = match?.[1];
    if (name === undefined || !(name in LIMITS)) throw new ClusterUsageError(`unknown option ${arg}\n${USAGE}`);
    const text = match?.[2] ?? args[++index];
    const value = Number(text);
    const [min, max] = LIMITS[name as keyof typeof LIMITS];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ClusterUsageError(`--${name} takes an integer from ${min} to ${max}, not ${text}\n${USAGE}`);
    }
    values[name as keyof typeof LIMITS] = value;
  }
  return { taskExecutors: values['task-executors'], seconds: values.seconds };
}
