/**
 * The soak client's workloads, each a loop that runs until stopped and tallies what it saw:
 * remote asks at {@link ASKS_IN_FLIGHT} in flight with payloads up to 64 KB (the measured one),
 * tells confirmed by a count, asks that time out, asks that throw, endpoint churn, connection
 * churn and calls with a stale fencing token. Every outcome is checked; one that is not what
 * the workload expects is counted as unexpected, with the last such error kept.
 */
import { isRpcError, type GatewayOf } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { errorsOnlyLogger } from '../echo';
import { nowNs, sleep } from '../measure';
import { LatencyHistogram } from './histogram';
import { ChurnProtocol, LeaderProtocol, LEADER_TOKEN, SoakProtocol, STALE_TOKEN } from './soakProtocol';
import type { SoakServerReady } from './soakServer';

/** The measured asks' concurrency. */
export const ASKS_IN_FLIGHT = 100;

/**
 * The payload sizes of the measured asks, in bytes of `data`, used in turn: mostly small, one
 * in eight 16 KB and one in sixteen 64 KB (about 6 KB on average).
 */
export const PAYLOAD_SIZES = [
  100, 100, 100, 100, 1_000, 100, 100, 16_000, 100, 100, 4_000, 100, 100, 1_000, 100, 64_000,
];
const DATA = PAYLOAD_SIZES.map((size) => 'x'.repeat(size));

/** What one workload saw since the last reading. */
export interface Tally {
  ok: number;
  unexpected: number;
  lastUnexpected?: string;
}

/** The workloads' tallies, the measured asks' latencies, and how to stop everything. */
export interface Workloads {
  readonly tallies: Readonly<Record<string, Tally>>;
  readonly latencies: LatencyHistogram;
  stop(): Promise<void>;
}

type Soak = GatewayOf<typeof SoakProtocol>;

/** Starts every workload against the soak server at `ready`, from the client service `service`. */
export async function startWorkloads(service: NactRpcService, ready: SoakServerReady): Promise<Workloads> {
  const soak = await service.connect(ready.soakAddress, SoakProtocol);
  const churn = await service.connect(ready.churnAddress, ChurnProtocol);
  const stale = await service.connect(ready.leaderAddress, LeaderProtocol, { fencingToken: STALE_TOKEN });
  const leader = await service.connect(ready.leaderAddress, LeaderProtocol, { fencingToken: LEADER_TOKEN });
  const tallies: Record<string, Tally> = {};
  const tally = (name: string): Tally => (tallies[name] = { ok: 0, unexpected: 0 });
  const latencies = new LatencyHistogram();
  let running = true;
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, fn: () => void): void => void timers.push(setInterval(fn, ms));
  /** Counts `call`'s outcome: ok if `expected` says so of its result or error. */
  const check = (
    t: Tally,
    call: () => Promise<unknown>,
    expected: (outcome: { value?: unknown; error?: unknown }) => boolean,
  ): Promise<void> => {
    const started = Date.now();
    const after = (): string => ` after ${Date.now() - started} ms`;
    return call().then(
      (value) => note(t, expected({ value }), `resolved with ${JSON.stringify(value)?.slice(0, 80)}${after()}`),
      (error: unknown) => note(t, expected({ error }), `${String(error)}${after()}`),
    );
  };

  const asks = tally('asks');
  const loops: Promise<void>[] = [];
  for (let worker = 0; worker < ASKS_IN_FLIGHT; worker++) {
    loops.push(
      (async () => {
        for (let id = worker; running; id += ASKS_IN_FLIGHT) {
          const data = DATA[id % DATA.length] as string;
          const started = nowNs();
          try {
            const echoed = await soak.echo({ id, data });
            latencies.record(Number(nowNs() - started));
            note(asks, echoed.id === id && echoed.data.length === data.length, `echo ${id} answered ${echoed.id}`);
          } catch (error) {
            note(asks, false, String(error));
            await sleep(10);
          }
        }
      })(),
    );
  }

  const tells = tally('tells');
  let told = await soak.count();
  let tellTicks = 0;
  every(10, () => {
    for (let i = 0; i < 100; i++) soak.hit(told + i);
    told += 100;
    const expected = told;
    // Once a second, the count: it comes after every tell sent before it.
    if (++tellTicks % 100 === 0)
      void check(
        tells,
        () => soak.count(),
        ({ value }) => value === expected,
      );
  });

  const timeouts = tally('timeouts');
  every(
    20,
    () =>
      void check(
        timeouts,
        () => soak.slow(200, 20),
        ({ error }) => isRpcError(error, 'RPC_TIMEOUT'),
      ),
  );
  const throws = tally('throws');
  every(
    10,
    () =>
      void check(
        throws,
        () => soak.fail('soak'),
        ({ error }) => (error as Error)?.message === 'soak',
      ),
  );

  const stales = tally('staleToken');
  const leaders = tally('leader');
  let work = 0;
  every(
    10,
    () =>
      void check(
        stales,
        () => stale.work(work++),
        ({ error }) => isRpcError(error, 'FENCING_TOKEN'),
      ),
  );
  every(100, () => {
    const id = work++;
    void check(
      leaders,
      () => leader.work(id),
      ({ value }) => value === id,
    );
  });

  const endpointChurn = tally('endpointChurn');
  loops.push(
    repeat(
      () => running,
      20,
      async () => {
        const address = await churn.spawn();
        const spawned: Soak = await service.connect(address, SoakProtocol);
        const echoed = await spawned.echo({ id: 1, data: 'churn' });
        await churn.retire(address);
        const after = await spawned.echo({ id: 2, data: 'churn' }).then(
          () => 'answered',
          (error: unknown) => (isRpcError(error) ? 'refused' : String(error)),
        );
        note(endpointChurn, echoed.id === 1 && after === 'refused', `retired endpoint: ${after}`);
      },
      endpointChurn,
    ),
  );

  const connectionChurn = tally('connectionChurn');
  loops.push(
    repeat(
      () => running,
      50,
      async () => {
        const client = new NactRpcService({ name: 'bench-soak-churn', logger: errorsOnlyLogger() });
        try {
          const gateway = await client.connect(ready.soakAddress, SoakProtocol);
          const echoed = await gateway.echo({ id: 3, data: 'connection' });
          note(connectionChurn, echoed.id === 3, `connection churn echo ${echoed.id}`);
        } finally {
          await client.closeAsync();
        }
      },
      connectionChurn,
    ),
  );

  return {
    tallies,
    latencies,
    async stop() {
      running = false;
      for (const timer of timers) clearInterval(timer);
      await Promise.all(loops);
    },
  };
}

function note(t: Tally, ok: boolean, what: string): void {
  if (ok) t.ok++;
  else {
    t.unexpected++;
    t.lastUnexpected = what;
  }
}

/** Runs `body` again and again while `running()`, `pauseMs` apart; a failure is counted in `t`. */
async function repeat(running: () => boolean, pauseMs: number, body: () => Promise<void>, t: Tally): Promise<void> {
  while (running()) {
    try {
      await body();
    } catch (error) {
      note(t, false, String(error));
    }
    await sleep(pauseMs);
  }
}
