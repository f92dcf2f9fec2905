import type { Clock, ClockTimer } from '@nact-rpc/core';
import { FrameScanner } from './FrameScanner';
import { SimulatedSocket, type SocketAddress, type SocketCloseKind, type SocketLink } from './SimulatedSocket';

/** What a connection needs from its network. */
export interface ConnectionFabric {
  readonly clock: Clock;
  /** A seeded delay for one segment, in ms. */
  delay(): number;
  /** `bytes` cut into the segments they travel in (seeded). */
  segments(bytes: Buffer): Buffer[];
  /** Whether `from` can reach `to` now (no partition between them). */
  reachable(from: string, to: string): boolean;
  /** Whether `host` runs (it has not crashed, or it restarted). */
  isUp(host: string): boolean;
  /** Hands a new connection's server end to the listener at `at`; `false` if none listens there. */
  accept(at: SocketAddress, socket: SimulatedSocket): boolean;
  /** Records an event in the trace. */
  record(event: string): void;
}

/** What travels in one direction of a connection. */
type Segment =
  | { readonly kind: 'syn' | 'synack' | 'fin' }
  | { readonly kind: 'rst'; readonly code: 'ECONNRESET' | 'ECONNREFUSED' }
  | { readonly kind: 'data'; readonly bytes: Buffer };

/** One direction of a connection: its segments in order, each with the time it may arrive. */
class Direction {
  readonly queue: { segment: Segment; at: number }[] = [];
  lastAt = Number.NEGATIVE_INFINITY;
  timer: ClockTimer | undefined;
  stalled = false;
  readonly scanner = new FrameScanner();

  constructor(
    /** Names it in the trace: `#<id> <from host>><to host>`. */
    readonly label: string,
  ) {}
}

/** The times the ends of a connection closed, for invariants ("did it stay up?"). */
export interface ConnectionRecord {
  /** The connection's number, as the trace names it (`#<id>`). */
  readonly id: number;
  /** The client end's host and port. */
  readonly client: SocketAddress;
  /** The server end's host and port. */
  readonly server: SocketAddress;
  /** When the client end got `'connect'`, if it did. */
  readonly connectedAt: number | undefined;
  /** When each end closed, as `[time, how]`, in order. */
  readonly closes: readonly (readonly [number, SocketCloseKind])[];
}

/**
 * A connection of the simulated network: a client end, a server end once the listener accepted
 * it, and a direction each way. Each direction delivers its segments in order, each after a
 * seeded delay and never before the one ahead of it; while a partition separates the two hosts
 * a direction stalls, and what it holds arrives, in order, once the partition heals.
 *
 * Opening takes a round trip (the connect, then its acceptance), as TCP's handshake does. A
 * connect that reaches a host where nothing listens is refused (`ECONNREFUSED`); one that
 * reaches a crashed host is lost, and the client's own timeout ends it. Bytes that reach an end
 * already closed are answered with a reset, unless its host is down.
 */
export class SimulatedConnection implements SocketLink {
  readonly client: SimulatedSocket;
  private server: SimulatedSocket | undefined;
  private readonly up: Direction;
  private readonly down: Direction;
  private connectedAt: number | undefined;
  private readonly closes: [number, SocketCloseKind][] = [];

  constructor(
    readonly id: number,
    readonly clientAddress: SocketAddress,
    readonly serverAddress: SocketAddress,
    private readonly fabric: ConnectionFabric,
  ) {
    this.client = new SimulatedSocket(this, clientAddress, serverAddress, true);
    this.up = new Direction(`#${id} ${clientAddress.host}>${serverAddress.host}`);
    this.down = new Direction(`#${id} ${serverAddress.host}>${clientAddress.host}`);
    fabric.record(`#${id} ${describe(clientAddress)} connects to ${describe(serverAddress)}`);
    this.enqueue(this.up, { kind: 'syn' });
  }

