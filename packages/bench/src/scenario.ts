/** What a benchmark scenario is, to the round runner. */
import type { BenchConfig } from './config';
import type { Sample } from './measure';

/** One open instance of a scenario: set up, ready to run windows, then closed. */
export interface ScenarioSession {
  /** Runs the scenario for about `durationMs` and returns what it measured. */
  run(durationMs: number): Promise<Sample>;
  /** Releases everything the session opened; the runner awaits what it returns. */
  close(): void | Promise<void>;
  /**
   * Counts of things that went wrong without failing the scenario (e.g. misrouted replies),
   * by name; the runner sums them over the run and reports the non-zero ones.
   */
  anomalies?(): Record<string, number>;
}

/** A scenario, run once per round: opened, warmed up, measured, closed. */
export interface Scenario {
  /** The figure prefix, e.g. `local_rpc_ask_seq` or `remote_grpc_100`. */
  readonly name: string;
  /** What one operation is, for the table: `calls/s`, `msgs/s` or `ops/s`. */
  readonly unit: string;
  /**
   * Figures derived from the median throughput (in `unit`), by name: e.g. the MB/s of a
   * scenario whose operations each move a known number of bytes.
   */
  readonly derived?: (perSecond: number) => Record<string, number>;
  /** Sets the scenario up (not measured); the runner awaits what it returns. */
  open(config: BenchConfig): ScenarioSession | Promise<ScenarioSession>;
}
