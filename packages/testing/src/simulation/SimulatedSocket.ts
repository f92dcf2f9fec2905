import { Duplex } from 'node:stream';

/** One end of a simulated connection: a host and a port. */
export interface SocketAddress {
  /** The host's name in the simulated network. */
  readonly host: string;
  /** The port. */
  readonly port: number;
}

/**
 * How a {@link SimulatedSocket} closed: `'graceful'` after it had ended its writing side,
 * `'abort'` before (the other end is reset), `'reset'` because the network reset it.
 */
export type SocketCloseKind = 'graceful' | 'abort' | 'reset';

/** Where a {@link SimulatedSocket} sends what it writes: its connection in the simulated network. */
export interface SocketLink {
  /** The socket wrote `bytes` (its own copy). */
  send(from: SimulatedSocket, bytes: Buffer): void;
  /** The socket ended its writing side (a FIN, after what it wrote). */
  finish(from: SimulatedSocket): void;
  /**
   * The socket was destroyed: `'graceful'` after it had ended its writing side, `'abort'`
   * before (the other end is reset), `'reset'` because the network reset it.
   */
  closed(from: SimulatedSocket, how: SocketCloseKind): void;
}

/**
 * One end of a connection of the simulated network, made to behave like a `net.Socket` as far
 * as the transport uses it. It is a `Duplex` stream, so writing, corking, pausing, `unshift`,
 * half-closing and the `'data'`, `'end'`, `'close'` and `'error'` events behave as a socket's;
 * what it writes goes to its connection, which delivers it to the other end on the virtual
 * clock. Like a socket, it ends its writing side when the other end has ended (no half-open
 * connections) and closes once both sides have ended.
 *
 * What it writes is handed to the network at once, so `writableLength` stays 0: the network's
 * buffers are unbounded, as a kernel's are large. `destroy()` before `end()` is abortive: what
 * the network has not delivered yet is lost and the other end gets a reset (`ECONNRESET`).
 */
export class SimulatedSocket extends Duplex {
  /** The other end's host, as a socket's remote address. */
  readonly remoteAddress: string;
  /** The other end's port, as a socket's remote port. */
  readonly remotePort: number;
  /** This end's host, as a socket's local address. */
  readonly localAddress: string;
  /** This end's port, as a socket's local port. */
  readonly localPort: number;
  /** The address family a socket would report; here always `'simulated'`. */
  readonly remoteFamily = 'simulated';
  /** Whether the connection is still being made (the client end, until `'connect'`). */
  connecting: boolean;
  private resetByPeer = false;

  constructor(
    private readonly link: SocketLink,
    local: SocketAddress,
    remote: SocketAddress,
    connecting: boolean,
  ) {
    super({ allowHalfOpen: false });
    this.localAddress = local.host;
    this.localPort = local.port;
    this.remoteAddress = remote.host;
    this.remotePort = remote.port;
    this.connecting = connecting;
  }

  /** As a socket's: nothing to do, the simulated network has no Nagle delay. */
  setNoDelay(): this {
    return this;
  }

  /** As a socket's: nothing to do. */
  setKeepAlive(): this {
    return this;
  }

  /** A simulated socket keeps nothing alive: nothing to do. */
  ref(): this {
    return this;
  }

  /** A simulated socket keeps nothing alive: nothing to do. */
  unref(): this {
    return this;
  }

  /** The local end, as a socket's `address()`. */
  address(): {
    /** This end's host. */
    address: string;
    /** This end's port. */
    port: number;
    /** Always `'simulated'`. */
    family: string;
  } {
    return { address: this.localAddress, port: this.localPort, family: this.remoteFamily };
  }

  /** Called by the network: the connection is made. */
  connected(): void {
    if (this.destroyed) return;
    this.connecting = false;
    this.emit('connect');
  }

  /** Called by the network: bytes arrived. */
  deliver(bytes: Buffer): void {
    if (!this.destroyed) this.push(bytes);
  }

  /** Called by the network: the other end ended its writing side. */
  deliverEnd(): void {
    if (!this.destroyed) this.push(null);
  }

  /** Called by the network: the connection was reset or refused; the socket fails with `code`. */
  fail(code: string, message: string): void {
    if (this.destroyed) return;
    this.resetByPeer = true;
    this.destroy(Object.assign(new Error(`${message} (${code})`), { code }));
  }

  /** The stream's read hook: nothing to do, bytes are pushed as the network delivers them. */
  override _read(): void {
    // Bytes are pushed as the network delivers them.
  }

  /** The stream's write hook: hands a copy of `chunk` to the connection. */
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.link.send(this, Buffer.from(chunk));
    callback();
  }

  /** The stream's batch write hook: a corked batch goes to the connection as one segment. */
  override _writev(
    chunks: { chunk: Buffer; encoding: BufferEncoding }[],
    callback: (error?: Error | null) => void,
  ): void {
    // A corked batch leaves in one segment, as a socket's writev does.
    this.link.send(this, Buffer.concat(chunks.map(({ chunk }) => chunk)));
    callback();
  }

  /** The stream's end hook: tells the connection that this end ended its writing side. */
  override _final(callback: (error?: Error | null) => void): void {
    this.link.finish(this);
    callback();
  }

  /** The stream's destroy hook: tells the connection how this end closed ({@link SocketCloseKind}). */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.link.closed(this, this.resetByPeer ? 'reset' : this.writableFinished ? 'graceful' : 'abort');
    callback(error);
  }
}