  /** The connection's history so far. */
  record(): ConnectionRecord {
    const { id, clientAddress: client, serverAddress: server, connectedAt, closes } = this;
    return { id, client, server, connectedAt, closes: [...closes] };
  }

  /** How many of its ends are open. */
  openEndCount(): number {
    return [this.client, this.server].filter((socket) => socket !== undefined && !socket.destroyed).length;
  }

  /** Whether an end on `host` is still open. */
  hasOpenEndOn(host: string): boolean {
    return this.endsOn(host).some((socket) => !socket.destroyed);
  }

  send(from: SimulatedSocket, bytes: Buffer): void {
    const direction = this.from(from);
    for (const segment of this.fabric.segments(bytes)) this.enqueue(direction, { kind: 'data', bytes: segment });
  }

  finish(from: SimulatedSocket): void {
    this.enqueue(this.from(from), { kind: 'fin' });
  }

  closed(from: SimulatedSocket, how: SocketCloseKind): void {
    this.closes.push([this.fabric.clock.now(), how]);
    const direction = this.from(from);
    this.fabric.record(`#${this.id} ${from.localAddress} closed (${how})`);
    if (how !== 'abort') return;
    // Abortive: what was not delivered is lost, and the other end is reset.
    this.clear(direction);
    const other = direction === this.up ? this.server : this.client;
    if (other !== undefined && !other.destroyed) this.enqueue(direction, { kind: 'rst', code: 'ECONNRESET' });
  }

  /** The network cuts the connection: what is in flight is lost, and both ends are reset. */
  cut(): void {
    for (const direction of [this.up, this.down]) {
      this.clear(direction);
      const to = direction === this.up ? this.server : this.client;
      if (to !== undefined && !to.destroyed) this.enqueue(direction, { kind: 'rst', code: 'ECONNRESET' });
    }
  }

  /**
   * `host` crashed: its ends close at once and what they had not sent is lost; with `reset`,
   * the other end is reset (the host's system closed the connection), else it hears nothing.
   */
  crash(host: string, reset: boolean): void {
    for (const socket of this.endsOn(host)) {
      const direction = this.from(socket);
      this.clear(direction);
      if (socket.destroyed) continue;
      const other = direction === this.up ? this.server : this.client;
      if (reset && other !== undefined && !other.destroyed) {
        this.enqueue(direction, { kind: 'rst', code: 'ECONNRESET' });
      }
      socket.fail('ECONNABORTED', `the host ${host} crashed`);
    }
  }

  /** A partition healed: stalled directions deliver again, after a fresh delay. */
  resume(): void {
    for (const direction of [this.up, this.down]) {
      if (!direction.stalled || !this.reachable(direction)) continue;
      direction.stalled = false;
      const head = direction.queue[0];
      if (head === undefined) continue;
      head.at = Math.max(head.at, this.fabric.clock.now() + this.fabric.delay());
      direction.lastAt = Math.max(direction.lastAt, head.at);
      this.schedule(direction, head.at);
    }
  }

  private endsOn(host: string): SimulatedSocket[] {
    const ends: SimulatedSocket[] = [];
    if (this.clientAddress.host === host) ends.push(this.client);
    if (this.server !== undefined && this.serverAddress.host === host) ends.push(this.server);
    return ends;
  }

  private from(socket: SimulatedSocket): Direction {
    return socket === this.client ? this.up : this.down;
  }

  private reachable(direction: Direction): boolean {
    const [from, to] =
      direction === this.up ? [this.clientAddress, this.serverAddress] : [this.serverAddress, this.clientAddress];
    return this.fabric.reachable(from.host, to.host);
  }

  private enqueue(direction: Direction, segment: Segment): void {
    const at = Math.max(this.fabric.clock.now() + this.fabric.delay(), direction.lastAt);
    direction.lastAt = at;
    direction.queue.push({ segment, at });
    if (direction.queue.length === 1 && !direction.stalled) this.schedule(direction, at);
  }

