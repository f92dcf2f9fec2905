import type { Socket } from 'node:net';
import { isLoopbackAddress } from '../isLoopbackAddress';
import type { HelloBody } from '../wire/WireMessage';
import type { PeerIdentity } from './AssociationOpening';

/**
 * What an association knows of the service at the other end of its connection: where it
 * connects from, whether the connection is TLS, and, once the hello exchange is done, what the
 * peer said about itself (its hello) and what it proved (its identity).
 */
export class ConnectedPeer {
  private hello: HelloBody | undefined;
  private identity: PeerIdentity = { proof: 'none', certificate: undefined };
  private loopback: boolean | undefined;

  /**
   * @param socket - The association's connection.
   * @param ownMaxFrameSize - This side's largest frame: the peer's is never taken above it.
   */
  constructor(
    private readonly socket: Socket,
    private readonly ownMaxFrameSize: number,
  ) {}

  /** Records what the peer said and proved once the hello exchange is done. */
  opened(hello: HelloBody, identity: PeerIdentity): void {
    this.hello = hello;
    this.identity = identity;
  }

  /** The peer's hello, once the association is open. */
  getHello(): HelloBody | undefined {
    return this.hello;
  }

  /** What the peer proved about itself when the association opened (`none` before). */
  getIdentity(): PeerIdentity {
    return this.identity;
  }

  /** A readable name of the peer, for messages: its service and address, or the socket's. */
  describe(): string {
    const { hello, socket } = this;
    if (hello === undefined) return `${socket.remoteAddress}:${socket.remotePort}`;
    const at = hello.address === undefined ? '' : ` at ${hello.address.host}:${hello.address.port}`;
    return `service ${hello.serviceName}${at}`;
  }

  /** Whether the peer is connected over a loopback address (it runs on this machine). */
  isLoopback(): boolean {
    // Asked for every request served: the peer's address does not change once connected.
    if (this.loopback !== undefined) return this.loopback;
    const address = this.socket.remoteAddress;
    const loopback = isLoopbackAddress(address);
    if (address !== undefined) this.loopback = loopback;
    return loopback;
  }

  /** Whether the connection is TLS. */
  isEncrypted(): boolean {
    return (this.socket as { encrypted?: boolean }).encrypted === true;
  }

  /** The largest frame the peer accepts (this side's own maximum until the peer has said). */
  maxFrameSize(): number {
    return Math.min(this.hello?.maxFrameSize ?? this.ownMaxFrameSize, this.ownMaxFrameSize);
  }
}
