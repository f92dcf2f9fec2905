/**
 * The soak run's server child (started with `--expose-gc`): a listening nact-rpc service
 * (`bench-soak`) with a Soak endpoint, a fenced Leader endpoint and a Churn endpoint, and, in
 * the same process, local asks to a Soak endpoint of its own: {@link LOCAL_ASKS_PER_TICK}
 * every {@link LOCAL_TICK_MS} ms. Sends {@link SoakServerReady}; answers `stats` with
 * {@link SoakServerStats} (counts since the last `stats`, the heap after a full GC) and the
 * diagnostics commands ({@link diagnosticsCommand}). Exits when its stdin closes.
 */
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { errorsOnlyLogger } from '../echo';
import { runChild, send, serveCommands } from '../proc/childIo';
import {
  cpuPercentSinceLast,
  diagnosticsCommand,
  eventLoopMaxMs,
  heapAfterGc,
  type ProcessWindowReading,
} from './diagnostics';
import { ChurnEndpoint, LeaderEndpoint, SoakEndpoint, SoakProtocol } from './soakProtocol';

/** Local asks made together, every {@link LOCAL_TICK_MS}: 10,000 a second. */
export const LOCAL_ASKS_PER_TICK = 100;
/** The pace of the local asks, in ms. */
export const LOCAL_TICK_MS = 10;

/** The addresses the soak client calls. */
export interface SoakServerReady {
  readonly soakAddress: string;
  readonly leaderAddress: string;
  readonly churnAddress: string;
}

/** What the server answers to `stats`. */
export interface SoakServerStats extends ProcessWindowReading {
  /** Local asks answered since the last `stats`, and those that failed. */
  readonly localAsks: number;
  readonly localFailures: number;
  /** Churned endpoints alive now, and started so far. */
  readonly churnAlive: number;
  readonly churnStarted: number;
  /** Active handles and requests of the process (sockets, timers, …), by kind. */
  readonly resources: Readonly<Record<string, number>>;
}

async function main(): Promise<void> {
  const service = await NactRpcService.create({
    name: 'bench-soak',
    logger: errorsOnlyLogger(),
    listen: { host: '127.0.0.1', port: 0 },
  });
  const soak = new SoakEndpoint(service, 'soak');
  const leader = new LeaderEndpoint(service, 'leader');
  const churn = new ChurnEndpoint(service, 'churn');
  const local = new SoakEndpoint(service, 'local');
  for (const endpoint of [soak, leader, churn, local]) await endpoint.start();

  const gateway = await service.connect(local.getAddress(), SoakProtocol);
  let localAsks = 0;
  let localFailures = 0;
  let sequence = 0;
  const data = 'local'.repeat(20);
  const tick = (): void => {
    for (let i = 0; i < LOCAL_ASKS_PER_TICK; i++) {
      const id = sequence++;
      gateway.echo({ id, data }).then(
        (echoed) => (echoed.id === id ? localAsks++ : localFailures++),
        () => localFailures++,
      );
    }
  };
  setInterval(tick, LOCAL_TICK_MS);

  serveCommands(async (command) => {
    if (command !== 'stats') {
      const answer = await diagnosticsCommand(command);
      if (answer === undefined) throw new Error(`unknown command ${command}`);
      return answer;
    }
    const resources: Record<string, number> = {};
    for (const kind of process.getActiveResourcesInfo()) resources[kind] = (resources[kind] ?? 0) + 1;
    const { alive, started } = churn.stats();
    const stats: SoakServerStats = {
      cpuPercent: cpuPercentSinceLast(),
      eventLoopMaxMs: eventLoopMaxMs(),
      localAsks,
      localFailures,
      churnAlive: alive,
      churnStarted: started,
      resources,
      heap: heapAfterGc(),
    };
    localAsks = 0;
    localFailures = 0;
    return stats;
  });
  const ready: SoakServerReady = {
    soakAddress: soak.getAddress(),
    leaderAddress: leader.getAddress(),
    churnAddress: churn.getAddress(),
  };
  eventLoopMaxMs();
  cpuPercentSinceLast();
  send(ready);
}

runChild(main);
