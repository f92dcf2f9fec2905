import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { NactRpcService, type NactRpcServiceOptions } from '@nact-rpc/runtime-nact';
import { FRAME_HEADER_BYTES, MAX_OPENING_FRAME_BYTES, type TcpTransport } from '@nact-rpc/transport/internal';
import { RecordingLogger } from '@nact-rpc/testing';
import { Adder, AdderEndpoint } from './support/rawPeer';
import { peerEnded } from '../../../test/support/peerEnded';

/** The transport of `service`, for its test-visible connection counts. */
function transportOf(service: NactRpcService): TcpTransport {
  return (service as unknown as { transport: TcpTransport }).transport;
}

/** Resolves once `condition` holds, checking on each turn of the event loop (at most 2 s). */
async function waitFor(condition: () => boolean): Promise<void> {
  const until = Date.now() + 2_000;
  while (!condition()) {
    if (Date.now() > until) throw new Error('the condition did not hold within 2 s');
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

describe('limits on connections', () => {
  const services: NactRpcService[] = [];
  const sockets: Socket[] = [];
  let logger: RecordingLogger;
  let server: NactRpcService;
  let endpoint: AdderEndpoint;

  async function listen(options: Partial<NactRpcServiceOptions> = {}): Promise<void> {
    logger = new RecordingLogger();
    server = await NactRpcService.create({ name: 'server', listen: { port: 0 }, logger, ...options });
    services.push(server);
    endpoint = new AdderEndpoint(server, 'adder');
    await endpoint.start();
  }

  async function silentSocket(): Promise<Socket> {
    const socket = connect(server.getPort(), '127.0.0.1');
    socket.on('error', () => undefined);
    sockets.push(socket);
    await once(socket, 'connect');
    return socket;
  }

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await Promise.all(services.splice(0).map((service) => service.closeAsync()));
  });

  test('past maxUnauthenticatedConnections, a new connection is closed at once, and the service still takes callers once they go', async () => {
    await listen({ transport: { maxUnauthenticatedConnections: 2 } });
    const silent = [await silentSocket(), await silentSocket()];
    await waitFor(() => transportOf(server).connectionCounts().unauthenticated === 2);
    const third = await silentSocket();
    await peerEnded(third);
    expect(logger.find('warn', 'maxUnauthenticatedConnections')).toHaveLength(1);
    for (const socket of silent) socket.destroy();
    await waitFor(() => transportOf(server).connectionCounts().connections === 0);
    const client = new NactRpcService({ name: 'client', logger: new RecordingLogger() });
    services.push(client);
    const gateway = await client.connect(endpoint.getAddress(), Adder);
    expect(await gateway.add(1, 2)).toBe(3);
    expect(transportOf(server).connectionCounts()).toEqual({ connections: 1, unauthenticated: 0 });
  });

  test('past maxConnections, a new connection is closed at once', async () => {
    await listen({ transport: { maxConnections: 2 } });
    for (const name of ['one', 'two']) {
      const client = new NactRpcService({ name, logger: new RecordingLogger() });
      services.push(client);
      expect(await (await client.connect(endpoint.getAddress(), Adder)).add(1, 1)).toBe(2);
    }
    const third = await silentSocket();
    await peerEnded(third);
    expect(logger.find('warn', '2 connections are open (maxConnections)')).toHaveLength(1);
  });

  test('a connection that sends nothing is closed at the connect timeout', async () => {
    await listen({ transport: { connectTimeoutMs: 50 } });
    // Taken before connecting: the server's deadline starts later, when it accepts.
    const started = Date.now();
    const socket = await silentSocket();
    await peerEnded(socket);
    // Not before the deadline (a timer may fire a millisecond early by Date.now()).
    expect(Date.now() - started).toBeGreaterThanOrEqual(49);
    await waitFor(() => transportOf(server).connectionCounts().connections === 0);
  });

  test('before its hello, a peer cannot declare a frame larger than a hello needs', async () => {
    await listen();
    const socket = await silentSocket();
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const prefix = Buffer.alloc(FRAME_HEADER_BYTES);
    prefix.writeUInt32BE(MAX_OPENING_FRAME_BYTES + 1, 0);
    socket.write(prefix);
    await peerEnded(socket);
    expect(Buffer.concat(received).toString()).toContain(
      `a frame declares ${MAX_OPENING_FRAME_BYTES + 1} bytes, over the maximum frame size of ${MAX_OPENING_FRAME_BYTES} bytes`,
    );
  });
});

describe('listening without authentication', () => {
  const services: NactRpcService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.closeAsync()));
  });

  test.each<[string, Partial<NactRpcServiceOptions>, number]>([
    ['on all interfaces, warns once', { listen: { host: '0.0.0.0', port: 0 } }, 1],
    ['on the default loopback address, does not warn', { listen: { port: 0 } }, 0],
    [
      'on all interfaces with a shared secret, does not warn',
      { listen: { host: '0.0.0.0', port: 0 }, security: { sharedSecret: 'a-secret-of-enough-length-0123' } },
      0,
    ],
  ])('%s', async (_, options, warnings) => {
    const logger = new RecordingLogger();
    services.push(await NactRpcService.create({ name: 'open', logger, ...options }));
    expect(logger.find('warn', 'without authentication')).toHaveLength(warnings);
  });
});
