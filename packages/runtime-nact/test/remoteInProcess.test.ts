import {
  ask,
  defineProtocol,
  RpcConnectionError,
  RpcEndpoint,
  serves,
  type Codec,
  type GatewayOf,
} from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { occupyPort } from '@nact-rpc/testing';
import { RecordingLogger } from '@nact-rpc/testing';

const PingProtocol = defineProtocol('PingGateway', {
  ping: ask<[name: string], string>(),
  /** Connects to `address` and calls ping there: a call back to the caller's service. */
  pingBack: ask<[address: string], string>(),
  same: ask<[value: object], boolean>(),
});

@serves(PingProtocol)
class PingEndpoint extends RpcEndpoint {
  lastValue: object | undefined;

  ping(name: string): string {
    return `pong ${name} from ${this.getRpcService().getPort()}`;
  }

  async pingBack(address: string): Promise<string> {
    const other = await this.rpcService.connect(address, PingProtocol);
    return other.ping('back');
  }

  same(value: object): boolean {
    const same = value === this.lastValue;
    this.lastValue = value;
    return same;
  }
}

describe('listening services in one process', () => {
  const services: NactRpcService[] = [];
  const listen = async (options: Parameters<typeof NactRpcService.create>[0]): Promise<NactRpcService> => {
    const service = await NactRpcService.create(options);
    services.push(service);
    return service;
  };
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.closeAsync()));
  });

  test('endpoint addresses name the service, host, port and id', async () => {
    const service = await listen({ name: 'alpha', listen: { port: 0 } });
    const endpoint = new PingEndpoint(service, 'pinger');
    expect(service.getAddress()).toBe('127.0.0.1');
    expect(service.getPort()).toBeGreaterThan(0);
    expect(endpoint.getAddress()).toBe(`nact-rpc://alpha@127.0.0.1:${service.getPort()}/pinger`);
    expect(endpoint.getHostname()).toBe('127.0.0.1');
  });

  test('an external address advertised behind NAT appears in addresses instead of the bound one', async () => {
    const service = await listen({
      name: 'alpha',
      listen: { port: 0, externalHost: 'gateway.example', externalPort: 40000 },
    });
    const endpoint = new PingEndpoint(service, 'pinger');
    expect(service.getAddress()).toBe('gateway.example');
    expect(service.getPort()).toBe(40000);
    expect(endpoint.getAddress()).toBe('nact-rpc://alpha@gateway.example:40000/pinger');
  });

  test('a port range skips ports in use and binds the next free one', async () => {
    const blocker = await occupyPort();
    try {
      const taken = blocker.port;
      const service = await listen({ name: 'alpha', listen: { port: `${taken}-${taken + 20}` } });
      expect(service.getPort()).toBeGreaterThan(taken);
      expect(service.getPort()).toBeLessThanOrEqual(taken + 20);
    } finally {
      await blocker.release();
    }
  });

  test('a port in use that is the whole range fails the creation with an error naming it', async () => {
    const blocker = await occupyPort();
    try {
      const taken = blocker.port;
      await expect(NactRpcService.create({ listen: { port: taken } })).rejects.toThrow(`port ${taken}`);
    } finally {
      await blocker.release();
    }
  });

  test('a local-only service calls a listening one, and a listening one calls back', async () => {
    const alpha = await listen({ name: 'alpha', listen: { port: 0 } });
    const beta = await listen({ name: 'beta', listen: { port: 0 } });
    const client = new NactRpcService({ name: 'client' });
    services.push(client);
    const a = new PingEndpoint(alpha, 'a');
    const b = new PingEndpoint(beta, 'b');
    await Promise.all([a.start(), b.start()]);
    const gatewayToB: GatewayOf<typeof PingProtocol> = await client.connect(b.getAddress(), PingProtocol);
    expect(await gatewayToB.ping('client')).toBe(`pong client from ${beta.getPort()}`);
    const gatewayFromAToB = await alpha.connect(b.getAddress(), PingProtocol);
    // b connects back to a's address: over the association a opened.
    expect(await gatewayFromAToB.pingBack(a.getAddress())).toBe(`pong back from ${alpha.getPort()}`);
  });

  test("a listening service's own addresses stay local: arguments travel by reference", async () => {
    const alpha = await listen({ name: 'alpha', listen: { port: 0 } });
    const endpoint = new PingEndpoint(alpha, 'a');
    await endpoint.start();
    const gateway = await alpha.connect(endpoint.getAddress(), PingProtocol);
    const value = {};
    expect(await gateway.same(value)).toBe(false);
    expect(await gateway.same(value)).toBe(true);
  });

  test('creating a local-only service with listen options is refused with a hint', () => {
    expect(() => new NactRpcService({ listen: { port: 0 } })).toThrow('NactRpcService.create');
  });
});

describe('a pluggable codec', () => {
  /** A codec on plain JSON: fewer types than superjson, but any codec with the interface works. */
  const jsonCodec = (name: string): Codec => ({
    name,
    encode: (value) => Buffer.from(JSON.stringify(value ?? null)),
    decode: (bytes) => JSON.parse(Buffer.from(bytes).toString()) as unknown,
    errorClass: () => undefined,
  });
  const services: NactRpcService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.closeAsync()));
  });

  test('carries calls between services that use the same codec', async () => {
    const server = await NactRpcService.create({ name: 'alpha', codec: jsonCodec('json'), listen: { port: 0 } });
    const client = new NactRpcService({ name: 'client', codec: jsonCodec('json') });
    services.push(server, client);
    const endpoint = new PingEndpoint(server, 'a');
    await endpoint.start();
    const gateway = await client.connect(endpoint.getAddress(), PingProtocol);
    expect(await gateway.ping('json')).toBe(`pong json from ${server.getPort()}`);
  });

  test('refuses the association when the two services use different codecs', async () => {
    const logger = new RecordingLogger();
    const server = await NactRpcService.create({
      name: 'alpha',
      codec: jsonCodec('json'),
      logger,
      listen: { port: 0 },
    });
    const client = new NactRpcService({ name: 'client', logger });
    services.push(server, client);
    const endpoint = new PingEndpoint(server, 'a');
    const failure = await client.connect(endpoint.getAddress(), PingProtocol).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RpcConnectionError);
    expect((failure as Error).message).toContain('codec');
    expect(logger.find('warn', 'Refused an association')).toHaveLength(1);
  });
});
