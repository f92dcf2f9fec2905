// README.md, "Use it in your project": a test with jest's fake timers.
import { ask, defineProtocol, RpcEndpoint, RpcTimeoutError, serves } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';

const SlowProtocol = defineProtocol('SlowGateway', { slow: ask<[], string>() });

/** Never answers: only the timeout ends its asks. */
@serves(SlowProtocol)
class SlowEndpoint extends RpcEndpoint {
  slow(): Promise<string> {
    return new Promise(() => undefined);
  }
}

afterEach(() => jest.useRealTimers());

// #region slowTimeout
// jest.config.js: { preset: 'ts-jest', testEnvironment: 'node' }
test('a slow endpoint times out', async () => {
  jest.useFakeTimers();
  const service = new NactRpcService({ askTimeoutMs: 5_000 });
  const endpoint = new SlowEndpoint(service);
  await endpoint.start();
  const call = endpoint.getSelfGateway(SlowProtocol).slow();
  const failure = expect(call).rejects.toBeInstanceOf(RpcTimeoutError);
  await jest.advanceTimersByTimeAsync(5_000); // no real waiting
  await failure;
  await service.closeAsync();
});
// #endregion slowTimeout
