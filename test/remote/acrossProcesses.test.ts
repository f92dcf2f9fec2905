import { FencingTokenError, HandshakeError, RpcConnectionError } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { HelloProtocol, HiProtocol, LeaderProtocol } from '../fixtures/src/protocols';
import { fixtureCodec } from '../fixtures/src/values';
import { ChildService, stopAllChildren } from '../support/ChildService';

describe('calls across processes', () => {
  let server: ChildService;
  let client: NactRpcService;

  beforeEach(async () => {
    server = await ChildService.start({ name: 'server', leaderToken: 'session-1' });
    client = new NactRpcService({ name: 'client', codec: fixtureCodec() });
  });
  afterEach(async () => {
    await client.closeAsync();
    await stopAllChildren();
  });

  test('the seed example: Hello and Hi answer from another process', async () => {
    const hello = await client.connect(server.address('hello'), HelloProtocol);
    const hi = await client.connect(server.address('hi'), HiProtocol);
    expect(hello.getAddress()).toBe(server.address('hello'));
    expect(hello.getHostname()).toBe('127.0.0.1');
    expect(await hello.hello()).toBe('hello');
    expect(await hi.hi()).toBe('hi');
  });

  test('a fenced gateway with the leader token is served; one with a stale token is refused', async () => {
    const current = await client.connect(server.address('leader'), LeaderProtocol, { fencingToken: 'session-1' });
    const stale = await client.connect(server.address('leader'), LeaderProtocol, { fencingToken: 'session-0' });
    expect(current.getFencingToken()).toBe('session-1');
    expect(await current.token()).toBe('session-1');
    const refused = await stale.token().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(FencingTokenError);
    expect((refused as FencingTokenError).code).toBe('FENCING_TOKEN');
    expect((refused as Error).message).toContain('session-0');
  });

  test('after a leader change across processes, the old token is refused and the new one served', async () => {
    const first = await client.connect(server.address('leader'), LeaderProtocol, { fencingToken: 'session-1' });
    first.bump();
    await first.handOver('session-2');
    await expect(first.bumps()).rejects.toBeInstanceOf(FencingTokenError);
    first.bump(); // refused and dropped at the server
    const second = await client.connect(server.address('leader'), LeaderProtocol, { fencingToken: 'session-2' });
    expect(await second.bumps()).toBe(1);
  });

  test('a plain connect to the fenced endpoint fails the handshake', async () => {
    await expect(client.connect(server.address('leader'), LeaderProtocol)).rejects.toBeInstanceOf(HandshakeError);
  });

  test('connecting to an endpoint id the other process does not have fails with RpcConnectionError', async () => {
    const failure = await client.connect(server.address('nobody'), HelloProtocol).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RpcConnectionError);
    expect((failure as Error).message).toContain('has no endpoint nobody');
  });

  test('connecting with the wrong service name at the right host and port fails with RpcConnectionError', async () => {
    const address = server.address('hello').replace('nact-rpc://server@', 'nact-rpc://other@');
    const failure = await client.connect(address, HelloProtocol).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RpcConnectionError);
    expect((failure as Error).message).toContain('is service server, not other');
  });
});
