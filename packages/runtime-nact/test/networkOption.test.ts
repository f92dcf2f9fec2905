import { ask, defineProtocol, RpcEndpoint, serves } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import type { Network } from '@nact-rpc/transport';
import { tcpNetwork } from '@nact-rpc/transport/internal';
import { RecordingLogger, thrownBy } from '@nact-rpc/testing';

const Greeter = defineProtocol('NetworkGreeter', { greet: ask<[name: string], string>() });

@serves(Greeter)
class GreeterEndpoint extends RpcEndpoint {
  greet(name: string): string {
    return `hello ${name}`;
  }
}

/** The machine's TCP, counting where the service listens and connects through it. */
function countingNetwork(): Network & { readonly listened: string[]; readonly connected: string[] } {
  const listened: string[] = [];
  const connected: string[] = [];
  return {
    name: 'counting TCP',
    supportsTls: true,
    listened,
    connected,
    listen: (options) => {
      listened.push(`${options.host}:${options.port}`);
      return tcpNetwork.listen(options);
    },
    connect: (options) => {
      connected.push(`${options.host}:${options.port}`);
      return tcpNetwork.connect(options);
    },
  };
}

describe('the network option', () => {
  const services: NactRpcService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.closeAsync()));
  });

  test('is where a service listens and connects: every socket of its transport comes from it', async () => {
    const serverNetwork = countingNetwork();
    const clientNetwork = countingNetwork();
    const logger = new RecordingLogger();
    const server = await NactRpcService.create({ name: 'server', logger, network: serverNetwork, listen: { port: 0 } });
    const client = new NactRpcService({ name: 'client', logger, network: clientNetwork });
    services.push(server, client);
    const endpoint = new GreeterEndpoint(server);
    await endpoint.start();
    const gateway = await client.connect(endpoint.getAddress(), Greeter);
    await expect(gateway.greet('network')).resolves.toBe('hello network');
    expect(serverNetwork.listened).toEqual(['127.0.0.1:0']);
    expect(clientNetwork.connected).toEqual([`127.0.0.1:${server.getPort()}`]);
    expect(serverNetwork.connected).toEqual([]);
  });

  test('is refused when it is not a Network, naming the option', () => {
    for (const network of [{}, { listen: () => undefined }, 'tcp']) {
      expect(thrownBy(() => new NactRpcService({ network: network as unknown as Network }))).toMatchObject({
        code: 'RPC_INVALID_OPTION',
        option: 'network',
      });
    }
  });
});
