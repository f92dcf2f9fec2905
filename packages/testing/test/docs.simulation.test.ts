// The example of docs/testing.md, "Writing a simulation test": the page shows the region below (npm run docs:sync).
// #region example
import { ask, defineProtocol, FencedRpcEndpoint, isRpcError, serves } from '@nact-rpc/core';
import { simulate, simulationSeeds } from '@nact-rpc/testing';

const Journal = defineProtocol('Journal', {
  append: ask<[entry: string], number>(),
});

@serves(Journal)
class JournalEndpoint extends FencedRpcEndpoint<string> {
  readonly entries: string[] = [];

  append(entry: string): number {
    this.entries.push(entry);
    return this.entries.length;
  }
}

test.each(simulationSeeds({ count: 20 }))('seed %i: every append settles once, none runs twice', async (seed) => {
  await simulate({ seed }, async (sim) => {
    const leader = await sim.startService('leader');
    const worker = await sim.startService('worker', { askTimeoutMs: 2_000 });
    const journal = new JournalEndpoint(leader, 'journal', 'session-1');
    await journal.start();
    const gateway = await sim.run(worker.connect(journal.getAddress(), Journal, { fencingToken: 'session-1' }));

    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      // The seed decides when the network fails, for how long, and every delay.
      if (sim.random.chance(0.2)) sim.network.partition(['worker'], ['leader']);
      if (sim.random.chance(0.3)) sim.network.heal();
      gateway.append(`entry ${i}`).then(
        (position) => outcomes.push(`appended at ${position}`),
        (error: unknown) => outcomes.push(isRpcError(error) ? error.code : `untyped: ${String(error)}`),
      );
      await sim.advance(sim.random.int(10, 500));
    }
    sim.network.heal();
    await sim.advance(10_000);

    expect(outcomes).toHaveLength(20);
    expect(outcomes.filter((outcome) => outcome.startsWith('untyped'))).toEqual([]);
    const appended = outcomes.filter((outcome) => outcome.startsWith('appended')).length;
    expect(journal.entries.length).toBeGreaterThanOrEqual(appended);
    expect(new Set(journal.entries).size).toBe(journal.entries.length);
  });
});
// #endregion example
