import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';

/** What {@link Network.listen} is asked to do. */
export interface NetworkListenOptions {
  /** The interface (host) to bind. */
  readonly host: string;
  /** The port to bind; 0 for any free port. */
  readonly port: number;
  /** Takes each connection accepted. */
  readonly onConnection: (socket: Socket) => void;
  /** Told when the listening socket fails after it was bound (it is logged, not thrown). */
  readonly onError: (error: Error) => void;
}

/** Where a transport listens, once {@link Network.listen} bound it. */
export interface NetworkListener {
  /** The port bound (the one chosen, when 0 was asked for). */
  readonly port: number;
  /** Stops accepting connections; resolves once the listener is closed. Open connections stay open. */
  close(): Promise<void>;
}

/** What {@link Network.connect} is asked to do. */
export interface NetworkConnectOptions {
  /** The host to connect to. */
  readonly host: string;
  /** The port to connect to. */
  readonly port: number;
  /**
   * Set to connect with TLS (a `nact-rpcs` address): the context of this side's key,
   * certificate and CAs, if configured. The server's certificate is checked against `host`.
   */
  readonly tls?:
    | {
        /** This side's TLS context; `undefined` if this side has no TLS configured (Node's default context). */
        readonly secureContext: SecureContext | undefined;
      }
    | undefined;
}

/**
 * Where a transport's connections come from: the two points where sockets are made. The
 * default, `tcpNetwork`, is the machine's TCP (and TLS). A test can give a service
 * another network (the simulated network of `@nact-rpc/testing`), and the transport runs
 * through its associations, framing, heartbeats and reconnection as over TCP.
 *
 * A network's sockets are `net.Socket`s as far as the transport uses them: `write`, `cork`,
 * `uncork`, `end`, `destroy`, `pause`, `resume`, `unshift`, `setNoDelay`, `writableLength`,
 * `destroyed`, `closed`, `remoteAddress` and `remotePort`, and the events `'connect'`,
 * `'data'`, `'end'`, `'close'` and `'error'`.
 */
export interface Network {
  /** A readable name of the network, for messages. */
  readonly name: string;
  /** Whether it carries TLS connections; a service configured with TLS is refused a network that does not. */
  readonly supportsTls: boolean;
  /**
   * Binds `host:port` and hands each connection accepted to `onConnection`.
   * @throws (as a rejection) the failure to bind; a port in use is an error whose `code` is
   *   `'EADDRINUSE'` (the transport then tries the next port of a range).
   */
  listen(options: NetworkListenOptions): Promise<NetworkListener>;
  /**
   * Starts a connection to `host:port`. The socket emits `'connect'` (`'secureConnect'` with
   * TLS) once connected, or `'error'` if it could not be.
   * @throws an `RpcConnectionError` if the network cannot make such a connection at all (TLS
   *   on a network without it).
   */
  connect(options: NetworkConnectOptions): Socket;
}
