/**
 * The soak run's client child (started with `--expose-gc`): runs every workload
 * ({@link startWorkloads}) against the soak server whose addresses are its argument (JSON of
 * {@link SoakServerReady}). Sends `{ started: true }` once they run; answers `stats` with
 * {@link SoakClientStats} (since the last `stats`), and the diagnostics commands
 * ({@link diagnosticsCommand}). Exits when its stdin closes.
 */
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { errorsOnlyLogger } from '../echo';
import { nowNs } from '../measure';
import { runChild, send, serveCommands } from '../proc/childIo';
import {
  cpuPercentSinceLast,
  diagnosticsCommand,
  eventLoopMaxMs,
  heapAfterGc,
  type ProcessWindowReading,
} from './diagnostics';
import type { SoakServerReady } from './soakServer';
import { startWorkloads, type Tally } from './soakWorkloads';

/** What the client answers to `stats`: the window since the last `stats`. */
export interface SoakClientStats extends ProcessWindowReading {
  /** The window's length, in ms. */
  readonly windowMs: number;
  /** Measured asks answered in the window, per second, and their p50 and p99 in µs. */
  readonly asksPerSecond: number;
  readonly p50Us: number;
  readonly p99Us: number;
  /** Every workload's tally in the window. */
  readonly tallies: Readonly<Record<string, Tally>>;
}

async function main(): Promise<void> {
  const ready = JSON.parse(process.argv[2] ?? '{}') as SoakServerReady;
  const service = new NactRpcService({ name: 'bench-soak-client', logger: errorsOnlyLogger() });
  const workloads = await startWorkloads(service, ready);
  let windowStart = nowNs();
  serveCommands(async (command) => {
    if (command !== 'stats') {
      const answer = await diagnosticsCommand(command);
      if (answer === undefined) throw new Error(`unknown command ${command}`);
      return answer;
    }
    const now = nowNs();
    const windowMs = Number(now - windowStart) / 1e6;
    windowStart = now;
    const { latencies } = workloads;
    const tallies: Record<string, Tally> = {};
    for (const [name, tally] of Object.entries(workloads.tallies)) {
      tallies[name] = { ...tally };
      tally.ok = 0;
      tally.unexpected = 0;
      delete tally.lastUnexpected;
    }
    const stats: Omit<SoakClientStats, 'heap'> = {
      cpuPercent: cpuPercentSinceLast(),
      eventLoopMaxMs: eventLoopMaxMs(),
      windowMs,
      asksPerSecond: (latencies.count * 1_000) / windowMs,
      p50Us: latencies.percentile(50),
      p99Us: latencies.percentile(99),
      tallies,
    };
    latencies.reset();
    return { ...stats, heap: heapAfterGc() };
  });
  eventLoopMaxMs();
  cpuPercentSinceLast();
  send({ started: true });
}

runChild(main);
