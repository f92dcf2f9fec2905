import type { Socket } from 'node:net';
import { RpcConnectionError, RpcInvalidOptionError, type Clock } from '@nact-rpc/core';
import type { Network, NetworkConnectOptions, NetworkListener, NetworkListenOptions } from '@nact-rpc/transport';
import type { SeededRandom } from './SeededRandom';
import { SimulatedConnection, type ConnectionFabric, type ConnectionRecord } from './SimulatedConnection';
import type { SimulatedSocket, SocketAddress } from './SimulatedSocket';
import { SimulationTrace } from './SimulationTrace';
import { Transit, type NetworkBehaviour } from './Transit';

export type { NetworkBehaviour } from './Transit';

/** Options of a {@link SimulatedNetwork}. */
export interface SimulatedNetworkOptions extends NetworkBehaviour {
  /** The clock that times deliveries: the simulation's `VirtualClock`. */
  readonly clock: Clock;
  /** Where every delay and cut comes from. */
  readonly random: SeededRandom;
  /** Where events are recorded; default a new trace on `clock`. */
  readonly trace?: SimulationTrace | undefined;
}

/** The first port given to a listener on port 0, or to a connection's client end. */
const FIRST_EPHEMERAL_PORT = 49_152;

/**
 * A network in memory, without sockets, that connects the services of one process through the
 * same transport (associations, framing, heartbeats, reconnection) as TCP does. Each service
 * gets the view of one named host ({@link host}), the `network` option of its service; hosts
 * need no declaring.
 *
 * Everything it does is timed by the clock and decided by the seeded generator: the delay of
 * every segment, how writes are cut into segments, and so, with the scenario's own choices,
 * how deliveries across connections and endpoints interleave. Within one direction of one
 * connection bytes arrive in order.
 *
 * Faults: {@link partition} separates hosts, and a connection across a partition **stalls**
 * (nothing is lost; it arrives once the partition heals, unless an end gives up first: the
 * heartbeat declares the peer dead, a connect times out); {@link drop} cuts a connection (both
 * ends get a reset, what was in flight is lost); {@link crash} stops a host (its connections
 * end at once, its listeners go) and {@link restart} brings it back, with nothing listening.
 *
 * TLS is not simulated: connecting to a `nact-rpcs` address fails with `RpcConnectionError`,
 * and a service configured with TLS is refused this network.
 */
export class SimulatedNetwork {
  /** What happened on the network, event by event. */
  readonly trace: SimulationTrace;
  private readonly clock: Clock;
  private readonly listeners = new Map<string, NetworkListenOptions>();
  private readonly downHosts = new Set<string>();
  /** Pairs of hosts a partition separates, as `from|to`, both ways. */
  private readonly blocked = new Set<string>();
  private readonly connections: SimulatedConnection[] = [];
  private readonly nextPorts = new Map<string, number>();
  private readonly hosts = new Map<string, Network>();
  private readonly fabric: ConnectionFabric;

  /** @throws RpcInvalidOptionError naming a behaviour option that is out of range. */
  constructor(options: SimulatedNetworkOptions) {
    this.clock = options.clock;
    this.trace = options.trace ?? new SimulationTrace(options.clock);
    const transit = new Transit(options.random, options);
    this.fabric = {
      clock: this.clock,
      delay: () => transit.delay(),
      segments: (bytes) => transit.segments(bytes),
      reachable: (from, to) => from === to || !this.blocked.has(`${from}|${to}`),
      isUp: (host) => !this.downHosts.has(host),
      accept: (at, socket) => this.accept(at, socket),
      record: (event) => this.trace.record(event),
    };
  }

