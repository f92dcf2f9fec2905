import { createServer, type Server, type Socket } from 'node:net';
import { hostname as machineHostname } from 'node:os';
import { Association } from './association/Association';
import { Peer } from './association/Peer';
import { bindError } from './bindError';
import { resolveListenOptions, type ListenOptions } from './ListenOptions';
import { resolveTransportOptions, type ResolvedTransportOptions, type TransportOptions } from './TransportOptions';
import type { TransportHost } from './TransportHost';
import { WIRE_MAGIC, WIRE_VERSION, type HelloBody, type WireAddress } from './wire/WireMessage';

export type { ListenOptions } from './ListenOptions';

/**
 * The TCP side of a service: it listens for peers (optionally), opens associations to
 * peers on first use, and closes them all when the service closes.
 */
export class TcpTransport {
  readonly options: ResolvedTransportOptions;
  private server: Server | undefined;
  private external: WireAddress | undefined;
  private boundPort: number | undefined;
  private readonly peers = new Map<string, Peer>();
  /** Keys of the peers asked for by `peer()` (gateways hold them); the others are dropped when unused. */
  private readonly requestedPeers = new Set<string>();
  private readonly associations = new Set<Association>();
  private closed = false;

  constructor(
    private readonly host: TransportHost,
    options: TransportOptions = {},
  ) {
    this.options = resolveTransportOptions(options);
  }

  /**
   * Starts listening: tries the ports of `listen.port` in order, moving on while they are in use.
   * @returns The external address of the service.
   * @throws RpcInvalidOptionError (as a rejection) naming the listen option that is invalid.
   * @throws RpcBindError (as a rejection) naming the host, the port or range and the reason
   *   if no port could be bound; its cause is the Node error.
   */
  async listen(listen?: ListenOptions): Promise<WireAddress> {
    const { host: bindHost, portSpec, ports, externalHost, externalPort } = resolveListenOptions(listen);
    let failure: { port: number; error: unknown } | undefined;
    for (const port of ports) {
      try {
        this.boundPort = await this.bind(bindHost, port);
        failure = undefined;
        break;
      } catch (error) {
        failure = { port, error };
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') break;
      }
    }
    if (failure !== undefined || this.boundPort === undefined) {
      throw bindError(bindHost, portSpec, ports.length > 1, failure?.port ?? 0, failure?.error);
    }
    const wildcard = bindHost === '0.0.0.0' || bindHost === '::';
    this.external = {
      host: externalHost ?? (wildcard ? machineHostname() : bindHost),
      port: externalPort ?? this.boundPort,
    };
    return this.external;
  }

  /** The external address, once listening. */
  getAddress(): WireAddress | undefined {
    return this.external;
  }

  /** The port actually bound, once listening. */
  getBoundPort(): number | undefined {
    return this.boundPort;
  }

  /**
   * Test-visible, not for runtime use: how many associations are open and take new calls
   * (retiring ones are left out).
   */
  usableAssociationCount(): number {
    let count = 0;
    for (const association of this.associations) if (association.isUsable()) count++;
    return count;
  }

  /** Test-visible, not for runtime use: how many peers the peer table holds. */
  peerCount(): number {
    return this.peers.size;
  }

  /** The peer at `host:port`, created on first use; it stays in the peer table. */
  peer(host: string, port: number): Peer {
    this.requestedPeers.add(`${host}:${port}`);
    return this.peerAt(host, port);
  }

  private peerAt(host: string, port: number): Peer {
    const key = `${host}:${port}`;
    let peer = this.peers.get(key);
    if (peer === undefined) {
      peer = new Peer(host, port, this.host, this.options, (socket) => this.associate('outbound', socket));
      if (this.closed) peer.close();
      this.peers.set(key, peer);
    }
    return peer;
  }

  /**
   * Closes the transport: stops listening, tells every peer this is a clean close, and
   * resolves once every connection has ended.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const serverClosed = new Promise<void>((resolve) => {
      if (this.server === undefined) resolve();
      else this.server.close(() => resolve());
    });
    for (const peer of this.peers.values()) peer.close();
    const associations = [...this.associations];
    for (const association of associations) association.close('the service is closing', true);
    await Promise.all([
      serverClosed,
      ...associations.map((association) => association.whenSocketClosed(this.options.connectTimeoutMs)),
    ]);
  }

  private bind(host: string, port: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const server = createServer((socket) => this.accept(socket));
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', (error) => this.host.logger.error(`The listening socket failed: ${error.message}`));
        this.server = server;
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  }

  private accept(socket: Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.associate('inbound', socket);
  }

  private associate(role: 'inbound' | 'outbound', socket: Socket): Association {
    const association = new Association(
      role,
      socket,
      this.host,
      this.options,
      this.localHello(),
      {
        opened: (opened) => this.opened(opened),
        closed: (closedAssociation, reason, clean) => this.associationClosed(closedAssociation, reason, clean),
        retiring: (retired) => this.release(retired),
      },
      () => undefined,
    );
    this.associations.add(association);
    void association.whenSocketClosed().then(() => this.associations.delete(association));
    return association;
  }

  private opened(association: Association): void {
    const peerAddress = association.getPeer()?.address;
    if (association.role === 'inbound' && peerAddress !== undefined && !this.closed) {
      // Calls to the peer's address reuse the connection it opened: one per pair of services.
      this.peerAt(peerAddress.host, peerAddress.port).adopt(association);
    }
  }

  /** Forgets `association` in the peers; a peer nobody asked for and no longer used leaves the table. */
  private release(association: Association): void {
    for (const [key, peer] of this.peers) {
      peer.associationClosed(association);
      if (!this.requestedPeers.has(key) && peer.current() === undefined) this.peers.delete(key);
    }
  }

  private associationClosed(association: Association, reason: string, clean: boolean): void {
    this.release(association);
    const message = `The association with ${association.describePeer()} ended: ${reason}`;
    if (clean || this.closed) this.host.logger.info(message);
    else this.host.logger.warn(message);
  }

  private localHello(): HelloBody {
    return {
      magic: WIRE_MAGIC,
      wireVersion: WIRE_VERSION,
      serviceName: this.host.serviceName,
      incarnation: this.host.incarnation,
      address: this.external,
      codec: this.host.codec.name,
      maxFrameSize: this.options.maxFrameSize,
    };
  }
}
