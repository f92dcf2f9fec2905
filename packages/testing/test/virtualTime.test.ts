import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import {
  ask,
  defineProtocol,
  isRpcError,
  RpcConnectionError,
  RpcEndpoint,
  RpcTimeoutError,
  serves,
  type Logger,
} from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { rejectionOf, VirtualClock } from '@nact-rpc/testing';

/** A service's time on a VirtualClock: nothing waits for real time, everything waits for the test. */
const TimeProtocol = defineProtocol('VirtualTime', {
  echo: ask<[value: number], number>(),
  never: ask<[], string>(),
  neverWithin: ask<[timeoutMs: number], string>({ timeoutArg: 0 }),
});

@serves(TimeProtocol)
class TimeEndpoint extends RpcEndpoint {
  echo(value: number): number {
    return value;
  }
  never(): Promise<string> {
    return new Promise(() => undefined);
  }
  neverWithin(): Promise<string> {
    return new Promise(() => undefined);
  }
  later(fn: () => void, delayMs: number): void {
    this.scheduleRunAsync(fn, delayMs);
  }
  callWithin<T>(fn: () => T | Promise<T>, timeoutMs: number): Promise<T> {
    return this.callAsync(fn, timeoutMs);
  }
}

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Records whether a promise settled, without letting a rejection go unhandled. */
function watch<T>(promise: Promise<T>): { settled: () => boolean; result: Promise<T> } {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return { settled: () => settled, result: promise };
}

