/**
 * The soak run (`npm run bench -- --soak`): a steady mixed load for {@link SoakOptions.minutes}
 * minutes (10 by default) against a server child, to see whether anything degrades with time.
 *
 * A server child ({@link ./soakServer}) serves the Soak, fenced Leader and Churn endpoints and
 * makes local asks of its own; a client child ({@link ./soakClient}) runs every workload of
 * {@link ./soakWorkloads} (remote asks at 100 in flight with payloads up to 64 KB, tells, asks
 * that time out, asks that throw, endpoint churn, connection churn, stale-token calls). Both run
 * with `--expose-gc`. At the end of every minute both are asked for their figures: the remote
 * asks' throughput, p50 and p99 in that minute, and each process's heapUsed after a full GC.
 *
 * Each process's CPU is read too: its CPU per measured ask does not depend on how much CPU other
 * processes leave it, so `soak_last_vs_first_<side>_cpu_per_ask` tells degradation from load.
 *
 * Minute 1 starts after an unmeasured warm-up of 30 s, and counts as the warm-up of the heap
 * figures. `soak_last_vs_first_throughput` divides the last minute's
 * throughput by the first's; `soak_<side>_heap_growth_mib` is the heap at the end of the last
 * minute minus the heap at the end of the first. With `diagnose`, the server is CPU-profiled in
 * the first and the last minute and both processes' heaps are snapshotted at the end of the
 * first and of the last minute, into `results/soak-<time>/`. Both children are killed at the end,
 * even after an error.
 */
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../measure';
import { BenchChild } from '../proc/ChildProcess';
import { RESULTS_DIR } from '../results';
import type { SoakClientStats } from './soakClient';
import type { SoakServerReady, SoakServerStats } from './soakServer';

/** How long a soak run is, and whether it takes profiles and heap snapshots. */
export interface SoakOptions {
  /** Minutes of the run, at least 2 (the first is the warm-up). */
  readonly minutes: number;
  /** Profile the server in the first and last minute and snapshot both heaps after them. */
  readonly diagnose: boolean;
}

/** One minute of the soak run. */
export interface SoakMinute {
  readonly minute: number;
  /** The machine's load average over the last minute, at its end. */
  readonly loadAverage: number;
  readonly client: SoakClientStats;
  readonly server: SoakServerStats;
}

/** What a soak run measured: figures, every minute, and where its diagnostics went. */
export interface SoakMeasurement {
  readonly figures: Record<string, number>;
  readonly ratios: Record<string, number>;
  readonly minutes: SoakMinute[];
  readonly diagnostics?: string;
}

const MINUTE_MS = 60_000;
/** The unmeasured warm-up before minute 1: the JIT compiles the hot paths, pools fill. */
const WARMUP_MS = 30_000;
const MIB = 1024 * 1024;
const GC_CHILD = { nodeArgs: ['--expose-gc'] };

/** Runs the soak; `progress` gets a line per minute. Kills both children. */
export async function measureSoak(options: SoakOptions, progress: (line: string) => void): Promise<SoakMeasurement> {
  const server = await BenchChild.start('soak-server', 'soak/soakServer.js', [], GC_CHILD);
  try {
    const ready = server.ready as SoakServerReady;
    const client = await BenchChild.start('soak-client', 'soak/soakClient.js', [JSON.stringify(ready)], GC_CHILD);
    try {
      return await soakMinutes(options, server.child, client.child, progress);
    } finally {
      await client.child.kill();
    }
  } finally {
    await server.child.kill();
  }
}

async function soakMinutes(
  options: SoakOptions,
  server: BenchChild,
  client: BenchChild,
  progress: (line: string) => void,
): Promise<SoakMeasurement> {
  const dir = options.diagnose ? join(RESULTS_DIR, `soak-${new Date().toISOString().replace(/[:.]/g, '-')}`) : '';
  if (options.diagnose) mkdirSync(dir, { recursive: true });
  const command = async (child: BenchChild, line: string): Promise<unknown> => {
    const answer = (await child.request(line, 120_000)) as { error?: string };
    if (answer.error !== undefined) throw new Error(`${child.label}: ${line}: ${answer.error}`);
    return answer;
  };
  const diagnose = async (when: string): Promise<void> => {
    await command(server, `profile-stop ${join(dir, `server-${when}.cpuprofile`)}`);
    await command(server, `snapshot ${join(dir, `server-${when}.heapsnapshot`)}`);
    await command(client, `snapshot ${join(dir, `client-${when}.heapsnapshot`)}`);
  };
  const minutes: SoakMinute[] = [];
  progress(`soak warm-up: ${WARMUP_MS / 1_000} s, not measured`);
  await sleep(WARMUP_MS);
  await Promise.all([command(client, 'stats'), command(server, 'stats')]); // starts minute 1's window
  const start = Date.now();
  if (options.diagnose) await command(server, 'profile-start');
  for (let minute = 1; minute <= options.minutes; minute++) {
    if (options.diagnose && minute === options.minutes && minute > 1) await command(server, 'profile-start');
    await sleep(Math.max(0, start + minute * MINUTE_MS - Date.now()));
    const [clientStats, serverStats] = (await Promise.all([command(client, 'stats'), command(server, 'stats')])) as [
      SoakClientStats,
      SoakServerStats,
    ];
    minutes.push({ minute, loadAverage: loadavg()[0] ?? Number.NaN, client: clientStats, server: serverStats });
    progress(minuteLine(minutes.at(-1) as SoakMinute));
    if (options.diagnose && minute === 1) await diagnose('minute-1');
    if (options.diagnose && minute === options.minutes) await diagnose('end');
  }
  return { ...soakFigures(minutes), minutes, ...(options.diagnose ? { diagnostics: dir } : {}) };
}

