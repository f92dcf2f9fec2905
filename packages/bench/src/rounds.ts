/**
 * The round runner: in each round every scenario runs once (opened, warmed up, measured,
 * closed), so that drift over the run hits every scenario alike; each figure is the median
 * over rounds. Odd rounds run the scenarios in reverse order, so no scenario always runs
 * right after the same neighbour. A warm-up round, not measured, comes first: some code
 * paths (gRPC's above all) need seconds of use, not a short warm-up, to be compiled, and
 * the server child's code is only warmed by the calls it serves.
 */
import type { BenchConfig } from './config';
import { median, sleep, summarize, type SampleStats } from './measure';
import type { Scenario, ScenarioSession } from './scenario';

/** A scenario's figures in every round, and their medians. */
export interface ScenarioResult {
  readonly name: string;
  readonly unit: string;
  readonly rounds: readonly SampleStats[];
  readonly median: SampleStats;
  /** The session's anomaly counts, summed over every round (the warm-up round included). */
  readonly anomalies: Readonly<Record<string, number>>;
  /** The scenario's derived figures (see {@link Scenario.derived}), from the median throughput. */
  readonly derived: Readonly<Record<string, number>>;
}

/** The pause after each scenario, so that what its closing set off (a goodbye, a GC) is over. */
const SETTLE_MS = 50;

function medianOf(rounds: readonly SampleStats[]): SampleStats {
  const perSecond = median(rounds.map((round) => round.perSecond));
  const p50 = rounds.flatMap((round) => (round.p50Us === undefined ? [] : [round.p50Us]));
  const p99 = rounds.flatMap((round) => (round.p99Us === undefined ? [] : [round.p99Us]));
  return p50.length === 0 ? { perSecond } : { perSecond, p50Us: median(p50), p99Us: median(p99) };
}

/** Runs sessions of the scenarios and keeps what they measured and the anomalies they counted. */
class RoundRunner {
  private readonly stats = new Map<Scenario, SampleStats[]>();
  private readonly anomalies = new Map<Scenario, Record<string, number>>();

  constructor(private readonly config: BenchConfig) {}

  /** The warm-up round's session of `scenario`: run for a full window, not measured. */
  warmUp(scenario: Scenario): Promise<unknown> {
    return this.withSession(scenario, (session) => session.run(this.config.warmupMs + this.config.measureMs));
  }

  /** One measured round of `scenario`: its warm-up, then the measured window. */
  async measure(scenario: Scenario): Promise<SampleStats> {
    const stats = await this.withSession(scenario, async (session) => {
      await session.run(this.config.warmupMs);
      return summarize(await session.run(this.config.measureMs));
    });
    this.stats.set(scenario, [...(this.stats.get(scenario) ?? []), stats]);
    return stats;
  }

  result(scenario: Scenario): ScenarioResult {
    const rounds = this.stats.get(scenario) ?? [];
    const { name, unit } = scenario;
    const median = medianOf(rounds);
    const derived = rounds.length === 0 ? {} : (scenario.derived?.(median.perSecond) ?? {});
    return { name, unit, rounds, median, anomalies: this.anomalies.get(scenario) ?? {}, derived };
  }

  private async withSession<T>(scenario: Scenario, use: (session: ScenarioSession) => Promise<T>): Promise<T> {
    const session = await scenario.open(this.config);
    try {
      return await use(session);
    } finally {
      const counts = this.anomalies.get(scenario) ?? {};
      for (const [key, count] of Object.entries(session.anomalies?.() ?? {})) counts[key] = (counts[key] ?? 0) + count;
      this.anomalies.set(scenario, counts);
      await session.close();
      await sleep(SETTLE_MS);
    }
  }
}

/** Runs the warm-up round and `config.rounds` rounds of `scenarios`; `progress` gets a line per measurement. */
export async function runRounds(
  scenarios: readonly Scenario[],
  config: BenchConfig,
  progress: (line: string) => void,
): Promise<ScenarioResult[]> {
  const runner = new RoundRunner(config);
  for (const scenario of scenarios) await runner.warmUp(scenario);
  progress('warm-up round done');
  for (let round = 0; round < config.rounds; round++) {
    const order = round % 2 === 0 ? scenarios : [...scenarios].reverse();
    for (const scenario of order) {
      const stats = await runner.measure(scenario);
      const latency =
        stats.p50Us === undefined ? '' : `  p50 ${stats.p50Us.toFixed(1)} µs  p99 ${stats.p99Us?.toFixed(1)} µs`;
      progress(
        `round ${round + 1}/${config.rounds}  ${scenario.name.padEnd(24)} ${Math.round(stats.perSecond).toLocaleString('en-US')} ${scenario.unit}${latency}`,
      );
    }
  }
  return scenarios.map((scenario) => runner.result(scenario));
}

/**
 * The named figures of the results: `<name>_per_s`, `<name>_p50_us` / `_p99_us` when
 * measured, `<name>_<anomaly>` for each anomaly count, and the derived figures.
 */
export function resultFigures(results: readonly ScenarioResult[]): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const { name, median: stats, anomalies: counts, derived } of results) {
    for (const [key, count] of Object.entries(counts)) figures[`${name}_${key}`] = count;
    Object.assign(figures, derived);
    figures[`${name}_per_s`] = stats.perSecond;
    if (stats.p50Us !== undefined) figures[`${name}_p50_us`] = stats.p50Us;
    if (stats.p99Us !== undefined) figures[`${name}_p99_us`] = stats.p99Us;
  }
  return figures;
}
