import { ask, defineProtocol, RpcEndpoint, serves } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';

const HelloProtocol = defineProtocol('HelloGateway', { hello: ask<[], string>() });
const HiProtocol = defineProtocol('HiGateway', { hi: ask<[], string>() });

@serves(HelloProtocol)
class HelloEndpoint extends RpcEndpoint {
  hello(): string {
    return 'hello';
  }
}

@serves(HiProtocol)
class HiEndpoint extends RpcEndpoint {
  hi(): string {
    return 'hi';
  }
}

describe('the seed example', () => {
  let service: NactRpcService;
  beforeEach(() => {
    service = new NactRpcService();
  });
  afterEach(() => service.closeAsync());

  test('the Hello endpoint answers through its self gateway', async () => {
    const hello = new HelloEndpoint(service);
    await hello.start();
    expect(await hello.getSelfGateway(HelloProtocol).hello()).toBe('hello');
  });

  test('a gateway connected to the Hi endpoint by address answers', async () => {
    const hi = new HiEndpoint(service);
    await hi.start();
    const gateway = await service.connect(hi.getAddress(), HiProtocol);
    expect(gateway.getAddress()).toBe(hi.getAddress());
    expect(await gateway.hi()).toBe('hi');
  });
});
