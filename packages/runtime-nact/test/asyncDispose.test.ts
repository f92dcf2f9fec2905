import { ask, defineProtocol, RpcEndpoint, serves } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';

/** `await using` closes what it declared when its block ends: endpoints and services. */
const Ping = defineProtocol('DisposablePing', { ping: ask<[], string>() });

@serves(Ping)
class PingEndpoint extends RpcEndpoint {
  stopped = false;
  ping(): string {
    return 'pong';
  }
  protected override onStop(): void {
    this.stopped = true;
  }
}

describe('await using', () => {
  test('an endpoint declared with await using terminates when its block ends', async () => {
    const service = new NactRpcService();
    let endpoint: PingEndpoint | undefined;
    {
      await using declared = new PingEndpoint(service);
      endpoint = declared;
      await declared.start();
      expect(await declared.getSelfGateway(Ping).ping()).toBe('pong');
      expect(declared.stopped).toBe(false);
    }
    expect(endpoint.stopped).toBe(true);
    await expect(endpoint.getTerminationFuture()).resolves.toBeUndefined();
    await service.closeAsync();
  });

  test('a service declared with await using closes when its block ends, and its endpoints with it', async () => {
    let endpoint: PingEndpoint | undefined;
    let closed: Promise<void> | undefined;
    {
      await using service = new NactRpcService();
      closed = service.getTerminationFuture();
      endpoint = new PingEndpoint(service);
      await endpoint.start();
    }
    await expect(closed).resolves.toBeUndefined();
    expect(endpoint.stopped).toBe(true);
  });
});
