import type { Socket } from 'node:net';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { FrameWriter } from '../framing/FrameWriter';
import { certificateNames, checkCertificateNames } from '../security/certificateNames';
import { newNonce, SecretProof } from '../security/SecretProof';
import type { ResolvedSecurity } from '../security/SecurityOptions';
import { encodeAuth, encodeHello, encodeHelloReject } from '../wire/wireFormat';
import { WireKind, type HelloBody, type WireMessage } from '../wire/WireMessage';
import type { AssociationSetup } from './AssociationSetup';
import { checkHello } from './checkHello';

/** What a peer proved about itself when its association opened. */
export interface PeerIdentity {
  /**
   * How it proved it: `'secret'` (the shared secret), `'certificate'` (a TLS certificate from
   * a trusted CA that names the service it says it is), or `'none'` (it proved nothing: only
   * its hello says who it is).
   */
  readonly proof: 'secret' | 'certificate' | 'none';
  /** Its TLS certificate, if it presented one that TLS verified. */
  readonly certificate: PeerCertificate | undefined;
}

/** What an {@link AssociationOpening} reports to its association. */
export interface OpeningEvents {
  /** The peer is accepted: requests may flow. */
  opened(peer: HelloBody, identity: PeerIdentity): void;
  /**
   * The opening failed for `reason`: this side refused the peer, or (`byPeer`) the peer refused
   * this side with a HelloReject. The connection is to be cut.
   */
  refused(reason: string, byPeer: boolean): void;
}

/** The step the opening waits for. */
type Step = 'hello' | 'accept' | 'serverProof' | 'clientProof' | 'done';

/**
 * The opening of an association: the hello exchange and, if configured, authentication.
 *
 * 1. The connecting side sends Hello; the accepting side checks it (see {@link checkHello})
 *    and answers HelloAccept, or HelloReject with the reason and closes.
 * 2. With a shared secret, both hellos carry a fresh nonce and `auth: 'secret'`; the accepting
 *    side sends its proof (an Auth frame) right after HelloAccept, and the connecting side,
 *    once that proof checks out, sends its own. The accepting side takes no request before
 *    the connecting side's proof (see {@link SecretProof}).
 * 3. Over TLS, a peer that presented a verified certificate must be named by it.
 *
 * Anything else that arrives before the opening completes is a protocol error.
 */
export class AssociationOpening {
  private step: Step;
  private readonly localHello: HelloBody;
  private sentHello: Uint8Array | undefined;
  private peerHello: { body: HelloBody; payload: Uint8Array } | undefined;
  private proof: SecretProof | undefined;
  private readonly security: ResolvedSecurity | undefined;
  private readonly validatePeer: (peer: HelloBody) => string | undefined;

  constructor(
    private readonly role: 'outbound' | 'inbound',
    private readonly socket: Socket,
    private readonly writer: FrameWriter,
    setup: Pick<AssociationSetup, 'localHello' | 'security' | 'validatePeer'>,
    private readonly events: OpeningEvents,
  ) {
    const { localHello, security } = setup;
    this.security = security;
    this.validatePeer = setup.validatePeer ?? (() => undefined);
    this.localHello =
      security?.secret === undefined ? localHello : { ...localHello, auth: 'secret', nonce: newNonce() };
    this.step = role === 'outbound' ? 'accept' : 'hello';
  }

  /** Sends the connecting side's Hello. */
  start(): void {
    if (this.role === 'outbound') this.sendHello(WireKind.Hello);
  }

  /** Whether the opening has completed (or failed). */
  get done(): boolean {
    return this.step === 'done';
  }

