import { ask, defineProtocol, RpcEndpoint, serves, tell } from '@nact-rpc/core';
import { isDeliveryBudgetMessageOnly } from '@nact-rpc/core/internal';
import { rejectionOf, simulate, simulationSeeds, SimulationError, type Simulation } from '@nact-rpc/testing';
import { fencedLeaderScenario } from './support/fencedLeaderScenario';

const Counter = defineProtocol('Counter', { next: ask<[], number>() });

@serves(Counter)
class CounterEndpoint extends RpcEndpoint {
  private count = 0;
  next(): number {
    return ++this.count;
  }
}

const Busy = defineProtocol('Busy', { work: tell<[n: number]>(), total: ask<[], number>() });

/** An endpoint whose tells each take about 12 µs of processor time. */
@serves(Busy)
class BusyEndpoint extends RpcEndpoint {
  private sum = 0;
  work(n: number): void {
    // Processor time, not the simulation's time: how long it takes varies from run to run.
    const until = performance.now() + 0.012;
    while (performance.now() < until) this.sum += 0;
    this.sum += n;
  }
  total(): number {
    return this.sum;
  }
}

/** Three clients burst tells at three busy endpoints: turns of the event loop near the runtime's 2 ms budget. */
async function burstAtBusyEndpoints(sim: Simulation): Promise<void> {
  const server = await sim.startService('server');
  const endpoints: BusyEndpoint[] = [];
  for (const id of ['a', 'b', 'c']) {
    const endpoint = new BusyEndpoint(server, id);
    await endpoint.start();
    endpoints.push(endpoint);
  }
  const gateways = [];
  for (const host of ['c1', 'c2', 'c3']) {
    const client = await sim.startService(host);
    for (const endpoint of endpoints) gateways.push(await sim.run(client.connect(endpoint.getAddress(), Busy)));
  }
  for (let round = 0; round < 5; round++) {
    for (const gateway of gateways) for (let i = 0; i < 40; i++) gateway.work(i);
    await sim.run(Promise.all(gateways.map((gateway) => gateway.total())));
  }
}

/** Two services with a shared secret that connect to each other at once, then call each other. */
async function crossedConnections(sim: Simulation): Promise<void> {
  const security = { sharedSecret: 'a shared secret of at least thirty-two bytes' };
  const a = await sim.startService('a', { security });
  const b = await sim.startService('b', { security });
  const counterA = new CounterEndpoint(a, 'counter');
  const counterB = new CounterEndpoint(b, 'counter');
  await counterA.start();
  await counterB.start();
  const [toB, toA] = await sim.run(
    Promise.all([a.connect(counterB.getAddress(), Counter), b.connect(counterA.getAddress(), Counter)]),
  );
  for (let i = 0; i < 5; i++) await sim.run(Promise.all([toB.next(), toA.next()]));
  await sim.advance(5_000);
}

/** Calls a counter on another host a seeded number of times, and fails once it has counted to a seeded limit. */
async function countUntilUnlucky(sim: Simulation): Promise<number> {
  const server = await sim.startService('server');
  const client = await sim.startService('client');
  const counter = new CounterEndpoint(server, 'counter');
  await counter.start();
  const gateway = await sim.run(client.connect(counter.getAddress(), Counter));
  const limit = sim.random.int(1, 12);
  for (;;) {
    const value = await sim.run(gateway.next());
    sim.note(`counted ${value}`);
    if (value === limit) throw new Error(`unlucky: counted to ${limit}`);
    if (value === 10) return value;
  }
}

