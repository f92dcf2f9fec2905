import type { Socket } from 'node:net';
import { RpcConnectionError } from '@nact-rpc/core';
import {
  rejectionOf,
  SeededRandom,
  SimulatedNetwork,
  thrownBy,
  VirtualClock,
  type NetworkBehaviour,
} from '@nact-rpc/testing';

/** A network on a clock at 0, with `b` listening at 7000; what `b` accepts and what its ends receive. */
async function setup(behaviour: NetworkBehaviour = {}, seed = 1) {
  const clock = new VirtualClock({ startMs: 0 });
  const network = new SimulatedNetwork({ clock, random: new SeededRandom(seed), ...behaviour });
  const accepted: Socket[] = [];
  const listener = await network.host('b').listen({
    host: 'b',
    port: 7000,
    onConnection: (socket) => accepted.push(socket),
    onError: (error) => {
      throw error;
    },
  });
  return { clock, network, accepted, listener };
}

/** Everything `socket` receives, and how it ended. */
function watch(socket: Socket) {
  const seen = { bytes: Buffer.alloc(0), ended: false, closed: false, errors: [] as string[], connected: false };
  socket.on('data', (chunk: Buffer) => {
    seen.bytes = Buffer.concat([seen.bytes, chunk]);
  });
  socket.on('end', () => (seen.ended = true));
  socket.on('close', () => (seen.closed = true));
  socket.on('error', (error: NodeJS.ErrnoException) => seen.errors.push(error.code ?? error.message));
  socket.on('connect', () => (seen.connected = true));
  return seen;
}

/** Opens a connection from `a` to `b:7000` and lets it connect; both ends, watched. */
async function connected(setupResult: Awaited<ReturnType<typeof setup>>) {
  const { network, clock, accepted } = setupResult;
  const client = network.host('a').connect({ host: 'b', port: 7000 });
  const clientSeen = watch(client);
  await clock.advance(1_000);
  const server = accepted[accepted.length - 1] as Socket;
  return { client, clientSeen, server, serverSeen: watch(server) };
}

function numbered(from: number, count: number): Buffer {
  return Buffer.from(Array.from({ length: count }, (_, i) => (from + i) % 256));
}