  /**
   * Takes a frame that arrived while the association opens.
   * @param payload - The frame's payload as received (the transcript of the secret proof).
   */
  receive(message: WireMessage, payload: Uint8Array): void {
    if (message.kind === WireKind.HelloReject) {
      this.step = 'done';
      this.events.refused(message.reason, true);
      return;
    }
    switch (this.step) {
      case 'hello':
      case 'accept': {
        const expected = this.step === 'hello' ? WireKind.Hello : WireKind.HelloAccept;
        if (message.kind !== expected) throw new Error(`expected a hello, got frame kind ${message.kind}`);
        this.hello(message.body, payload);
        return;
      }
      case 'serverProof':
      case 'clientProof': {
        if (message.kind !== WireKind.Auth) throw new Error(`expected an Auth frame, got frame kind ${message.kind}`);
        const role = this.step === 'serverProof' ? 'server' : 'client';
        if (this.proof?.verify(role, message.proof) !== true) {
          this.refuse('authentication failed: the peer did not prove the shared secret');
          return;
        }
        if (role === 'server') this.writer.write(encodeAuth(this.proof.proof('client')));
        this.open('secret');
        return;
      }
      default:
        throw new Error(`unexpected frame kind ${message.kind} while the association opens`);
    }
  }

  /**
   * Refuses the peer: it is told why with a HelloReject before the connection is cut (either
   * side may refuse while the association opens). Used for protocol errors during the opening
   * too, so a malformed hello is answered.
   */
  refuse(reason: string): void {
    if (this.step === 'done') return;
    this.step = 'done';
    this.writer.write(encodeHelloReject(reason));
    this.writer.flush();
    this.events.refused(reason, false);
  }

  private hello(body: HelloBody, payload: Uint8Array): void {
    const reason =
      checkHello(body, this.localHello, this.validatePeer) ?? this.checkAuth(body) ?? this.checkCertificate(body);
    if (reason !== undefined) {
      this.refuse(reason);
      return;
    }
    this.peerHello = { body, payload };
    if (this.role === 'inbound') this.sendHello(WireKind.HelloAccept);
    const secret = this.security?.secret;
    if (secret === undefined) {
      this.open(this.certificate() === undefined ? 'none' : 'certificate');
      return;
    }
    const [client, server] = this.role === 'outbound' ? [this.sentHello, payload] : [payload, this.sentHello];
    this.proof = new SecretProof(secret, client as Uint8Array, server as Uint8Array);
    if (this.role === 'inbound') {
      this.writer.write(encodeAuth(this.proof.proof('server')));
      this.step = 'clientProof';
    } else {
      this.step = 'serverProof';
    }
  }

  private sendHello(kind: typeof WireKind.Hello | typeof WireKind.HelloAccept): void {
    const payload = encodeHello(kind, this.localHello);
    this.sentHello = payload;
    this.writer.write(payload);
  }

  /** Both sides authenticate with the shared secret, or neither does. */
  private checkAuth(peer: HelloBody): string | undefined {
    const local = this.security?.secret !== undefined;
    const remote = peer.auth === 'secret';
    if (local && !remote) return 'this side requires the shared secret (security.sharedSecret), and the peer has none';
    if (!local && remote) return 'the peer authenticates with a shared secret, and this side has none configured';
    return undefined;
  }

  /** A peer that presented a verified certificate must be named by it. */
  private checkCertificate(peer: HelloBody): string | undefined {
    const certificate = this.certificate();
    return certificate === undefined
      ? undefined
      : checkCertificateNames(peer.serviceName, certificateNames(certificate));
  }

  /** The peer's certificate, if the connection is TLS and TLS verified it. */
  private certificate(): PeerCertificate | undefined {
    const tls = this.socket as Partial<TLSSocket>;
    if (tls.encrypted !== true || tls.getPeerCertificate === undefined) return undefined;
    if (tls.authorized !== true) return undefined;
    const certificate = tls.getPeerCertificate();
    return certificate === null || Object.keys(certificate).length === 0 ? undefined : certificate;
  }

  private open(proof: PeerIdentity['proof']): void {
    this.step = 'done';
    const peer = this.peerHello as { body: HelloBody };
    this.events.opened(peer.body, { proof, certificate: this.certificate() });
  }
}
