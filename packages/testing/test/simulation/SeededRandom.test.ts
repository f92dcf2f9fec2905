import { SeededRandom, simulationSeeds, thrownBy } from '@nact-rpc/testing';

describe('SeededRandom', () => {
  test('gives the same numbers for the same seed, and others for another seed', () => {
    const draw = (seed: number) => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 20 }, () => random.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(43)).not.toEqual(draw(42));
    // A seed recorded from a failed run replays only if the generator never changes.
    const pinned = new SeededRandom(1);
    expect([pinned.int(0, 1_000_000), pinned.int(0, 1_000_000), pinned.int(0, 1_000_000)]).toEqual([
      627_074, 2_735, 527_447,
    ]);
    expect(draw(0).every((value) => value >= 0 && value < 1)).toBe(true);
  });

  test('draws whole numbers within their bounds, and every value of a small range', () => {
    const random = new SeededRandom(7);
    const seen = new Set<number>();
    for (let i = 0; i < 1_000; i++) {
      const value = random.int(-2, 3);
      expect(Number.isInteger(value) && value >= -2 && value <= 3).toBe(true);
      seen.add(value);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    expect(random.chance(0)).toBe(false);
    expect(random.chance(1)).toBe(true);
    expect(['only']).toContain(random.pick(['only']));
  });

  test('forks generators of their own: a fork does not depend on what was drawn from its parent', () => {
    const parent = new SeededRandom(9);
    const before = parent.fork('network').next();
    parent.next();
    parent.next();
    expect(parent.fork('network').next()).toBe(before);
    expect(parent.fork('scenario').next()).not.toBe(before);
  });

  test('refuses seeds and bounds it cannot use', () => {
    expect(thrownBy(() => new SeededRandom(-1))).toMatchObject({ code: 'RPC_INVALID_OPTION', option: 'seed' });
    expect(thrownBy(() => new SeededRandom(2 ** 32))).toMatchObject({ option: 'seed' });
    expect(thrownBy(() => new SeededRandom(1).int(5, 4))).toMatchObject({ option: 'max' });
    expect(thrownBy(() => new SeededRandom(1).pick([]))).toMatchObject({ option: 'items' });
  });
});

describe('simulationSeeds', () => {
  test('are 200 seeds from 1 by default, or as many and from where the options or the environment say', () => {
    expect(simulationSeeds({ env: {} })).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(simulationSeeds({ env: {}, count: 3, first: 10 })).toEqual([10, 11, 12]);
    expect(simulationSeeds({ env: { NACT_RPC_SIM_SEEDS: '5000' } })).toHaveLength(5_000);
    expect(simulationSeeds({ count: 3, env: { NACT_RPC_SIM_SEEDS: '2', NACT_RPC_SIM_FIRST_SEED: '100' } })).toEqual([
      100, 101,
    ]);
  });

  test('are the one seed of NACT_RPC_SIM_SEED, to replay a failed run', () => {
    expect(simulationSeeds({ env: { NACT_RPC_SIM_SEED: '1234', NACT_RPC_SIM_SEEDS: '5000' } })).toEqual([1234]);
  });

  test('refuse values that are not whole numbers, naming the variable', () => {
    expect(thrownBy(() => simulationSeeds({ env: { NACT_RPC_SIM_SEEDS: 'many' } }))).toMatchObject({
      code: 'RPC_INVALID_OPTION',
      option: 'NACT_RPC_SIM_SEEDS',
    });
    expect(thrownBy(() => simulationSeeds({ env: { NACT_RPC_SIM_SEED: '-3' } }))).toMatchObject({
      option: 'NACT_RPC_SIM_SEED',
    });
    expect(thrownBy(() => simulationSeeds({ env: {}, count: 0 }))).toMatchObject({ option: 'count' });
  });
});
