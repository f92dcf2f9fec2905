/**
 * The soak run's command (`--soak`, `--soak-minutes <n>`, `--soak-diagnose`): runs the soak,
 * prints a table of its minutes and its goals ({@link SOAK_GOALS}), and writes everything to
 * `results/soak.json` (the regular runs' `latest.json` is left alone).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkGoals, SOAK_GOALS } from '../goals';
import { machineInfo, RESULTS_DIR } from '../results';
import { formatTable, goalsTable, ratiosTable } from '../table';
import { cpuUsPerAsk, measureSoak, type SoakMinute, type SoakOptions } from './soak';

const MIB = 1024 * 1024;

/** The table of the soak's minutes. */
export function soakTable(minutes: readonly SoakMinute[]): string {
  return formatTable(
    [
      'minute',
      'asks/s',
      'p50 µs',
      'p99 µs',
      'server heap MiB',
      'client heap MiB',
      'server local asks/s',
      'CPU % (server/client)',
      'CPU µs/ask (server/client)',
      'load avg',
      'loop max ms (server/client)',
      'churned endpoints',
      'unexpected',
    ],
    minutes.map(({ minute, loadAverage, client, server }) => [
      String(minute),
      Math.round(client.asksPerSecond).toLocaleString('en-US'),
      Math.round(client.p50Us).toLocaleString('en-US'),
      Math.round(client.p99Us).toLocaleString('en-US'),
      (server.heap.heapUsed / MIB).toFixed(2),
      (client.heap.heapUsed / MIB).toFixed(2),
      Math.round((server.localAsks * 1_000) / client.windowMs).toLocaleString('en-US'),
      `${Math.round(server.cpuPercent)} / ${Math.round(client.cpuPercent)}`,
      `${Math.round(cpuUsPerAsk(server, client))} / ${Math.round(cpuUsPerAsk(client, client))}`,
      loadAverage.toFixed(1),
      `${Math.round(server.eventLoopMaxMs)} / ${Math.round(client.eventLoopMaxMs)}`,
      `${server.churnStarted} (${server.churnAlive} alive)`,
      String(Object.values(client.tallies).reduce((sum, tally) => sum + tally.unexpected, server.localFailures)),
    ]),
  );
}

/** Runs the soak as `options` say, prints its tables and writes results/soak.json. */
export async function runSoakCommand(
  options: SoakOptions,
  command: string,
  progress: (line: string) => void,
): Promise<void> {
  const startedAt = new Date();
  progress(
    `nact-rpc soak: ${options.minutes} minutes of mixed load against a server child${options.diagnose ? ', with diagnostics' : ''}`,
  );
  const { figures, ratios, minutes, diagnostics } = await measureSoak(options, progress);
  const goals = checkGoals(ratios, false, figures, SOAK_GOALS);
  const figureRows = formatTable(
    ['figure', 'value'],
    Object.entries(figures).map(([name, value]) => [name, Number.isInteger(value) ? String(value) : value.toFixed(2)]),
  );
  console.log(`\n${soakTable(minutes)}\n\n${figureRows}\n\n${ratiosTable(ratios)}\n\n${goalsTable(goals)}\n`);
  if (diagnostics !== undefined) console.log(`profiles and heap snapshots: ${diagnostics}`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, 'soak.json');
  const results = {
    machine: machineInfo(),
    command,
    startedAt: startedAt.toISOString(),
    durationS: (Date.now() - startedAt.getTime()) / 1_000,
    soakMinutes: options.minutes,
    figures,
    ratios,
    goals,
    perMinute: minutes,
    ...(diagnostics === undefined ? {} : { diagnostics }),
  };
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`${goals.filter((goal) => goal.met).length}/${goals.length} soak goals met; results written to ${path}`);
}
