import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { RpcConnectionError } from '@nact-rpc/core';
import { NactRpcService, type NactRpcServiceOptions } from '@nact-rpc/runtime-nact';
import {
  decodeWireMessage,
  encodeHello,
  FrameDecoder,
  FRAME_HEADER_BYTES,
  WireKind,
  type WireMessage,
} from '@nact-rpc/transport/internal';
import { rejectionOf } from '@nact-rpc/testing';
import { RecordingLogger } from '@nact-rpc/testing';
import { Adder, AdderEndpoint, RAW_PEER_HELLO } from './support/rawPeer';
import { peerEnded } from '../../../test/support/peerEnded';

const SECRET = 'the-deployment-shared-secret-0123456789';

/** Resolves once `condition` holds, checking on each turn of the event loop (at most 2 s). */
async function waitFor(condition: () => boolean): Promise<void> {
  const until = Date.now() + 2_000;
  while (!condition()) {
    if (Date.now() > until) throw new Error('the condition did not hold within 2 s');
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** A frame as written: the length prefix, then `payload`. */
function frame(payload: Buffer): Buffer {
  const prefix = Buffer.alloc(FRAME_HEADER_BYTES);
  prefix.writeUInt32BE(payload.length, 0);
  return Buffer.concat([prefix, payload]);
}

/** A TCP proxy that records every byte both ways, to check what crosses the wire. */
class RecordingProxy {
  readonly bytes: Buffer[] = [];
  private readonly sockets: Socket[] = [];
  private constructor(readonly server: Server) {}

  static async start(targetPort: number): Promise<RecordingProxy> {
    const server = createServer();
    const proxy = new RecordingProxy(server);
    server.on('connection', (inbound) => {
      const outbound = connect(targetPort, '127.0.0.1');
      proxy.sockets.push(inbound, outbound);
      for (const [from, to] of [
        [inbound, outbound],
        [outbound, inbound],
      ] as const) {
        from.on('data', (chunk: Buffer) => {
          proxy.bytes.push(chunk);
          to.write(chunk);
        });
        from.on('close', () => to.destroy());
        from.on('error', () => to.destroy());
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  close(): void {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
  }
}

/** A raw socket that collects the frames it receives. */
async function rawSocket(port: number): Promise<{ socket: Socket; frames: WireMessage[] }> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  const frames: WireMessage[] = [];
  const decoder = new FrameDecoder(1 << 20);
  socket.on('data', (chunk: Buffer) => decoder.push(chunk, (payload) => frames.push(decodeWireMessage(payload))));
  return { socket, frames };
}

describe('shared-secret authentication', () => {
  const services: NactRpcService[] = [];
  const cleanups: (() => void)[] = [];
  let serverLogger: RecordingLogger;
  let endpoint: AdderEndpoint;

  async function server(security: NactRpcServiceOptions['security'] = { sharedSecret: SECRET }): Promise<void> {
    serverLogger = new RecordingLogger();
    const service = await NactRpcService.create({
      name: 'server',
      listen: { port: 0 },
      logger: serverLogger,
      security,
    });
    services.push(service);
    endpoint = new AdderEndpoint(service, 'adder');
    await endpoint.start();
  }

  function client(security?: NactRpcServiceOptions['security']): NactRpcService {
    const service = new NactRpcService({
      name: 'client',
      logger: new RecordingLogger(),
      askTimeoutMs: 5_000,
      security,
    });
    services.push(service);
    return service;
  }

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    await Promise.all(services.splice(0).map((service) => service.closeAsync()));
  });

  test('a client with the same secret calls; the secret never crosses the wire', async () => {
    await server();
    const proxy = await RecordingProxy.start(services[0]?.getPort() as number);
    cleanups.push(() => proxy.close());
    const address = endpoint.getAddress().replace(/:\d+\//, `:${proxy.port}/`);
    const gateway = await client({ sharedSecret: SECRET }).connect(address, Adder);
    expect(await gateway.add(2, 3)).toBe(5);
    const captured = Buffer.concat(proxy.bytes);
    expect(captured.length).toBeGreaterThan(0);
    const secret = Buffer.from(SECRET);
    for (const form of [secret, Buffer.from(secret.toString('base64')), Buffer.from(secret.toString('hex'))]) {
      expect(captured.includes(form)).toBe(false);
    }
    // Both sides proved the secret: two Auth frames crossed.
    expect(captured.includes(Buffer.from('"auth":"secret"'))).toBe(true);
  });

  test.each<[string, NactRpcServiceOptions['security'], string, string]>([
    [
      'a wrong secret',
      { sharedSecret: 'not-the-deployment-secret-987654' },
      'did not prove the shared secret',
      'gave up the association: authentication failed',
    ],
    ['no secret', undefined, 'requires the shared secret', 'Refused an association'],
  ])('a client with %s is refused before any message reaches an endpoint', async (_, security, reason, logged) => {
    await server();
    const failure = await rejectionOf(client(security).connect(endpoint.getAddress(), Adder));
    expect(failure).toBeInstanceOf(RpcConnectionError);
    expect((failure as Error).message).toContain(reason);
    expect(endpoint.calls).toBe(0);
    // The server's line may come a moment after the client's failure: it reads the refusal then.
    await waitFor(() => serverLogger.find('warn', logged).length > 0);
    expect(serverLogger.find('warn', '')).toHaveLength(1);
  });

  test('a client with a secret refuses a server that has none', async () => {
    await server({});
    const failure = await rejectionOf(client({ sharedSecret: SECRET }).connect(endpoint.getAddress(), Adder));
    expect(failure).toBeInstanceOf(RpcConnectionError);
    expect((failure as Error).message).toContain('has none configured');
  });

  test('a raw peer that says hello with auth but sends a request instead of its proof is cut before the request runs', async () => {
    await server();
    const { socket, frames } = await rawSocket(services[0]?.getPort() as number);
    const closed = peerEnded(socket);
    const hello = { ...RAW_PEER_HELLO, auth: 'secret' as const, nonce: 'A'.repeat(44) };
    socket.write(frame(encodeHello(WireKind.Hello, hello)));
    socket.write(frame(Buffer.concat([Buffer.of(WireKind.Request, 0, 0, 0, 1)])));
    await closed;
    expect(frames.map((message) => message.kind)).toEqual([WireKind.HelloAccept, WireKind.Auth, WireKind.HelloReject]);
    expect(endpoint.calls).toBe(0);
  });

  test('refuses a secret shorter than 16 bytes, without showing it', () => {
    let thrown: unknown;
    try {
      new NactRpcService({ security: { sharedSecret: 'short-secret' } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'RPC_INVALID_OPTION', option: 'security.sharedSecret' });
    expect((thrown as Error).message).not.toContain('short-secret');
  });
});

describe('identity bound to the connection', () => {
  const services: NactRpcService[] = [];
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await Promise.all(services.splice(0).map((service) => service.closeAsync()));
  });

  async function listening(name: string, security?: NactRpcServiceOptions['security']): Promise<NactRpcService> {
    const service = await NactRpcService.create({ name, listen: { port: 0 }, logger: new RecordingLogger(), security });
    services.push(service);
    return service;
  }

  test.each<[string, NactRpcServiceOptions['security']]>([
    ['without authentication', undefined],
    ['with a shared secret the impostor lacks', { sharedSecret: SECRET }],
  ])("a peer that claims another service's name and address gets none of its traffic (%s)", async (_, security) => {
    const real = await listening('real', security);
    const realAdder = new AdderEndpoint(real, 'adder');
    await realAdder.start();
    const caller = await listening('caller', security);
    // The impostor says hello to the caller as service "real", at real's address.
    const impostor = await rawSocket(caller.getPort());
    sockets.push(impostor.socket);
    const claimed = { ...RAW_PEER_HELLO, serviceName: 'real', address: { host: '127.0.0.1', port: real.getPort() } };
    impostor.socket.write(frame(encodeHello(WireKind.Hello, claimed)));
    await once(impostor.socket, 'data');

    const gateway = await caller.connect(realAdder.getAddress(), Adder);
    expect(await gateway.add(20, 22)).toBe(42);
    expect(realAdder.calls).toBe(1);
    const kinds = impostor.frames.map((message) => message.kind);
    expect(kinds).not.toContain(WireKind.Handshake);
    expect(kinds).not.toContain(WireKind.Request);
  });
});
