import type { Socket } from 'node:net';
import { RpcInvalidOptionError } from '@nact-rpc/core';
import { hostname as machineHostname } from 'node:os';
import { Association } from './association/Association';
import { Peer } from './association/Peer';
import { provesAddress } from './association/provesAddress';
import { bindError } from './bindError';
import { isLoopbackAddress } from './isLoopbackAddress';
import type { Network, NetworkListener } from './network/Network';
import { tcpNetwork } from './network/tcpNetwork';
import { ConnectionGate } from './security/ConnectionGate';
import { resolveSecurityOptions, type ResolvedSecurity } from './security/SecurityOptions';
import { resolveListenOptions, type ListenOptions } from './ListenOptions';
import type { TransportStats } from './TellLosses';
import { TransportLogs } from './TransportLogs';
import { TrafficCounter, type TransportTraffic } from './TrafficCounter';
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
  private server: NetworkListener | undefined;
  private external: WireAddress | undefined;
  private boundPort: number | undefined;
  private readonly peers = new Map<string, Peer>();
  /** Keys of the peers asked for by `peer()` (gateways hold them); the others are dropped when unused. */
  private readonly requestedPeers = new Set<string>();
  private readonly associations = new Set<Association>();
  private closed = false;
  private readonly traffic = new TrafficCounter();
  /** Refused connections, protocol errors and undelivered tells, each logged without a flood. */
  private readonly logs: TransportLogs;
  private readonly gate: ConnectionGate;

  /**
   * @param security - TLS and authentication (see `resolveSecurityOptions`); default none.
   * @param network - Where sockets are made; default {@link tcpNetwork}, the machine's TCP.
   * @throws RpcInvalidOptionError naming `security.tls` if TLS is configured on a network that
   *   carries none.
   */
  constructor(
    private readonly host: TransportHost,
    options: TransportOptions = {},
    private readonly security: ResolvedSecurity = resolveSecurityOptions(),
    private readonly network: Network = tcpNetwork,
  ) {
    this.options = resolveTransportOptions(options);
    if (security.tls !== undefined && !network.supportsTls) {
      throw new RpcInvalidOptionError(`Invalid security.tls: ${network.name} carries no TLS; configure no TLS on it.`, {
        option: 'security.tls',
      });
    }
    this.logs = new TransportLogs(host.logger, host.clock);
    this.gate = new ConnectionGate(
      this.options,
      security,
      this.logs.refusals,
      (socket, connectedAt) => this.associate('inbound', socket, connectedAt),
      host.clock,
    );
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
    if (this.security.tls !== undefined && this.security.tls.pems.cert === undefined) {
      throw new RpcInvalidOptionError(
        'Invalid security.tls: a service that listens with TLS needs its key and cert; only ca was given.',
        { option: 'security.tls.cert' },
      );
    }
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
      ...(this.security.tls === undefined ? {} : { tls: true }),
    };
    if (!this.security.authenticatesPeers && !isLoopbackAddress(bindHost) && bindHost !== 'localhost') {
      this.host.logger.warn(
        `Service ${this.host.serviceName} listens on ${bindHost}:${this.boundPort} without authentication: anyone who ` +
          `can reach that port can call every endpoint. Configure security.sharedSecret or mutual TLS ` +
          `(security.tls), or listen on 127.0.0.1. See docs/security.md.`,
      );
    }
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

  /** Test-visible: the asks peers sent on any association that are not answered yet; 0 at rest. */
  servedAskCount(): number {
    let count = 0;
    for (const association of this.associations) count += association.askCounts().served;
    return count;
  }

  /** Test-visible, not for runtime use: how many peers the peer table holds. */
  peerCount(): number {
    return this.peers.size;
  }

  /**
   * What the transport counted since it was created (the tells it could not deliver, by
   * reason): the hook for metrics. A snapshot; every count only grows.
   */
  stats(): TransportStats {
    return this.logs.tellLosses.stats();
  }

  /** The open associations, and the bytes read and written since the transport was made: for metrics. */
  trafficCounts(): TransportTraffic {
    return this.traffic.read(this.associations);
  }

  /**
   * The peer at `host:port` (over TLS with `tls`), created on first use; it stays in the peer
   * table.
   */
  peer(host: string, port: number, tls = false): Peer {
    this.requestedPeers.add(peerKey(host, port, tls));
    return this.peerAt(host, port, tls);
  }

  /** Test-visible, not for runtime use: accepted connections open now, and those still opening. */
  connectionCounts(): { connections: number; unauthenticated: number } {
    return this.gate.counts();
  }

  private peerAt(host: string, port: number, tls: boolean): Peer {
    const key = peerKey(host, port, tls);
    let peer = this.peers.get(key);
    if (peer === undefined) {
      peer = new Peer(
        host,
        port,
        this.host,
        this.options,
        (socket) => this.associate('outbound', socket),
        this.logs.tellLosses,
        tls ? { context: this.security.tls?.context } : undefined,
        this.network,
      );
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
    const serverClosed = this.server === undefined ? Promise.resolve() : this.server.close();
    for (const peer of this.peers.values()) peer.close();
    const associations = [...this.associations];
    for (const association of associations) association.close('the service is closing', true);
    await Promise.all([
      serverClosed,
      ...associations.map((association) => association.whenSocketClosed(this.options.connectTimeoutMs)),
    ]);
    this.logs.flush();
  }

  private async bind(host: string, port: number): Promise<number> {
    this.server = await this.network.listen({
      host,
      port,
      onConnection: (socket) => this.accept(socket),
      onError: (error) => this.host.logger.error(`The listening socket failed: ${error.message}`),
    });
    return this.server.port;
  }

  private accept(socket: Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.gate.accept(socket);
  }

  private associate(role: 'inbound' | 'outbound', socket: Socket, connectedAt?: number): Association {
    const association = new Association(role, socket, this.host, this.options, {
      localHello: this.localHello(),
      events: {
        opened: (opened) => this.opened(opened),
        closed: (closedAssociation, reason, clean, undelivered) =>
          this.associationClosed(closedAssociation, reason, clean, undelivered),
        retiring: (retired) => this.release(retired),
        tellDropped: (reason, line) => this.logs.tellLosses.dropped(reason, line),
      },
      security: this.security,
      connectedAt,
      logRefusal: role === 'inbound' ? (line) => this.logs.refusals.refused(line) : undefined,
      logProtocolError: (line) => this.logs.protocolErrors.closed(line),
    });
    this.associations.add(association);
    void association.whenSocketClosed().then(() => {
      this.traffic.closed(association);
      this.associations.delete(association);
    });
    return association;
  }

  private opened(association: Association): void {
    const claimed = association.getPeer()?.address;
    if (
      association.role === 'inbound' &&
      claimed !== undefined &&
      !this.closed &&
      provesAddress(association, claimed)
    ) {
      // Calls to the peer's address reuse the connection it opened: one per pair of services.
      this.peerAt(claimed.host, claimed.port, claimed.tls === true).adopt(association);
    }
  }

  /** Forgets `association` in the peers (`lost`: why it ended without a goodbye); unused peers leave the table. */
  private release(association: Association, lost?: string): void {
    for (const [key, peer] of this.peers) {
      peer.associationClosed(association, lost);
      if (!this.requestedPeers.has(key) && peer.current() === undefined) this.peers.delete(key);
    }
  }

  private associationClosed(association: Association, reason: string, clean: boolean, undelivered: number): void {
    this.release(association, clean ? undefined : reason);
    const lost = this.logs.tellLosses.connectionLost(undelivered);
    const message = `The association with ${association.describePeer()} ended: ${reason}${lost}`;
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

/** The key of a peer in the peer table: a TLS address and a plain one on the same port are different peers. */
function peerKey(host: string, port: number, tls: boolean): string {
  return `${tls ? 'tls' : 'tcp'}://${host}:${port}`;
}
