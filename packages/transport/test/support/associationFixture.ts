import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { SuperJsonCodec, systemClock, type Clock } from '@nact-rpc/core';
import { PendingCalls } from '@nact-rpc/core/internal';
import type { TransportOptions } from '@nact-rpc/transport';
import {
  Association,
  encodeHello,
  encodeRequestHeader,
  resolveTransportOptions,
  TcpTransport,
  WIRE_MAGIC,
  WIRE_VERSION,
  WireKind,
  type AssociationRole,
  type HandshakeRequestMessage,
  type HelloBody,
  type RequestMessage,
  type ResolvedSecurity,
  type TransportHost,
} from '@nact-rpc/transport/internal';
import { Inbox } from '@nact-rpc/testing';
import { RecordingLogger } from '@nact-rpc/testing';

/** What the `closed` event reported. */
export interface ClosedEvent {
  readonly reason: string;
  readonly clean: boolean;
  /** After an unclean end, the tells it could not deliver. */
  readonly undeliveredTells: number;
}

/** One service's side: a fake TransportHost around real PendingCalls and codec. */
export interface Side {
  readonly name: string;
  readonly codec: SuperJsonCodec;
  readonly logger: RecordingLogger;
  readonly pendingCalls: PendingCalls;
  readonly onRequest: jest.Mock<void, [Association, RequestMessage]>;
  readonly onHandshake: jest.Mock<void, [Association, HandshakeRequestMessage]>;
  readonly host: TransportHost;
  /** Requests delivered to onRequest, in order. */
  readonly requests: Inbox<RequestMessage>;
  readonly handshakes: Inbox<HandshakeRequestMessage>;
  readonly opened: jest.Mock<void, [Association]>;
  readonly closed: jest.Mock<void, [Association, string, boolean, number]>;
  /** Settles when the `closed` event is reported. */
  readonly whenClosedEvent: Promise<ClosedEvent>;
  readonly association: Association;
  /** The raw socket under the association. */
  readonly socket: Socket;
}

/** How to build one side. */
export interface SideOptions {
  readonly transport?: TransportOptions;
  /** Fields of the hello this side sends that differ from a correct one. */
  readonly hello?: Partial<HelloBody>;
  readonly validatePeer?: (peer: HelloBody) => string | undefined;
  /** TLS and shared-secret authentication of this side. */
  readonly security?: ResolvedSecurity;
  /** The clock of this side's host; default the system clock. */
  readonly clock?: Clock;
}

/** Opens sockets, servers and associations, and closes them all in {@link cleanUp}. */
export class AssociationFixture {
  private readonly servers: Server[] = [];
  private readonly sockets: Socket[] = [];
  private readonly sides: Side[] = [];
  private readonly transports: TcpTransport[] = [];

  /** A transport of `host` listening on a free loopback port; closed in {@link cleanUp}. */
  async listening(host: TransportHost, options?: TransportOptions): Promise<{ transport: TcpTransport; port: number }> {
    const transport = new TcpTransport(host, options);
    this.transports.push(transport);
    await transport.listen({ host: '127.0.0.1', port: 0 });
    return { transport, port: transport.getBoundPort() as number };
  }

  /** Two connected loopback sockets: [the connecting one, the accepted one]. */
  async socketPair(): Promise<[Socket, Socket]> {
    const server = createServer();
    this.servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    this.track(client);
    await once(client, 'connect');
    const [inbound] = await accepted;
    this.track(inbound);
    return [client, inbound];
  }

