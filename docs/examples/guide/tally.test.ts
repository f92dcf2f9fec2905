// docs/guide.md, "Testing": an endpoint tested alone, with a stub of the counter it calls.
// #region example
import { ask, defineProtocol, RpcEndpoint, serves, type RpcService } from '@nact-rpc/core';
import { StubGateway, TestingRpcService } from '@nact-rpc/testing';
import { CounterProtocol } from './counter';

const TallyProtocol = defineProtocol('TallyGateway', { addAll: ask<[values: number[]], number>() });

/** The endpoint under test: adds values to the counter at `counterAddress`, one call each. */
@serves(TallyProtocol)
class TallyEndpoint extends RpcEndpoint {
  constructor(
    service: RpcService,
    private readonly counterAddress: string,
  ) {
    super(service, 'tally');
  }

  async addAll(values: number[]): Promise<number> {
    const counter = await this.rpcService.connect(this.counterAddress, CounterProtocol);
    let total = 0;
    for (const value of values) total = await counter.increment(value);
    return total;
  }
}

const COUNTER = 'nact-rpc://counting@counter.example:50100/counter';

test('adds every value to the counter, in order', async () => {
  const service = new TestingRpcService();
  let count = 0;
  const counter = service.registerGateway(
    new StubGateway(CounterProtocol, { increment: (by) => (count += by) }, { address: COUNTER }),
  );
  try {
    const tally = new TallyEndpoint(service, COUNTER);
    await tally.start();
    expect(await tally.getSelfGateway(TallyProtocol).addAll([1, 2, 3])).toBe(6);
    expect(counter.callsOf('increment')).toEqual([[1], [2], [3]]);
  } finally {
    await service.closeAsync();
  }
});
// #endregion example
