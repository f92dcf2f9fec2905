import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { RecipientUnreachableError, RpcConnectionError, RpcTimeoutError } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { AdminProtocol, EchoProtocol, HelloProtocol } from '../fixtures/src/protocols';
import { fixtureCodec } from '../fixtures/src/values';
import { RecordingLogger } from '@nact-rpc/testing';
import { freePort } from '@nact-rpc/testing';
import { ChildService, stopAllChildren } from '../support/ChildService';

/**
 * Calls `call` until it succeeds, as a caller's retry logic would: while a peer is known
 * unreachable, calls fail at once with RecipientUnreachableError, and each lets a reconnection
 * be tried in the background. Any other error, or still failing after `attempts`, throws.
 */
async function onceReachable<T>(call: () => Promise<T>, attempts = 200): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof RecipientUnreachableError) || attempt >= attempts) throw error;
      // Let the background attempt run: the next call may find the connection open.
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** Settles every promise and sorts the outcomes by kind. */
async function outcomes(calls: Promise<unknown>[]): Promise<{ values: unknown[]; errors: unknown[] }> {
  const settled = await Promise.allSettled(calls);
  return {
    values: settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])),
    errors: settled.flatMap((s): unknown[] => (s.status === 'rejected' ? [s.reason] : [])),
  };
}

describe('failures across processes', () => {
  let client: NactRpcService;
  let logger: RecordingLogger;
  beforeEach(() => {
    logger = new RecordingLogger();
  });

  afterEach(async () => {
    await client.closeAsync();
    await stopAllChildren();
  });

  test('a killed server fails all 1,000 asks in flight at once; after a restart on the same port calls succeed', async () => {
    const server = await ChildService.start();
    // An hour: asks that failed only by timeout would hang the test.
    client = new NactRpcService({ name: 'client', codec: fixtureCodec(), logger, askTimeoutMs: 3_600_000 });
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    expect(await echo.echo(1)).toBe(1);

    const calls = Array.from({ length: 1_000 }, () => echo.hang());
    // The asks are on the wire once the server has answered one sent after them.
    expect(await echo.echo(2)).toBe(2);
    server.signal('SIGKILL');
    const { values, errors } = await outcomes(calls);
    expect(values).toEqual([]);
    expect(errors).toHaveLength(1_000);
    for (const error of errors) expect(error).toBeInstanceOf(RecipientUnreachableError);
    expect((errors[0] as Error).message).toContain('was lost while the call was pending');
    await server.exited();

    // The peer is known unreachable: a call fails at once, with the same error class as the
    // calls that were in flight, the connection's error as its cause.
    const afterwards = await echo.echo(3).catch((error: unknown) => error);
    expect(afterwards).toBeInstanceOf(RecipientUnreachableError);
    expect((afterwards as Error).cause).toBeInstanceOf(RpcConnectionError);
    expect((afterwards as Error).message).toContain('is unreachable');

    const restarted = await ChildService.start({ port: server.port });
    expect(restarted.port).toBe(server.port);
    // The same gateway reconnects in the background and is served.
    expect(await onceReachable(() => echo.echo(4))).toBe(4);
  });

  test('a stopped server is declared dead by heartbeats, failing its asks; after SIGCONT it is usable again', async () => {
    const server = await ChildService.start();
    client = new NactRpcService({
      name: 'client',
      codec: fixtureCodec(),
      logger,
      askTimeoutMs: 3_600_000,
      transport: { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 1_000, connectTimeoutMs: 1_000 },
    });
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    expect(await echo.echo(1)).toBe(1);
    server.signal('SIGSTOP');
    const calls = Array.from({ length: 100 }, (_, i) => echo.echo(i));
    const { values, errors } = await outcomes(calls);
    expect(values).toEqual([]);
    expect(errors).toHaveLength(100);
    for (const error of errors) expect(error).toBeInstanceOf(RecipientUnreachableError);
    expect((errors[0] as Error).message).toContain('no heartbeat');
    expect(logger.find('warn', 'declaring it dead')).toHaveLength(1);

    // Known dead: a call made now fails at once, not after a connection attempt.
    const started = Date.now();
    await expect(echo.echo(4)).rejects.toBeInstanceOf(RecipientUnreachableError);
    expect(Date.now() - started).toBeLessThan(500);

    server.signal('SIGCONT');
    expect(await onceReachable(() => echo.echo(5))).toBe(5);
  });

  test('a call to an endpoint that has gone from a reachable service fails at once with RecipientUnreachableError', async () => {
    const server = await ChildService.start();
    client = new NactRpcService({ name: 'client', codec: fixtureCodec(), logger, askTimeoutMs: 3_600_000 });
    const ephemeral = await client.connect(server.address('ephemeral'), EchoProtocol);
    expect(await ephemeral.echo(1)).toBe(1);
    const admin = await client.connect(server.address('admin'), AdminProtocol);
    await admin.closeEndpoint('ephemeral');
    const error = await ephemeral.echo(2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecipientUnreachableError);
    expect((error as Error).message).toContain('has no endpoint ephemeral');
    // The association is unharmed: other endpoints of the service answer.
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    expect(await echo.echo(3)).toBe(3);
    // The refused asks left nothing waiting at the server: the only ask it serves is this one.
    await Promise.all(Array.from({ length: 20 }, (_, i) => ephemeral.echo(10 + i).catch(() => undefined)));
    expect(await admin.pendingCallCounts()).toEqual({ waiting: 0, reserved: 0, served: 1 });
  });

  test('an unreachable port fails with RpcConnectionError; a silent host within the connect timeout', async () => {
    client = new NactRpcService({
      name: 'client',
      codec: fixtureCodec(),
      logger,
      askTimeoutMs: 3_600_000,
      transport: { connectTimeoutMs: 200 },
    });
    const closedPort = await freePort();
    const refused = await client
      .connect(`nact-rpc://server@127.0.0.1:${closedPort}/hello`, HelloProtocol)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RpcConnectionError);
    expect((refused as Error).message).toContain('ECONNREFUSED');

    // A server that accepts TCP connections but never says hello.
    const silent = await listenSilently();
    try {
      const address = `nact-rpc://server@127.0.0.1:${(silent.address() as AddressInfo).port}/hello`;
      const timedOut = await client.connect(address, HelloProtocol).catch((e: unknown) => e);
      expect(timedOut).toBeInstanceOf(RpcConnectionError);
      expect(timedOut).not.toBeInstanceOf(RpcTimeoutError);
      expect((timedOut as Error).message).toContain('connectTimeoutMs');
    } finally {
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

function listenSilently(): Promise<Server> {
  return new Promise((resolve) => {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    const close = server.close.bind(server);
    server.close = (callback?: (error?: Error) => void) => {
      for (const socket of sockets) socket.destroy();
      return close(callback);
    };
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
