/**
 * The benchmark's entry point: `npm run bench` (full) or `npm run bench -- --quick`.
 * Runs the local, codec and remote scenarios in interleaved rounds, then the scale
 * scenarios once; prints the tables and writes results/latest.json. Every child process is
 * killed at the end, even after an error, and the process exits by itself.
 */
import { codecDefault, codecDefaultPlain, codecJson, codecJsonPlain, codecPayloadBytes, codecSuperjson } from './codec';
import { benchConfig } from './config';
import { checkGoals, computeRatios } from './goals';
import { directCall } from './local/direct';
import { nactDispatch, nactQuery1000, nactQuerySeq } from './local/nact';
import { rpcAsk1000, rpcAskSeq, rpcTell } from './local/rpc';
import { killAllChildren, killAllChildrenNow } from './proc/ChildProcess';
import { startRemoteBench } from './remote/remoteScenarios';
import { resultFigures, runRounds, type ScenarioResult } from './rounds';
import { measureIdleAssociations } from './scale/idle';
import { measureMemory } from './scale/memory';
import type { Scenario } from './scenario';
import { commandLine, machineInfo, writeResults } from './results';
import { goalsTable, ratiosTable, resultsTable, type FigureRow } from './table';

const LOCAL_SCENARIOS: readonly Scenario[] = [
  directCall,
  nactDispatch,
  nactQuerySeq,
  nactQuery1000,
  rpcTell,
  rpcAskSeq,
  rpcAsk1000,
];
const CODEC_SCENARIOS: readonly Scenario[] = [
  codecJson,
  codecSuperjson,
  codecDefault,
  codecJsonPlain,
  codecDefaultPlain,
];

const progress = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(args: readonly string[]): Promise<void> {
  const unknown = args.filter((arg) => arg !== '--quick');
  if (unknown.length > 0) throw new Error(`unknown arguments ${unknown.join(' ')}; usage: cli.js [--quick]`);
  const config = benchConfig(args.includes('--quick'));
  const startedAt = new Date();
  progress(
    `nact-rpc bench (${config.quick ? 'quick' : 'full'}): ${config.rounds} rounds, ${config.measureMs} ms per scenario after ${config.warmupMs} ms of warm-up`,
  );

  const remote = await startRemoteBench();
  const results = await runRounds([...LOCAL_SCENARIOS, ...CODEC_SCENARIOS, ...remote.scenarios], config, progress);
  await remote.server.kill();

  progress(
    `memory: ${config.memoryItems.toLocaleString('en-US')} endpoints, then as many nact actors, each in a fresh process`,
  );
  const memory = await measureMemory(config);
  progress(`idle: ${config.idleAssociations} associations, CPU over ${config.idleWindowMs} ms`);
  const idle = await measureIdleAssociations(config);

  const scale: FigureRow[] = [
    { name: 'memory_per_endpoint_bytes', value: memory.memory_per_endpoint_bytes ?? Number.NaN, unit: 'bytes' },
    { name: 'memory_per_nact_actor_bytes', value: memory.memory_per_nact_actor_bytes ?? Number.NaN, unit: 'bytes' },
    { name: 'idle_associations_cpu_percent', value: idle.idle_associations_cpu_percent ?? Number.NaN, unit: '% core' },
    {
      name: 'idle_associations_client_cpu_percent',
      value: idle.idle_associations_client_cpu_percent ?? Number.NaN,
      unit: '% core',
    },
  ];
  const figures = { ...resultFigures(results), ...codecPayloadBytes(), ...memory, ...idle };
  const ratios = computeRatios(figures);
  const goals = checkGoals(ratios);

  console.log(`\n${resultsTable(results, scale)}\n\n${ratiosTable(ratios)}\n\n${goalsTable(goals)}\n`);
  for (const { name, anomalies } of results) {
    for (const [key, count] of Object.entries(anomalies))
      if (count > 0) console.log(`anomaly: ${name}: ${key} = ${count}`);
  }
  for (const line of noisyScenarios(results)) console.log(line);
  const path = writeResults({
    machine: machineInfo(),
    command: commandLine(args),
    quick: config.quick,
    startedAt: startedAt.toISOString(),
    durationS: (Date.now() - startedAt.getTime()) / 1_000,
    rounds: config.rounds,
    measureMs: config.measureMs,
    warmupMs: config.warmupMs,
    figures,
    ratios,
    goals,
    perRound: Object.fromEntries(results.map((result) => [result.name, result.rounds.map((round) => round.perSecond)])),
  });
  console.log(`${goals.filter((goal) => goal.met).length}/${goals.length} goals met; results written to ${path}`);
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
