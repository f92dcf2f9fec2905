/**
 * The benchmark's entry point: `npm run bench` (full) or `npm run bench -- --quick`; the soak
 * run, apart, with `--soak` (`--soak-minutes <n>`, default 10; `--soak-diagnose` for CPU
 * profiles and heap snapshots; see soak/soak.ts).
 * `--rounds <n>` sets the number of measured rounds; `--only <name>[,<name>…]` runs only the
 * scenarios named, or whose names start with an entry that is not a whole scenario name (the
 * scale scenarios are named `memory` and `idle`; the fairness scenarios `fairness_local_burst`,
 * `fairness_local_burst_100_endpoints` and `fairness_local_burst_floor`, or by their figures, e.g.
 * `event_loop_max_delay_ms_local_burst`).
 * Runs the local, codec and remote scenarios in interleaved rounds, then the fairness and
 * scale scenarios once each; prints the tables and writes results/latest.json. Every child process is
 * killed at the end, even after an error, and the process exits by itself.
 */
import {
  codecSuperjsonCodec,
  codecDefaultPlain,
  codecPlainCheck,
  codecJson,
  codecJsonPlain,
  codecPayloadBytes,
  codecSuperjson,
  codecTyped,
} from './codec';
import { benchConfig, type BenchConfig } from './config';
import {
  FAIRNESS_VARIANTS,
  fairnessNames,
  measureFairness,
  type FairnessFigures,
  type FairnessVariant,
} from './fairness/fairness';
import { checkGoals, chooseRawTcpBaselines, computeRatios } from './goals';
import { directCall } from './local/direct';
import { nactDispatch, nactQuery1000, nactQuerySeq } from './local/nact';
import { rpcAsk1000, rpcAskDeadline1000, rpcAskSeq, rpcTell } from './local/rpc';
import { killAllChildren, killAllChildrenNow } from './proc/ChildProcess';
import { startRemoteBench } from './remote/remoteScenarios';
import { resultFigures, runRounds, type ScenarioResult } from './rounds';
import { measureIdleAssociations } from './scale/idle';
import { measureMemory } from './scale/memory';
import { runSoakCommand } from './soak/soakReport';
import type { SoakOptions } from './soak/soak';
import type { Scenario } from './scenario';
import { commandLine, machineInfo, writeResults } from './results';
import { baselinesTable, goalsTable, ratiosTable, resultsTable, type FigureRow } from './table';

const LOCAL_SCENARIOS: readonly Scenario[] = [
  directCall,
  nactDispatch,
  nactQuerySeq,
  nactQuery1000,
  rpcTell,
  rpcAskSeq,
  rpcAsk1000,
  rpcAskDeadline1000,
];
const CODEC_SCENARIOS: readonly Scenario[] = [
  codecJson,
  codecSuperjson,
  codecSuperjsonCodec,
  codecTyped,
  codecJsonPlain,
  codecDefaultPlain,
  codecPlainCheck,
];

const progress = (line: string): void => void process.stderr.write(`${line}\n`);

const USAGE =
  'usage: cli.js [--quick] [--rounds <n>] [--only <name or prefix>[,...]] | --soak [--soak-minutes <n>] [--soak-diagnose]';

/**
 * The command line: `--quick`, `--rounds` and `--only` with the scenario names or name prefixes
 * to run; or the soak run, `soak`, with its options.
 */
interface BenchArgs {
  readonly quick: boolean;
  readonly rounds: number | undefined;
  readonly only: readonly string[] | undefined;
  readonly soak: SoakOptions | undefined;
}