  /**
   * The network as seen from host `name`: give it to a service as its `network` option. It
   * listens on `name` (or on `0.0.0.0`/`::`, meaning `name`), and its connections come from `name`.
   */
  host(name: string): Network {
    let host = this.hosts.get(name);
    if (host === undefined) {
      if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(name)) {
        throw RpcInvalidOptionError.forValue(
          'name',
          name,
          "a host name of letters, digits, '_', '.' or '-'",
          'SimulatedNetwork.host',
        );
      }
      host = {
        name: `the simulated network (host ${name})`,
        supportsTls: false,
        listen: (options) => this.listen(name, options),
        connect: (options) => this.connect(name, options),
      };
      this.hosts.set(name, host);
    }
    return host;
  }

  /** Separates every host of `a` from every host of `b`, both ways, until {@link heal}. */
  partition(a: readonly string[], b: readonly string[]): void {
    for (const x of a) {
      for (const y of b) {
        if (x === y) continue;
        this.blocked.add(`${x}|${y}`);
        this.blocked.add(`${y}|${x}`);
      }
    }
    this.trace.record(`partition ${a.join(',')} | ${b.join(',')}`);
  }

  /** Ends every partition: stalled connections deliver again, after a fresh delay. */
  heal(): void {
    if (this.blocked.size === 0) return;
    this.blocked.clear();
    this.trace.record('heal');
    for (const connection of this.connections) connection.resume();
  }

  /** Whether a partition separates `a` from `b`. */
  isPartitioned(a: string, b: string): boolean {
    return this.blocked.has(`${a}|${b}`);
  }

  /**
   * Cuts the connections between hosts `a` and `b` that have an open end: both ends get a
   * reset, and what was in flight is lost.
   * @returns The ids of the connections cut.
   */
  drop(a: string, b: string): number[] {
    const cut: number[] = [];
    for (const connection of this.connections) {
      const { clientAddress: client, serverAddress: server } = connection;
      const between = (client.host === a && server.host === b) || (client.host === b && server.host === a);
      if (!between || !(connection.hasOpenEndOn(a) || connection.hasOpenEndOn(b))) continue;
      cut.push(connection.id);
      this.trace.record(`#${connection.id} dropped`);
      connection.cut();
    }
    return cut;
  }

  /**
   * Crashes host `name`: its listeners go, its connections end at once and what they had not
   * sent is lost. With `reset` (the default: the process died, its system closes its
   * connections) the other ends get a reset; without it (the machine died) they hear nothing
   * and must notice by themselves. Until {@link restart} nothing reaches the host. The
   * service on it must be discarded (closed) by the caller: it has lost its network.
   */
  crash(name: string, options: { readonly reset?: boolean } = {}): void {
    const reset = options.reset ?? true;
    this.downHosts.add(name);
    this.trace.record(`crash ${name}${reset ? '' : ' (silent)'}`);
    for (const key of [...this.listeners.keys()]) if (key.startsWith(`${name}:`)) this.listeners.delete(key);
    for (const connection of this.connections) connection.crash(name, reset);
  }

  /** Brings a crashed host back, with nothing listening: start its service again. */
  restart(name: string): void {
    if (!this.downHosts.delete(name)) return;
    this.trace.record(`restart ${name}`);
  }

  /** Whether host `name` runs: it has not crashed, or has restarted. */
  isUp(name: string): boolean {
    return !this.downHosts.has(name);
  }

  /** The history of every connection made so far, oldest first. */
  connectionRecords(): ConnectionRecord[] {
    return this.connections.map((connection) => connection.record());
  }

  /** When any end of any connection between hosts `a` and `b` closed, in order. */
  closesBetween(a: string, b: string): number[] {
    const times: number[] = [];
    for (const { client, server, closes } of this.connectionRecords()) {
      const between = (client.host === a && server.host === b) || (client.host === b && server.host === a);
      if (between) for (const [at] of closes) times.push(at);
    }
    return times.sort((x, y) => x - y);
  }

  /** How many connection ends are open: 0 once every service has closed. */
  openSocketCount(): number {
    let open = 0;
    for (const connection of this.connections) open += connection.openEndCount();
    return open;
  }

  private listen(host: string, options: NetworkListenOptions): Promise<NetworkListener> {
    const bound = options.host === '0.0.0.0' || options.host === '::' ? host : options.host;
    if (bound !== host) {
      return Promise.reject(
        networkError(
          'EADDRNOTAVAIL',
          `listen EADDRNOTAVAIL: ${options.host} is not an address of simulated host ${host}`,
        ),
      );
    }
    if (this.downHosts.has(host))
      return Promise.reject(networkError('ENETDOWN', `listen ENETDOWN: host ${host} is down`));
    const port = options.port === 0 ? this.ephemeralPort(host) : options.port;
    const key = `${host}:${port}`;
    if (this.listeners.has(key)) {
      return Promise.reject(networkError('EADDRINUSE', `listen EADDRINUSE: address already in use ${key}`));
    }
    this.listeners.set(key, options);
    this.trace.record(`listen ${key}`);
    return Promise.resolve({
      port,
      close: () => {
        if (this.listeners.get(key) === options) {
          this.listeners.delete(key);
          this.trace.record(`unlisten ${key}`);
        }
        return Promise.resolve();
      },
    });
  }

  private connect(from: string, { host, port, tls }: NetworkConnectOptions): Socket {
    if (tls !== undefined) {
      throw new RpcConnectionError(
        `Cannot connect to ${host}:${port} with TLS: the simulated network carries no TLS (use nact-rpc:// addresses).`,
      );
    }
    const client = { host: from, port: this.ephemeralPort(from) };
    const connection = new SimulatedConnection(this.connections.length + 1, client, { host, port }, this.fabric);
    this.connections.push(connection);
    // A crashed host's service is being discarded: what it still tries fails there.
    if (this.downHosts.has(from)) connection.crash(from, false);
    // The transport uses what a socket offers through the methods SimulatedSocket has.
    return connection.client as unknown as Socket;
  }

  private accept(at: SocketAddress, socket: SimulatedSocket): boolean {
    const listener = this.listeners.get(`${at.host}:${at.port}`);
    if (listener === undefined) return false;
    listener.onConnection(socket as unknown as Socket);
    return true;
  }

  private ephemeralPort(host: string): number {
    const port = this.nextPorts.get(host) ?? FIRST_EPHEMERAL_PORT;
    this.nextPorts.set(host, port + 1);
    return port;
  }
}

/** An error such as Node's network errors: a message and a `code`. */
function networkError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