/**
 * The CPU a process spent per measured ask in a minute, in µs (its whole CPU, every workload
 * included, divided by the measured asks): flat while throughput falls means the process got
 * less CPU, rising means each ask costs more.
 */
export function cpuUsPerAsk(process: { cpuPercent: number }, client: SoakClientStats): number {
  return (process.cpuPercent * 1e4) / client.asksPerSecond;
}

/** The progress line of one minute. */
function minuteLine({ minute, client, server }: SoakMinute): string {
  const unexpected = Object.entries(client.tallies)
    .filter(([, tally]) => tally.unexpected > 0)
    .map(([name, tally]) => `${name} ${tally.unexpected} (${tally.lastUnexpected ?? ''})`);
  return (
    `soak minute ${minute}: ${Math.round(client.asksPerSecond).toLocaleString('en-US')} asks/s, ` +
    `p50 ${Math.round(client.p50Us)} µs, p99 ${Math.round(client.p99Us)} µs, ` +
    `heap server ${(server.heap.heapUsed / MIB).toFixed(1)} MiB, client ${(client.heap.heapUsed / MIB).toFixed(1)} MiB` +
    (unexpected.length === 0 ? '' : `; unexpected: ${unexpected.join(', ')}`)
  );
}

/** The soak figures and its ratio, from its minutes (the heap figures count from the end of the first). */
export function soakFigures(minutes: readonly SoakMinute[]): Pick<SoakMeasurement, 'figures' | 'ratios'> {
  const first = minutes[0];
  const last = minutes.at(-1);
  if (first === undefined || last === undefined || minutes.length < 2)
    throw new Error('a soak needs 2 minutes or more');
  const heapMiB = (stats: { heap: { heapUsed: number } }): number => stats.heap.heapUsed / MIB;
  let unexpected = 0;
  for (const { client, server } of minutes) {
    unexpected += server.localFailures;
    for (const tally of Object.values(client.tallies)) unexpected += tally.unexpected;
  }
  const figures: Record<string, number> = {
    soak_minutes: minutes.length,
    soak_first_minute_asks_per_s: first.client.asksPerSecond,
    soak_last_minute_asks_per_s: last.client.asksPerSecond,
    soak_first_minute_p50_us: first.client.p50Us,
    soak_last_minute_p50_us: last.client.p50Us,
    soak_first_minute_p99_us: first.client.p99Us,
    soak_last_minute_p99_us: last.client.p99Us,
    soak_first_minute_local_asks_per_s: (first.server.localAsks * 1_000) / first.client.windowMs,
    soak_last_minute_local_asks_per_s: (last.server.localAsks * 1_000) / last.client.windowMs,
    soak_server_heap_first_mib: heapMiB(first.server),
    soak_server_heap_last_mib: heapMiB(last.server),
    soak_server_heap_growth_mib: heapMiB(last.server) - heapMiB(first.server),
    soak_client_heap_first_mib: heapMiB(first.client),
    soak_client_heap_last_mib: heapMiB(last.client),
    soak_client_heap_growth_mib: heapMiB(last.client) - heapMiB(first.client),
    soak_first_minute_client_cpu_us_per_ask: cpuUsPerAsk(first.client, first.client),
    soak_last_minute_client_cpu_us_per_ask: cpuUsPerAsk(last.client, last.client),
    soak_first_minute_server_cpu_us_per_ask: cpuUsPerAsk(first.server, first.client),
    soak_last_minute_server_cpu_us_per_ask: cpuUsPerAsk(last.server, last.client),
    soak_unexpected_outcomes: unexpected,
  };
  return {
    figures,
    ratios: {
      soak_last_vs_first_throughput: last.client.asksPerSecond / first.client.asksPerSecond,
      // Robust to other load on the machine: the CPU each process spends per ask.
      soak_last_vs_first_client_cpu_per_ask:
        cpuUsPerAsk(last.client, last.client) / cpuUsPerAsk(first.client, first.client),
      soak_last_vs_first_server_cpu_per_ask:
        cpuUsPerAsk(last.server, last.client) / cpuUsPerAsk(first.server, first.client),
    },
  };
}