  /** An association on `socket` with a fresh fake host. */
  side(name: string, role: AssociationRole, socket: Socket, options: SideOptions = {}): Side {
    const codec = new SuperJsonCodec();
    const logger = new RecordingLogger();
    const pendingCalls = new PendingCalls(10_000, false);
    const requests = new Inbox<RequestMessage>();
    const handshakes = new Inbox<HandshakeRequestMessage>();
    const onRequest = jest.fn<void, [Association, RequestMessage]>((_, request) => requests.push(request));
    const onHandshake = jest.fn<void, [Association, HandshakeRequestMessage]>((_, handshake) =>
      handshakes.push(handshake),
    );
    const host: TransportHost = {
      serviceName: name,
      incarnation: `${name}-run-1`,
      codec,
      logger,
      clock: options.clock ?? systemClock,
      pendingCalls,
      onRequest,
      onHandshake,
    };
    const resolved = resolveTransportOptions(options.transport);
    let reportClosed!: (event: ClosedEvent) => void;
    const whenClosedEvent = new Promise<ClosedEvent>((resolve) => (reportClosed = resolve));
    const opened = jest.fn<void, [Association]>();
    const closed = jest.fn<void, [Association, string, boolean, number]>((_, reason, clean, undeliveredTells) =>
      reportClosed({ reason, clean, undeliveredTells }),
    );
    const association = new Association(role, socket, host, resolved, {
      localHello: helloOf(name, codec.name, resolved.maxFrameSize, options.hello),
      events: { opened, closed },
      validatePeer: options.validatePeer,
      security: options.security,
    });
    const side: Side = {
      name,
      codec,
      logger,
      pendingCalls,
      onRequest,
      onHandshake,
      host,
      requests,
      handshakes,
      opened,
      closed,
      whenClosedEvent,
      association,
      socket,
    };
    this.sides.push(side);
    return side;
  }

  /** Two open associations: `a` connected to `b`. */
  async openPair(a: SideOptions = {}, b: SideOptions = {}): Promise<{ a: Side; b: Side }> {
    const [client, server] = await this.socketPair();
    const sides = { a: this.side('A', 'outbound', client, a), b: this.side('B', 'inbound', server, b) };
    await Promise.all([sides.a.association.whenOpen(), sides.b.association.whenOpen()]);
    return sides;
  }

  /** Keeps `socket` to destroy it at the end, and ignores its errors (resets are expected). */
  track(socket: Socket): void {
    socket.on('error', () => {});
    this.sockets.push(socket);
  }

  async cleanUp(): Promise<void> {
    for (const side of this.sides) {
      side.association.close('the test is over', false);
      side.pendingCalls.failAll(() => new Error('the test is over'));
    }
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    await Promise.all(this.transports.map((transport) => transport.close()));
  }
}

/** The host of a listening transport (service `server`) that serves nothing, logging to `logger`. */
export function listeningHost(logger: RecordingLogger): TransportHost {
  return {
    serviceName: 'server',
    incarnation: 'server-run-1',
    codec: new SuperJsonCodec(),
    logger,
    clock: systemClock,
    pendingCalls: new PendingCalls(10_000, false),
    onRequest: () => {},
    onHandshake: () => {},
  };
}

/** A correct hello of service `name`, with `overrides`. */
export function helloOf(
  name: string,
  codec: string,
  maxFrameSize: number,
  overrides: Partial<HelloBody> = {},
): HelloBody {
  return {
    magic: WIRE_MAGIC,
    wireVersion: WIRE_VERSION,
    serviceName: name,
    incarnation: `${name}-run-1`,
    address: { host: '127.0.0.1', port: name === 'A' ? 50_001 : 50_002 },
    codec,
    maxFrameSize,
    ...overrides,
  };
}

/** Registers an ask (answers decoded with the side's codec); its rejection is marked handled. */
export function registerAsk(
  side: Side,
  target: string,
  timeoutMs = 60_000,
): { callId: number; promise: Promise<unknown> } {
  const { callId, promise } = side.pendingCalls.register({
    target,
    recipient: 'rpc://peer/endpoint',
    timeoutMs,
    codec: side.codec,
  });
  promise.catch(() => {});
  return { callId, promise };
}

/** Sends an ask of `Protocol.method` with `args` from `side`; returns its promise. */
export function sendAsk(side: Side, method: string, args: unknown[] = [], timeoutMs?: number): Promise<unknown> {
  const target = `Protocol.${method}`;
  const { callId, promise } = registerAsk(side, target, timeoutMs);
  const header = encodeRequestHeader(callId, 'endpoint-1', 'Protocol', method, undefined);
  side.association.sendRequest(callId, header, side.codec.encode(args), target);
  return promise;
}

/** A frame carrying `payload`, as a raw peer writes it. */
export function rawFrame(payload: Uint8Array): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(payload.length, 0);
  return Buffer.concat([header, payload]);
}

/** A HelloAccept frame of service `name`, as a raw peer writes it. */
export function rawHelloAccept(name: string, maxFrameSize = 10 * 1024 * 1024): Buffer {
  return rawFrame(encodeHello(WireKind.HelloAccept, helloOf(name, 'superjson', maxFrameSize)));
}
