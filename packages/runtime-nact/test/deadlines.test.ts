import { ask, defineProtocol, RpcEndpoint, RpcTimeoutError, serves } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';

/**
 * A deadline holds whatever the thread was doing: an answer that comes after it fails with
 * RpcTimeoutError, also when the timer could not fire because the thread was blocked.
 */
const Deadlines = defineProtocol('Deadlines', {
  echo: ask<[value: number], number>(),
  echoWithin: ask<[timeoutMs: number, value: number], number>({ timeoutArg: 0 }),
});

@serves(Deadlines)
class DeadlineEndpoint extends RpcEndpoint {
  echo(value: number): number {
    return value;
  }
  echoWithin(_timeoutMs: number, value: number): number {
    return value;
  }
  callWithin<T>(fn: () => T, timeoutMs: number): Promise<T> {
    return this.callAsync(fn, timeoutMs);
  }
}

/** Keeps the thread busy for `ms`: no timer can fire meanwhile. */
function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

describe('deadlines', () => {
  let service: NactRpcService;
  let endpoint: DeadlineEndpoint;
  beforeEach(async () => {
    service = new NactRpcService({ name: 'deadlines' });
    endpoint = new DeadlineEndpoint(service);
    await endpoint.start();
  });
  afterEach(() => service.closeAsync());

  test('testCallAsyncTimeout: callAsync rejects with RpcTimeoutError when fn blocks the thread past the deadline', async () => {
    const result = endpoint.callWithin(() => {
      block(60);
      return 12345;
    }, 20);
    await expect(result).rejects.toBeInstanceOf(RpcTimeoutError);
    // Within its deadline, the same work answers.
    await expect(endpoint.callWithin(() => 12345, 10_000)).resolves.toBe(12345);
  });

  test('an ask whose answer comes after its deadline, because the caller blocked the thread, fails with RpcTimeoutError', async () => {
    const gateway = await service.connect(endpoint.getAddress(), Deadlines);
    const late = gateway.echoWithin(20, 1);
    block(60);
    await expect(late).rejects.toMatchObject({ name: 'RpcTimeoutError', timeoutMs: 20 });
    await expect(gateway.echoWithin(10_000, 2)).resolves.toBe(2);
  });

  test('an ask answered within its deadline is answered', async () => {
    const gateway = await service.connect(endpoint.getAddress(), Deadlines);
    await expect(Promise.all([gateway.echo(1), gateway.echoWithin(1_000, 2)])).resolves.toEqual([1, 2]);
  });
});