describe('a simulation', () => {
  test('run twice with the same seed gives the same trace, event for event', async () => {
    for (const seed of [1, 77, 4_000_000_000]) {
      const first = await simulate({ seed }, async (sim) => (await fencedLeaderScenario(sim)).counts);
      const second = await simulate({ seed }, async (sim) => (await fencedLeaderScenario(sim)).counts);
      expect(first.trace.length).toBeGreaterThan(500);
      expect(second.trace).toEqual(first.trace);
      expect(second.value).toEqual(first.value);
    }
  });

  test('gives the same trace when its endpoints take processor time: the delivery budget counts messages', async () => {
    // Measured with the budget counted in time too, these runs of one seed gave several traces.
    const traces = new Set<string>();
    for (let run = 0; run < 6; run++) traces.add((await simulate({ seed: 3 }, burstAtBusyEndpoints)).trace.join('\n'));
    expect(traces.size).toBe(1);
  });

  test('gives the same trace when two services connect to each other at once: incarnations are numbered, not random', async () => {
    // Which of the two connections the pair keeps compares the services' incarnation ids.
    const traces = new Set<string>();
    for (let run = 0; run < 6; run++) traces.add((await simulate({ seed: 9 }, crossedConnections)).trace.join('\n'));
    expect(traces.size).toBe(1);
    // The pair kept one connection: the other retired, both its ends closed, while both services ran.
    const [trace] = [...traces].map((joined) => joined.split('\n'));
    const running = (trace as string[]).slice(
      0,
      (trace as string[]).findIndex((event) => event.includes('unlisten')),
    );
    expect(running.filter((event) => event.endsWith('closed (graceful)'))).toHaveLength(2);
  });

  test('run with different seeds gives different traces', async () => {
    const traces: (readonly string[])[] = [];
    for (const seed of [1, 2, 3]) {
      traces.push((await simulate({ seed }, async (sim) => (await fencedLeaderScenario(sim)).counts)).trace);
    }
    expect(traces[1]).not.toEqual(traces[0]);
    expect(traces[2]).not.toEqual(traces[0]);
    expect(traces[2]).not.toEqual(traces[1]);
  });

  test('that fails names its seed and how to replay it, and the replayed seed fails the same way', async () => {
    let failure: SimulationError | undefined;
    for (const seed of simulationSeeds({ count: 50, env: {} })) {
      // A run that passes is not the one looked for: the search goes on.
      const outcome = await simulate({ seed }, countUntilUnlucky).then(
        () => undefined,
        (error: unknown) => error,
      );
      if (outcome instanceof SimulationError) {
        failure = outcome;
        break;
      }
    }
    expect(failure).toBeInstanceOf(SimulationError);
    const { seed } = failure as SimulationError;
    expect(failure).toMatchObject({ code: 'SIMULATION_FAILED', seed });
    expect((failure as SimulationError).message).toContain(`The simulation with seed ${seed} failed: Error: unlucky`);
    expect((failure as SimulationError).message).toContain(`NACT_RPC_SIM_SEED=${seed}`);
    expect(((failure as SimulationError).cause as Error).message).toMatch(/^unlucky: counted to \d+$/);

    const [replayed] = simulationSeeds({ env: { NACT_RPC_SIM_SEED: String(seed) } });
    expect(replayed).toBe(seed);
    const again = (await rejectionOf(simulate({ seed: replayed as number }, countUntilUnlucky))) as SimulationError;
    expect(again.message).toBe((failure as SimulationError).message);
    expect(again.trace).toEqual((failure as SimulationError).trace);
  });

  test("counts the runtime's delivery budget in messages while it runs, and in time again after", async () => {
    expect(isDeliveryBudgetMessageOnly()).toBe(false);
    const during = await simulate({ seed: 5 }, () => Promise.resolve(isDeliveryBudgetMessageOnly()));
    expect(during.value).toBe(true);
    expect(isDeliveryBudgetMessageOnly()).toBe(false);
    await rejectionOf(simulate({ seed: 5 }, () => Promise.reject(new Error('failed'))));
    expect(isDeliveryBudgetMessageOnly()).toBe(false);
  });

  test('refuses to run while another runs in the process: their event-loop turns would interleave', async () => {
    const first = simulate({ seed: 1 }, (sim) => sim.advance(1_000));
    const second = await rejectionOf(simulate({ seed: 2 }, () => Promise.resolve()));
    expect(second).toMatchObject({ code: 'RPC_INVALID_STATE' });
    expect((second as Error).message).toContain('another simulation runs in this process');
    await first;
    await expect(simulate({ seed: 2 }, () => Promise.resolve('alone'))).resolves.toMatchObject({ value: 'alone' });
  });

  test('refuses a seed that is not a whole number from 0 to 2^32 - 1', async () => {
    for (const seed of [-1, 1.5, 2 ** 32, Number.NaN]) {
      await expect(simulate({ seed }, () => Promise.resolve())).rejects.toMatchObject({
        code: 'RPC_INVALID_OPTION',
        option: 'seed',
      });
    }
  });
});