describe('SimulatedNetwork', () => {
  test('delivers each direction of a connection in order, whatever the delays and the splitting of writes', async () => {
    const net = await setup({ latencyMs: { min: 1, max: 80 }, splitChance: 0.5, spikeChance: 0.2 });
    const { client, clientSeen, server, serverSeen } = await connected(net);
    expect(clientSeen.connected).toBe(true);
    const sent: Buffer[] = [];
    for (let i = 0; i < 200; i++) {
      const chunk = numbered(i * 7, 1 + (i % 13));
      sent.push(chunk);
      client.write(chunk);
      server.write(chunk);
      if (i % 10 === 0) await net.clock.advance(3);
    }
    await net.clock.advance(2_000);
    expect(serverSeen.bytes).toEqual(Buffer.concat(sent));
    expect(clientSeen.bytes).toEqual(Buffer.concat(sent));
    expect(net.network.trace.events.length).toBeGreaterThan(400);
  });

  test('stalls a connection across a partition, and delivers what it holds, in order, once it heals', async () => {
    const net = await setup();
    const { client, server, serverSeen } = await connected(net);
    net.network.partition(['a'], ['b']);
    expect(net.network.isPartitioned('a', 'b')).toBe(true);
    client.write(Buffer.from('one '));
    client.write(Buffer.from('two'));
    await net.clock.advance(60_000);
    expect(serverSeen.bytes.length).toBe(0);
    expect(net.network.trace.events.some((event) => event.endsWith('#1 a>b stalled (partition)'))).toBe(true);
    net.network.heal();
    await net.clock.advance(1_000);
    expect(serverSeen.bytes.toString()).toBe('one two');
    expect(server.destroyed).toBe(false);
  });

  test('holds a connect across a partition until it heals', async () => {
    const net = await setup();
    net.network.partition(['a'], ['b', 'c']);
    const client = net.network.host('a').connect({ host: 'b', port: 7000 });
    const seen = watch(client);
    await net.clock.advance(10_000);
    expect(seen.connected).toBe(false);
    expect(net.accepted).toHaveLength(0);
    net.network.heal();
    await net.clock.advance(1_000);
    expect(seen.connected).toBe(true);
    expect(net.accepted).toHaveLength(1);
  });

  test('refuses a connect to a port where nothing listens, with ECONNREFUSED', async () => {
    const net = await setup();
    const seen = watch(net.network.host('a').connect({ host: 'b', port: 7001 }));
    await net.clock.advance(1_000);
    expect(seen).toMatchObject({ connected: false, errors: ['ECONNREFUSED'], closed: true });
  });

  test('ends gracefully with end(): the other end gets what was written, then the end; neither is reset', async () => {
    const net = await setup();
    const { client, clientSeen, server, serverSeen } = await connected(net);
    client.end(Buffer.from('last words'));
    await net.clock.advance(1_000);
    expect(serverSeen).toMatchObject({ ended: true, closed: true, errors: [] });
    expect(serverSeen.bytes.toString()).toBe('last words');
    expect(clientSeen).toMatchObject({ ended: true, closed: true, errors: [] });
    expect(server.destroyed && client.destroyed).toBe(true);
    expect(net.network.openSocketCount()).toBe(0);
  });

  test('destroy() before end() is abortive: what is undelivered is lost and the other end is reset', async () => {
    const net = await setup({ latencyMs: { min: 50, max: 50 }, spikeChance: 0 });
    const { client, server, serverSeen } = await connected(net);
    client.write(Buffer.from('never arrives'));
    client.destroy();
    await net.clock.advance(1_000);
    expect(serverSeen.bytes.length).toBe(0);
    expect(serverSeen.errors).toEqual(['ECONNRESET']);
    expect(server.destroyed).toBe(true);
    expect(net.network.closesBetween('a', 'b')).toHaveLength(2);
  });

  test('drop cuts the connections between two hosts: in-flight bytes are lost, both ends are reset', async () => {
    const net = await setup({ latencyMs: { min: 50, max: 50 }, spikeChance: 0 });
    const { client, clientSeen, serverSeen } = await connected(net);
    client.write(Buffer.from('lost'));
    expect(net.network.drop('b', 'a')).toEqual([1]);
    await net.clock.advance(1_000);
    expect(serverSeen).toMatchObject({ errors: ['ECONNRESET'], closed: true });
    expect(serverSeen.bytes.length).toBe(0);
    expect(clientSeen).toMatchObject({ errors: ['ECONNRESET'], closed: true });
    expect(net.network.drop('a', 'b')).toEqual([]);
  });

  test('a crash closes the host ends at once and resets the others; the host hears nothing until it restarts', async () => {
    const net = await setup();
    const { clientSeen, server, serverSeen } = await connected(net);
    net.network.crash('b');
    expect(net.network.isUp('b')).toBe(false);
    await net.clock.advance(1_000);
    expect(serverSeen.closed).toBe(true);
    expect(server.destroyed).toBe(true);
    expect(clientSeen.errors).toEqual(['ECONNRESET']);
    // Nothing listens on a crashed host, and nothing reaches it: a connect is lost, not refused.
    const lost = watch(net.network.host('a').connect({ host: 'b', port: 7000 }));
    await net.clock.advance(5_000);
    expect(lost).toMatchObject({ connected: false, errors: [] });
    await expect(
      net.network.host('b').listen({ host: 'b', port: 7000, onConnection: () => undefined, onError: () => undefined }),
    ).rejects.toMatchObject({ code: 'ENETDOWN' });

    net.network.restart('b');
    const accepted: Socket[] = [];
    await net.network
      .host('b')
      .listen({ host: 'b', port: 7000, onConnection: (s) => accepted.push(s), onError: () => undefined });
    const again = watch(net.network.host('a').connect({ host: 'b', port: 7000 }));
    await net.clock.advance(1_000);
    expect(again.connected).toBe(true);
    expect(accepted).toHaveLength(1);
  });

  test('a silent crash tells the other end nothing; once the host is back, its bytes there are answered with a reset', async () => {
    const net = await setup();
    const { client, clientSeen } = await connected(net);
    net.network.crash('b', { reset: false });
    await net.clock.advance(10_000);
    expect(clientSeen).toMatchObject({ closed: false, errors: [] });
    net.network.restart('b');
    client.write(Buffer.from('anyone there?'));
    await net.clock.advance(1_000);
    expect(clientSeen).toMatchObject({ closed: true, errors: ['ECONNRESET'] });
  });

  test('names the frames it delivers in the trace, by their kind byte', async () => {
    const net = await setup({ splitChance: 0 });
    const { client } = await connected(net);
    const ping = Buffer.from([0, 0, 0, 1, 30]);
    const goodbye = Buffer.from([0, 0, 0, 1, 40]);
    client.write(Buffer.concat([ping, goodbye]));
    await net.clock.advance(1_000);
    expect(net.network.trace.events.filter((event) => event.includes('#1 a>b'))).toEqual([
      expect.stringMatching(/^\d+ #1 a>b 10 B Ping,Goodbye$/),
    ]);
  });

  test('refuses a port in use, an address of another host, and TLS', async () => {
    const net = await setup();
    const listen = (host: string, port: number) =>
      net.network.host('b').listen({ host, port, onConnection: () => undefined, onError: () => undefined });
    expect(await rejectionOf(listen('b', 7000))).toMatchObject({ code: 'EADDRINUSE' });
    expect(await rejectionOf(listen('a', 7001))).toMatchObject({ code: 'EADDRNOTAVAIL' });
    expect((await listen('0.0.0.0', 0)).port).toBeGreaterThanOrEqual(49_152);
    const tls = thrownBy(() =>
      net.network.host('a').connect({ host: 'b', port: 7000, tls: { secureContext: undefined } }),
    );
    expect(tls).toBeInstanceOf(RpcConnectionError);
    expect((tls as Error).message).toContain('the simulated network carries no TLS');
    expect(net.network.host('a').supportsTls).toBe(false);
  });

  test('refuses behaviour out of range, and host names that are not names', () => {
    const clock = new VirtualClock();
    const random = new SeededRandom(1);
    expect(thrownBy(() => new SimulatedNetwork({ clock, random, latencyMs: { min: 5, max: 1 } }))).toMatchObject({
      code: 'RPC_INVALID_OPTION',
      option: 'latencyMs',
    });
    expect(thrownBy(() => new SimulatedNetwork({ clock, random, splitChance: 2 }))).toMatchObject({
      option: 'splitChance',
    });
    expect(thrownBy(() => new SimulatedNetwork({ clock, random }).host('no spaces'))).toMatchObject({ option: 'name' });
  });
});
