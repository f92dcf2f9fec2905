import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { RecipientUnreachableError, RpcConnectionError } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { RecordingLogger } from '@nact-rpc/testing';
import { EchoProtocol } from '../fixtures/src/protocols';
import { fixtureCodec } from '../fixtures/src/values';
import { ChildService, stopAllChildren } from '../support/ChildService';
import { NetworkNamespace } from '../support/NetworkNamespace';

/** A server in another process, and a way to cut the network to it without a reset. */
interface PartitionedServer {
  readonly how: string;
  address(endpointId: string): string;
  /** From now on nothing passes either way, and no side learns it from the network. */
  cut(): void;
  close(): Promise<void>;
}

/**
 * The server in a network namespace of its own, behind a veth pair whose link the test takes
 * down (`ip link set … down`): packets vanish, as across a real partition.
 */
async function serverInNamespace(space: NetworkNamespace): Promise<PartitionedServer> {
  const server = await ChildService.start({ host: space.peerAddress }, space);
  return {
    how: `in network namespace ${space.name}, link taken down`,
    address: (endpointId) => server.address(endpointId),
    cut: () => space.cut(),
    close: async () => {
      await server.kill();
      space.remove();
    },
  };
}

/**
 * Where the machine allows no namespaces: the server on loopback behind a TCP relay in this
 * process that stops forwarding, both ways, when cut; the connections stay open.
 */
async function serverBehindRelay(): Promise<PartitionedServer> {
  const server = await ChildService.start();
  let cut = false;
  const sockets: Socket[] = [];
  const relay: Server = createServer((inbound) => {
    const outbound = connect(server.port, '127.0.0.1');
    sockets.push(inbound, outbound);
    inbound.on('data', (chunk: Buffer) => cut || outbound.write(chunk));
    outbound.on('data', (chunk: Buffer) => cut || inbound.write(chunk));
    for (const socket of [inbound, outbound]) socket.on('error', () => socket.destroy());
  });
  relay.listen(0, '127.0.0.1');
  await once(relay, 'listening');
  const { port } = relay.address() as AddressInfo;
  return {
    how: 'behind a relay that stops forwarding',
    address: (endpointId) => server.address(endpointId).replace(`:${server.port}/`, `:${port}/`),
    cut: () => (cut = true),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => relay.close(resolve));
      await server.kill();
    },
  };
}

describe('a partition that sends no reset', () => {
  let client: NactRpcService | undefined;
  let partitioned: PartitionedServer | undefined;
  afterEach(async () => {
    await client?.closeAsync();
    await partitioned?.close();
    await stopAllChildren();
  });

  test('with the default settings, 1,000 asks waiting across it fail with RecipientUnreachableError within seconds, well before their timeout, and later asks at once', async () => {
    const space = NetworkNamespace.create();
    partitioned = space === undefined ? await serverBehindRelay() : await serverInNamespace(space);
    const logger = new RecordingLogger();
    // Every setting a default: askTimeoutMs 10 s, probes every 1 s, a verdict after 3 s.
    client = new NactRpcService({ name: 'client', codec: fixtureCodec(), logger });
    const echo = await client.connect(partitioned.address('echo'), EchoProtocol);
    const calls = Array.from({ length: 1_000 }, () =>
      echo.hang().then(
        () => 'answered',
        (error: unknown) => error,
      ),
    );
    // The asks are on the wire once the server has answered one sent after them.
    expect(await echo.echo(1)).toBe(1);
    partitioned.cut();
    const cutAt = Date.now();
    const outcomes = await Promise.all(calls);
    const elapsed = Date.now() - cutAt;
    const unreachable = outcomes.filter((outcome) => outcome instanceof RecipientUnreachableError);
    expect(unreachable).toHaveLength(1_000);
    expect((unreachable[0] as Error).message).toContain('no heartbeat');
    expect(logger.find('warn', 'declaring it dead')).toHaveLength(1);
    // Within the probe timeout (3 s) of the last Pong, which came at most a probe interval
    // before the cut, plus the wheel's ticks: far from the 10 s ask timeout.
    expect(elapsed).toBeGreaterThan(1_500);
    expect(elapsed).toBeLessThan(6_000);

    // Known dead: an ask made now fails at once, not after a connection attempt (up to the
    // 5 s connect timeout across a partition), with the same error class.
    const started = Date.now();
    const afterwards = await echo.echo(2).catch((error: unknown) => error);
    expect(afterwards).toBeInstanceOf(RecipientUnreachableError);
    expect((afterwards as Error).message).toContain('is unreachable');
    expect(Date.now() - started).toBeLessThan(500);
  }, 30_000);

  test('closeAsync returns promptly while a connection attempt waits for a peer that does not answer', async () => {
    const space = NetworkNamespace.create();
    // A listener that never answers the hello; and, where namespaces are allowed, an address
    // whose link is down, so that the connection itself never opens.
    const silent = createServer((socket) => socket.on('error', () => socket.destroy()));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const targets = [`nact-rpc://silent@127.0.0.1:${(silent.address() as AddressInfo).port}/echo`];
    if (space !== undefined) {
      space.cut();
      targets.push(`nact-rpc://silent@${space.peerAddress}:4000/echo`);
    }
    try {
      for (const target of targets) {
        const service = new NactRpcService({ name: 'closing', codec: fixtureCodec(), logger: new RecordingLogger() });
        const connecting = service.connect(target, EchoProtocol).then(
          () => 'connected',
          (error: unknown) => error,
        );
        // The attempt is under way (the connect timeout is 5 s).
        await new Promise((resolve) => setImmediate(resolve));
        const started = Date.now();
        await service.closeAsync();
        expect(Date.now() - started).toBeLessThan(1_000);
        expect(await connecting).toBeInstanceOf(RpcConnectionError);
      }
    } finally {
      silent.close();
      space?.remove();
    }
  });
});
