import type { Socket } from 'node:net';
import { systemClock, type Clock } from '@nact-rpc/core';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import type { Association } from '../association/Association';
import { endOnceSent } from '../association/socketClosing';
import { encodeHelloReject, FRAME_HEADER_BYTES, writeLengthPrefix } from '../wire/wireFormat';
import type { ResolvedTransportOptions } from '../TransportOptions';
import type { RefusalLog } from './RefusalLog';
import type { ResolvedSecurity } from './SecurityOptions';

/** The first byte of a TLS record that opens a handshake; a nact-rpc hello never starts with it. */
const TLS_HANDSHAKE_RECORD = 0x16;

/** An accepted connection still in its TLS handshake. */
interface Handshaking {
  readonly connectedAt: number;
  readonly from: string;
  /** Counts the connection as past its opening (once). */
  readonly leaveOpening: () => void;
}

/**
 * Where accepted connections wait until they are associations, and the limits on them:
 *
 * - at most `maxConnections` accepted connections at once, and at most
 *   `maxUnauthenticatedConnections` of them not yet through their opening (TLS handshake,
 *   hello and authentication); past either, a new connection is closed at once;
 * - the first byte tells a TLS client from a plaintext one: a service that listens with TLS
 *   answers a plaintext client with a HelloReject that says so, and a plaintext service closes
 *   a TLS client's connection, each with one log line;
 * - with mutual TLS, a client whose certificate TLS could not verify (or that sent none) gets a
 *   HelloReject over TLS that says why, and the connection closes: it never reaches an
 *   association;
 * - the opening must complete within `connectTimeoutMs` of the connection: bytes arriving do not
 *   extend it.
 */
export class ConnectionGate {
  private connections = 0;
  private unauthenticated = 0;
  /** TLS connections in their handshake, by `address:port` of the client. */
  private readonly handshaking = new Map<string, Handshaking>();
  /** Runs the TLS handshakes (it listens on no port: connections are handed to it). */
  private readonly tlsServer: TlsServer | undefined;

  constructor(
    private readonly options: ResolvedTransportOptions,
    private readonly security: ResolvedSecurity,
    private readonly refusals: RefusalLog,
    /** Makes an inbound association on a connection made at `connectedAt`. */
    private readonly associate: (socket: Socket, connectedAt: number) => Association,
    private readonly clock: Clock = systemClock,
  ) {
    const tls = security.tls;
    if (tls === undefined) return;
    // Verification errors are checked in `secured`, so that the client is told why it is refused.
    this.tlsServer = createTlsServer({
      ...tls.pems,
      requestCert: tls.requireClientCertificate,
      rejectUnauthorized: false,
      handshakeTimeout: options.connectTimeoutMs,
    });
    this.tlsServer.on('secureConnection', (socket: TLSSocket) => this.secured(socket));
    this.tlsServer.on('tlsClientError', (error: Error, socket: TLSSocket) => {
      const handshaking = this.handshaking.get(keyOf(socket));
      this.refusals.refused(`Refused a TLS connection from ${handshaking?.from ?? keyOf(socket)}: ${error.message}.`);
    });
  }

  /** Test-visible: accepted connections open now, and those of them not yet through their opening. */
  counts(): { connections: number; unauthenticated: number } {
    return { connections: this.connections, unauthenticated: this.unauthenticated };
  }

  /** Takes a connection the server accepted. */
  accept(socket: Socket): void {
    const { maxConnections, maxUnauthenticatedConnections, connectTimeoutMs } = this.options;
    const from = keyOf(socket);
    if (this.connections >= maxConnections || this.unauthenticated >= maxUnauthenticatedConnections) {
      const [count, limit] =
        this.connections >= maxConnections
          ? [`${this.connections} connections are open`, 'maxConnections']
          : [`${this.unauthenticated} connections are still opening`, 'maxUnauthenticatedConnections'];
      this.refusals.refused(`Refused a connection from ${from}: ${count} (${limit}).`);
      socket.destroy();
      return;
    }
    const { clock } = this;
    const connectedAt = clock.now();
    this.connections++;
    this.unauthenticated++;
    let opening = true;
    const leaveOpening = (): void => {
      if (opening) this.unauthenticated--;
      opening = false;
    };
    const timer = clock.setTimeout(() => socket.destroy(), connectTimeoutMs);
    timer.unref();
    socket.once('close', () => {
      clock.clearTimeout(timer);
      leaveOpening();
      this.handshaking.delete(from);
      this.connections--;
    });
    // Until an association (or TLS) takes the socket, an error (a reset) just closes it.
    const beforeAssociation = (): void => {
      socket.destroy();
    };
    socket.on('error', beforeAssociation);
    socket.once('data', (chunk: Buffer) => {
      clock.clearTimeout(timer);
      socket.pause();
      socket.unshift(chunk);
      const speaksTls = chunk[0] === TLS_HANDSHAKE_RECORD;
      if (this.tlsServer === undefined) {
        if (speaksTls) {
          this.refusals.refused(
            `Refused a connection from ${from}: it speaks TLS, and this service listens without TLS.`,
          );
          socket.destroy();
          return;
        }
        socket.off('error', beforeAssociation);
        this.associate(socket, connectedAt).whenOpen().then(leaveOpening, leaveOpening);
        socket.resume();
      } else if (!speaksTls) {
        const reason = 'this service listens with TLS only: address it with the nact-rpcs:// scheme';
        this.refusals.refused(`Refused a plaintext connection from ${from}: ${reason}.`);
        refuse(socket, reason, connectTimeoutMs, clock);
      } else {
        this.handshaking.set(from, { connectedAt, from, leaveOpening });
        // TLS takes the socket over, with the chunk put back into it.
        this.tlsServer.emit('connection', socket);
      }
    });
  }

  /** A TLS handshake completed: the client is refused if mutual TLS could not verify it. */
  private secured(socket: TLSSocket): void {
    const key = keyOf(socket);
    const handshaking = this.handshaking.get(key);
    this.handshaking.delete(key);
    if (handshaking === undefined) {
      socket.destroy();
      return;
    }
    if (this.security.tls?.requireClientCertificate === true && !socket.authorized) {
      // TLS reports a missing certificate as an unknown issuer: say what happened.
      const presented = Object.keys(socket.getPeerCertificate()).length > 0;
      const why = presented ? String(socket.authorizationError) : 'it presented none';
      this.refusals.refused(`Refused a TLS connection from ${handshaking.from}: its client certificate: ${why}.`);
      refuse(
        socket,
        `this service requires a client certificate from a CA it trusts (${why})`,
        this.options.connectTimeoutMs,
        this.clock,
      );
      return;
    }
    this.associate(socket, handshaking.connectedAt).whenOpen().then(handshaking.leaveOpening, handshaking.leaveOpening);
  }
}

/** The remote end of a connection, `address:port`: what the gate knows a connection by. */
function keyOf(socket: Socket): string {
  return `${socket.remoteAddress}:${socket.remotePort}`;
}

/** Tells the client why it is refused (a HelloReject, outside any association) and closes once it is sent. */
function refuse(socket: Socket, reason: string, destroyAfterMs: number, clock: Clock): void {
  const payload = encodeHelloReject(reason);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  writeLengthPrefix(frame, 0, payload.length);
  payload.copy(frame, FRAME_HEADER_BYTES);
  socket.write(frame);
  endOnceSent(socket, destroyAfterMs, clock);
}