describe('a service on a VirtualClock', () => {
  const services: NactRpcService[] = [];
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.closeAsync()));
    for (const socket of sockets.splice(0)) socket.destroy();
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  async function localEndpoint(clock: VirtualClock): Promise<{ service: NactRpcService; endpoint: TimeEndpoint }> {
    const service = new NactRpcService({ clock, logger: quiet });
    services.push(service);
    const endpoint = new TimeEndpoint(service);
    await endpoint.start();
    return { service, endpoint };
  }

  test('an ask with a 10-minute timeout times out when the clock passes 10 minutes, and not before', async () => {
    const clock = new VirtualClock();
    const { service, endpoint } = await localEndpoint(clock);
    const gateway = await service.connect(endpoint.getAddress(), TimeProtocol);
    const started = performance.now();
    const call = watch(gateway.neverWithin(10 * 60_000));
    await clock.advance(10 * 60_000 - 1);
    expect(call.settled()).toBe(false);
    await clock.advance(1);
    await expect(call.result).rejects.toBeInstanceOf(RpcTimeoutError);
    // Ten minutes of the service's time, a fraction of a second of the test's.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  test('the service-wide ask timeout and callAsync deadlines follow the clock', async () => {
    const clock = new VirtualClock();
    const service = new NactRpcService({ clock, logger: quiet, askTimeoutMs: 30_000 });
    services.push(service);
    const endpoint = new TimeEndpoint(service);
    await endpoint.start();
    const gateway = await service.connect(endpoint.getAddress(), TimeProtocol);
    const call = watch(gateway.never());
    const inMainThread = watch(endpoint.callWithin(() => new Promise<never>(() => undefined), 2_000));
    await clock.advance(2_000);
    await expect(inMainThread.result).rejects.toBeInstanceOf(RpcTimeoutError);
    expect(call.settled()).toBe(false);
    await clock.advance(28_000);
    await expect(call.result).rejects.toBeInstanceOf(RpcTimeoutError);
    expect(await gateway.echo(3)).toBe(3);
  });

  test('scheduleRunAsync runs in the order of the deadlines, each at its time', async () => {
    const clock = new VirtualClock({ startMs: 0 });
    const { endpoint } = await localEndpoint(clock);
    const ran: string[] = [];
    const note = (name: string) => () => ran.push(`${name}@${clock.now()}`);
    endpoint.later(note('c'), 300);
    endpoint.later(note('a'), 100);
    endpoint.later(note('b'), 200);
    endpoint.later(note('a2'), 100);
    await clock.advance(250);
    expect(ran).toEqual(['a@100', 'a2@100', 'b@200']);
    await clock.advance(50);
    expect(ran).toEqual(['a@100', 'a2@100', 'b@200', 'c@300']);
  });

  test('scheduleRunnable waits for the clock too', async () => {
    const clock = new VirtualClock({ startMs: 0 });
    const { service } = await localEndpoint(clock);
    const ran: number[] = [];
    service.scheduleRunnable(() => ran.push(clock.now()), 1_000);
    await clock.advance(999);
    expect(ran).toEqual([]);
    await clock.advance(1);
    expect(ran).toEqual([1_000]);
  });

  /** A TCP server that accepts connections and never says a word: a peer that hangs. */
  async function silentServer(): Promise<{ port: number; accepted: Socket[] }> {
    const accepted: Socket[] = [];
    const server = createServer((socket) => {
      accepted.push(socket);
      sockets.push(socket);
      socket.on('error', () => socket.destroy());
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return { port: address.port, accepted };
  }

  test('a connect to a peer that never answers the hello fails at the connect timeout of the clock', async () => {
    const clock = new VirtualClock();
    const { port, accepted } = await silentServer();
    const client = new NactRpcService({
      clock,
      logger: quiet,
      askTimeoutMs: 120_000,
      transport: { connectTimeoutMs: 60_000 },
    });
    services.push(client);
    const connect = watch(client.connect(`nact-rpc://silent@127.0.0.1:${port}/echo`, TimeProtocol));
    while (accepted.length === 0) await clock.settle();
    await clock.advance(59_999);
    expect(connect.settled()).toBe(false);
    await clock.advance(1);
    const error: unknown = await rejectionOf(connect.result);
    expect(error).toBeInstanceOf(RpcConnectionError);
    expect((error as Error).message).toMatch(/no association within 60000 ms/);
  });

  test('after a failed attempt, calls fail at once and the next attempt waits for the reconnect backoff on the clock', async () => {
    const clock = new VirtualClock();
    const { port, accepted } = await silentServer();
    const client = new NactRpcService({
      clock,
      logger: quiet,
      transport: { connectTimeoutMs: 1_000, reconnectBackoffMs: 5_000 },
    });
    services.push(client);
    const address = `nact-rpc://silent@127.0.0.1:${port}/echo`;
    const first = watch(client.connect(address, TimeProtocol));
    while (accepted.length === 0) await clock.settle();
    await clock.advance(1_000);
    await expect(first.result).rejects.toBeInstanceOf(RpcConnectionError);
    // The peer is known unreachable: a call made now fails at once, without waiting.
    const second = await client.connect(address, TimeProtocol).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(RpcConnectionError);
    expect((second as Error).message).toContain('is unreachable');
    // It let a new attempt be made in the background, once the backoff has passed on the clock.
    await clock.advance(4_999);
    expect(accepted).toHaveLength(1);
    await clock.advance(1);
    while (accepted.length === 1) await clock.settle();
    expect(accepted).toHaveLength(2);
    await clock.advance(1_000);
  });

  /**
   * A TCP relay between a client and a service that the test can freeze: frozen, it passes no
   * byte either way, as when the network between them fails without closing the connection.
   */
  async function freezableRelay(targetPort: number): Promise<{ port: number; freeze: () => void }> {
    let frozen = false;
    const relay = createServer((inbound) => {
      const outbound = connect(targetPort, '127.0.0.1');
      sockets.push(inbound, outbound);
      inbound.on('data', (chunk: Buffer) => frozen || outbound.write(chunk));
      outbound.on('data', (chunk: Buffer) => frozen || inbound.write(chunk));
      for (const socket of [inbound, outbound]) socket.on('error', () => undefined);
      inbound.on('close', () => outbound.destroy());
      outbound.on('close', () => inbound.destroy());
    });
    servers.push(relay);
    relay.listen(0, '127.0.0.1');
    await once(relay, 'listening');
    const address = relay.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return { port: address.port, freeze: () => (frozen = true) };
  }

  test("heartbeats declare a silent peer dead in the clock's time, and its calls fail", async () => {
    const serverClock = new VirtualClock();
    const server = await NactRpcService.create({
      clock: serverClock,
      logger: quiet,
      listen: { host: '127.0.0.1', port: 0 },
    });
    services.push(server);
    const endpoint = new TimeEndpoint(server, 'time');
    await endpoint.start();
    const relay = await freezableRelay(server.getPort());
    const clock = new VirtualClock();
    const warnings: string[] = [];
    const client = new NactRpcService({
      clock,
      logger: { ...quiet, warn: (message) => warnings.push(message) },
      transport: { heartbeatIntervalMs: 1_000, heartbeatTimeoutMs: 3_000 },
    });
    services.push(client);
    const gateway = await client.connect(`nact-rpc://${server.getName()}@127.0.0.1:${relay.port}/time`, TimeProtocol);
    expect(await gateway.echo(1)).toBe(1);
    relay.freeze();
    const call = watch(gateway.neverWithin(600_000));
    await clock.advance(2_999);
    expect(call.settled()).toBe(false);
    expect(warnings.filter((line) => line.includes('declaring it dead'))).toEqual([]);
    // The verdict comes within a tick of the wheel (a quarter interval) of the timeout, counted
    // from the tick that saw the ask waiting.
    await clock.advance(500);
    const error: unknown = await rejectionOf(call.result);
    expect(isRpcError(error)).toBe(true);
    expect((error as Error).message).toMatch(/no heartbeat for 3\d{3} ms/);
    expect(warnings.filter((line) => line.includes('declaring it dead'))).toHaveLength(1);
  });
});