function parseArgs(args: readonly string[]): BenchArgs {
  let quick = false;
  let rounds: number | undefined;
  let only: string[] | undefined;
  let soak = false;
  let soakMinutes = 10;
  let diagnose = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--quick') quick = true;
    else if (arg === '--soak') soak = true;
    else if (arg === '--soak-diagnose') diagnose = soak = true;
    else if (arg === '--soak-minutes') {
      soak = true;
      soakMinutes = Number(args[++i]);
      if (!Number.isInteger(soakMinutes) || soakMinutes < 2)
        throw new Error(`--soak-minutes needs a whole number >= 2; ${USAGE}`);
    } else if (arg === '--rounds') {
      rounds = Number(args[++i]);
      if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds needs a whole number >= 1; ${USAGE}`);
    } else if (arg === '--only' || arg.startsWith('--only=')) {
      const list = arg === '--only' ? args[++i] : arg.slice('--only='.length);
      const prefixes = (list ?? '').split(',').filter((prefix) => prefix !== '');
      if (prefixes.length === 0) throw new Error(`--only needs scenario names or prefixes; ${USAGE}`);
      only = [...(only ?? []), ...prefixes];
    } else throw new Error(`unknown argument ${arg}; ${USAGE}`);
  }
  if (soak && (quick || rounds !== undefined || only !== undefined))
    throw new Error(`--soak takes no --quick, --rounds or --only; ${USAGE}`);
  return { quick, rounds, only, soak: soak ? { minutes: soakMinutes, diagnose } : undefined };
}

async function main(args: readonly string[]): Promise<void> {
  const { quick, rounds, only, soak } = parseArgs(args);
  if (soak !== undefined) return runSoakCommand(soak, commandLine(args), progress);
  const config = { ...benchConfig(quick), ...(rounds === undefined ? {} : { rounds }) };
  const startedAt = new Date();
  progress(
    `nact-rpc bench (${config.quick ? 'quick' : 'full'}): ${config.rounds} rounds, ${config.measureMs} ms per scenario after ${config.warmupMs} ms of warm-up`,
  );

  const remote = await startRemoteBench();
  const all = [...LOCAL_SCENARIOS, ...CODEC_SCENARIOS, ...remote.scenarios];
  const fairnessAll = FAIRNESS_VARIANTS.flatMap(fairnessNames);
  const selected = selector(only, [...all.map((scenario) => scenario.name), ...fairnessAll, 'memory', 'idle']);
  const scenarios = all.filter((scenario) => selected(scenario.name));
  const fairnessVariants = FAIRNESS_VARIANTS.filter((variant) => fairnessNames(variant).some(selected));
  if (scenarios.length === 0 && fairnessVariants.length === 0 && !selected('memory') && !selected('idle')) {
    throw new Error(
      `--only ${only?.join(',')} selects nothing; scenarios: ${all.map((s) => s.name).join(', ')}, ${FAIRNESS_VARIANTS.map((v) => v.name).join(', ')}, memory, idle`,
    );
  }
  if (only !== undefined)
    progress(`only: ${[...scenarios, ...fairnessVariants].map((scenario) => scenario.name).join(', ')}`);
  const results = scenarios.length === 0 ? [] : await runRounds(scenarios, config, progress);
  await remote.server.kill();

  const fairness: FairnessFigures =
    fairnessVariants.length === 0 ? { figures: {}, perBurst: {} } : await fairnessFigures(config, fairnessVariants);

  const memory = selected('memory') ? await memoryFigures(config) : {};
  const idle = selected('idle') ? await idleFigures(config) : {};
  const scale: FigureRow[] = [
    { name: 'memory_per_endpoint_bytes', value: memory.memory_per_endpoint_bytes ?? Number.NaN, unit: 'bytes' },
    { name: 'memory_per_nact_actor_bytes', value: memory.memory_per_nact_actor_bytes ?? Number.NaN, unit: 'bytes' },
    { name: 'idle_associations_cpu_percent', value: idle.idle_associations_cpu_percent ?? Number.NaN, unit: '% core' },
    {
      name: 'idle_associations_settle_cpu_percent',
      value: idle.idle_associations_settle_cpu_percent ?? Number.NaN,
      unit: '% core',
    },
    {
      name: 'idle_associations_client_cpu_percent',
      value: idle.idle_associations_client_cpu_percent ?? Number.NaN,
      unit: '% core',
    },
  ].filter((row) => selected(row.name.startsWith('memory') ? 'memory' : 'idle'));
  scale.push(...fairnessRows(fairness.figures));
  const measured = resultFigures(results);
  const rawTcp = chooseRawTcpBaselines(measured);
  const figures = {
    ...measured,
    ...rawTcp.figures,
    ...codecPayloadBytes(),
    ...memory,
    ...idle,
    ...fairness.figures,
  };
  const ratios = computeRatios(figures);
  const goals = checkGoals(ratios, only !== undefined, figures);

  const baselines = rawTcp.details.length === 0 ? '' : `\n\n${baselinesTable(rawTcp.details)}`;
  console.log(`\n${resultsTable(results, scale)}${baselines}\n\n${ratiosTable(ratios)}\n\n${goalsTable(goals)}\n`);
  for (const { name, anomalies } of results) {
    for (const [key, count] of Object.entries(anomalies))
      if (count > 0) console.log(`anomaly: ${name}: ${key} = ${count}`);
  }
  for (const line of noisyScenarios(results)) console.log(line);
  const path = writeResults({
    machine: machineInfo(),
    command: commandLine(args),
    quick: config.quick,
    ...(only === undefined ? {} : { only }),
    startedAt: startedAt.toISOString(),
    durationS: (Date.now() - startedAt.getTime()) / 1_000,
    rounds: config.rounds,
    measureMs: config.measureMs,
    warmupMs: config.warmupMs,
    figures,
    ratios,
    baselines: rawTcp.baselines,
    goals,
    perRound: Object.fromEntries(results.map((result) => [result.name, result.rounds.map((round) => round.perSecond)])),
    ...(fairnessVariants.length === 0 ? {} : { perBurst: fairness.perBurst }),
  });
  console.log(`${goals.filter((goal) => goal.met).length}/${goals.length} goals met; results written to ${path}`);
}

/**
 * Whether a scenario named so is selected by `--only`: every scenario without it; with it, those
 * named exactly by an entry that is a whole scenario name (of `names`), or starting with another.
 */
function selector(only: readonly string[] | undefined, names: readonly string[]): (name: string) => boolean {
  if (only === undefined) return () => true;
  const exact = only.filter((entry) => names.includes(entry));
  const prefixes = only.filter((entry) => !names.includes(entry));
  return (name) => exact.includes(name) || prefixes.some((prefix) => name.startsWith(prefix));
}

/** The memory scenario's figures: per endpoint and per bare nact actor, each in a fresh process. */
function memoryFigures(config: BenchConfig): Promise<Record<string, number>> {
  progress(
    `memory: ${config.memoryItems.toLocaleString('en-US')} endpoints, then as many nact actors, each in a fresh process`,
  );
  return measureMemory(config);
}

/** The fairness scenarios' figures: bursts of local asks in a child, remote asks from here. */
function fairnessFigures(config: BenchConfig, variants: readonly FairnessVariant[]): Promise<FairnessFigures> {
  progress(
    `fairness: ${variants.map((variant) => variant.name).join(', ')}: ${config.burstRepeats} bursts of ${config.burstAsks.toLocaleString('en-US')} local asks, ${config.burstInFlight.toLocaleString('en-US')} in flight, remote asks every 1 ms`,
  );
  return measureFairness(config, variants, progress);
}

/** The fairness figures shown in the results table, with their units. */
function fairnessRows(figures: Readonly<Record<string, number>>): FigureRow[] {
  const units: Array<[string, string]> = [
    ['remote_p50_without_burst_ms', 'ms'],
    ['remote_p99_without_burst_ms', 'ms'],
  ];
  for (const { suffix } of FAIRNESS_VARIANTS) {
    units.push(
      [`event_loop_max_delay_ms_local_burst${suffix}`, 'ms'],
      [`event_loop_histogram_max_ms_local_burst${suffix}`, 'ms'],
      [`event_loop_probe_max_ms_local_burst${suffix}`, 'ms'],
      [`remote_p50_during_local_burst_ms${suffix}`, 'ms'],
      [`remote_p99_during_local_burst_ms${suffix}`, 'ms'],
      [`remote_max_during_local_burst_ms${suffix}`, 'ms'],
      [`local_burst_asks_per_s${suffix}`, 'calls/s'],
    );
  }
  return units.flatMap(([name, unit]) => {
    const value = figures[name];
    return value === undefined ? [] : [{ name, value, unit }];
  });
}

/** The idle scenario's figures: the server's and the client's CPU with idle associations. */
function idleFigures(config: BenchConfig): Promise<Record<string, number>> {
  progress(`idle: ${config.idleAssociations} associations, CPU over ${config.idleWindowMs} ms`);
  return measureIdleAssociations(config);
}

/** A warning for each scenario whose rounds differ by more than half: its median is uncertain. */
function noisyScenarios(results: readonly ScenarioResult[]): string[] {
  return results.flatMap(({ name, rounds }) => {
    const rates = rounds.map((round) => round.perSecond);
    const spread = Math.max(...rates) / Math.min(...rates);
    return spread > 1.5
      ? [`noisy: ${name}: rounds range ${spread.toFixed(1)}x (${rates.map((rate) => Math.round(rate)).join(', ')})`]
      : [];
  });
}

/** Warns, and exits, if something still holds the event loop shortly after the run. */
function exitWatchdog(): void {
  setTimeout(() => {
    progress(`warning: the bench did not exit by itself; still active: ${process.getActiveResourcesInfo().join(', ')}`);
    process.exit(process.exitCode ?? 0);
  }, 5_000).unref();
}

process.on('exit', killAllChildrenNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllChildrenNow();
    process.exit(130);
  });
}

main(process.argv.slice(2))
  .catch((error: unknown) => {
    process.exitCode = 1;
    progress(`bench failed: ${String((error as Error)?.stack ?? error)}`);
  })
  .finally(async () => {
    await killAllChildren();
    exitWatchdog();
  });
