/** The results file, `packages/bench/results/latest.json`, and the machine it describes. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, totalmem } from 'node:os';
import { join } from 'node:path';
import type { GoalResult } from './goals';
import type { WriteMode } from './remote/frames';

/** The machine a run measured. */
export interface MachineInfo {
  readonly node: string;
  readonly cpus: { readonly model: string; readonly count: number };
  readonly totalmem: number;
  readonly platform: string;
}

/** Everything a run writes to latest.json. */
export interface BenchResults {
  readonly machine: MachineInfo;
  readonly command: string;
  readonly quick: boolean;
  /** The scenario-name prefixes of `--only`, when the run was limited to them. */
  readonly only?: readonly string[];
  readonly startedAt: string;
  readonly durationS: number;
  readonly rounds: number;
  readonly measureMs: number;
  readonly warmupMs: number;
  readonly figures: Readonly<Record<string, number>>;
  readonly ratios: Readonly<Record<string, number>>;
  /**
   * Which raw TCP write mode (naive, corked, batched, pipelined) was the best baseline, e.g.
   * `{ remote_raw_tcp_1000: 'corked' }`: the remote ask ratios are against it.
   */
  readonly baselines: Readonly<Record<string, WriteMode>>;
  readonly goals: readonly GoalResult[];
  /** Each scenario's throughput in every round, before the median. */
  readonly perRound: Readonly<Record<string, readonly number[]>>;
  /** The fairness scenarios' figures in every measured burst, before the median (when run). */
  readonly perBurst?: Readonly<Record<string, readonly number[]>>;
}

/** Describes this machine. */
export function machineInfo(): MachineInfo {
  const cores = cpus();
  return {
    node: process.version,
    cpus: { model: cores[0]?.model ?? 'unknown', count: cores.length },
    totalmem: totalmem(),
    platform: `${platform()} ${process.arch}`,
  };
}

/** How this run was started, e.g. `npm run bench -- --quick`. */
export function commandLine(args: readonly string[]): string {
  const npmScript = process.env.npm_lifecycle_event;
  const suffix = args.length === 0 ? '' : ` -- ${args.join(' ')}`;
  if (npmScript !== undefined) return `npm run ${npmScript}${suffix}`;
  return ['node', 'packages/bench/dist/cli.js', ...args].join(' ');
}

/** The results folder: packages/bench/results (kept out of git). */
export const RESULTS_DIR = join(__dirname, '..', 'results');

/** Writes `results` to results/latest.json; returns the path. */
export function writeResults(results: BenchResults): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, 'latest.json');
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}