  private schedule(direction: Direction, at: number): void {
    this.fabric.clock.clearTimeout(direction.timer);
    direction.timer = this.fabric.clock.setTimeout(() => this.pump(direction), at - this.fabric.clock.now());
  }

  private clear(direction: Direction): void {
    this.fabric.clock.clearTimeout(direction.timer);
    direction.timer = undefined;
    direction.queue.length = 0;
    direction.stalled = false;
  }

  /** Delivers what is due in `direction`, in order, unless a partition holds it. */
  private pump(direction: Direction): void {
    direction.timer = undefined;
    const now = this.fabric.clock.now();
    for (;;) {
      const head = direction.queue[0];
      if (head === undefined) return;
      if (head.at > now) {
        this.schedule(direction, head.at);
        return;
      }
      if (!this.reachable(direction)) {
        direction.stalled = true;
        this.fabric.record(`${direction.label} stalled (partition)`);
        return;
      }
      direction.queue.shift();
      this.arrive(direction, head.segment);
    }
  }

  private arrive(direction: Direction, segment: Segment): void {
    const toClient = direction === this.down;
    const toHost = toClient ? this.clientAddress.host : this.serverAddress.host;
    if (!this.fabric.isUp(toHost)) {
      this.fabric.record(`${direction.label} ${segment.kind} lost: ${toHost} is down`);
      return;
    }
    if (segment.kind === 'syn') {
      this.connect();
      return;
    }
    const to = toClient ? this.client : this.server;
    if (to === undefined) return;
    if (to.destroyed) {
      this.refuseOnClosedEnd(direction, segment);
      return;
    }
    switch (segment.kind) {
      case 'synack':
        this.connectedAt = this.fabric.clock.now();
        this.fabric.record(`#${this.id} connected`);
        to.connected();
        return;
      case 'data': {
        const kinds = direction.scanner.scan(segment.bytes);
        this.fabric.record(
          `${direction.label} ${segment.bytes.length} B${kinds.length > 0 ? ` ${kinds.join(',')}` : ''}`,
        );
        to.deliver(segment.bytes);
        return;
      }
      case 'fin':
        this.fabric.record(`${direction.label} FIN`);
        to.deliverEnd();
        return;
      case 'rst':
        this.fabric.record(`${direction.label} RST`);
        to.fail(
          segment.code,
          segment.code === 'ECONNREFUSED'
            ? `connect refused by ${describe(this.serverAddress)}`
            : 'the connection was reset',
        );
        return;
    }
  }

  /** The connect arrived at the server's host: a listener takes it, or it is refused. */
  private connect(): void {
    if (this.client.destroyed) return;
    const server = new SimulatedSocket(this, this.serverAddress, this.clientAddress, false);
    this.server = server;
    if (!this.fabric.accept(this.serverAddress, server)) {
      this.server = undefined;
      this.fabric.record(`#${this.id} refused: nothing listens at ${describe(this.serverAddress)}`);
      this.enqueue(this.down, { kind: 'rst', code: 'ECONNREFUSED' });
      return;
    }
    this.fabric.record(`#${this.id} accepted`);
    this.enqueue(this.down, { kind: 'synack' });
  }

  /** A segment reached an end that is closed: data is answered with a reset, the rest is dropped. */
  private refuseOnClosedEnd(direction: Direction, segment: Segment): void {
    if (segment.kind !== 'data') return;
    this.fabric.record(`${direction.label} ${segment.bytes.length} B lost: that end is closed`);
    const back = direction === this.up ? this.down : this.up;
    const sender = direction === this.up ? this.client : this.server;
    if (sender !== undefined && !sender.destroyed && !back.queue.some((queued) => queued.segment.kind === 'rst')) {
      this.enqueue(back, { kind: 'rst', code: 'ECONNRESET' });
    }
  }
}

function describe(address: SocketAddress): string {
  return `${address.host}:${address.port}`;
}
