import { ask, defineProtocol, RpcEndpoint, serves } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';

const HiProtocol = defineProtocol('HiGateway', { hi: ask<[name: string], string>() });

@serves(HiProtocol)
class HiEndpoint extends RpcEndpoint {
  hi(name: string): string {
    return `hi ${name}`;
  }
}

test('smoke', async () => {
  const server = await NactRpcService.create({ name: 'server', listen: { port: 0 } });
  const client = new NactRpcService({ name: 'client' });
  const hi = new HiEndpoint(server, 'hi');
  await hi.start();
  expect(hi.getAddress()).toMatch(/^nact-rpc:\/\/server@127\.0\.0\.1:\d+\/hi$/);
  const gateway = await client.connect(hi.getAddress(), HiProtocol);
  expect(await gateway.hi('you')).toBe('hi you');
  const many = await Promise.all(Array.from({ length: 1000 }, (_, i) => gateway.hi(String(i))));
  expect(many[999]).toBe('hi 999');
  await client.closeAsync();
  await server.closeAsync();
});
