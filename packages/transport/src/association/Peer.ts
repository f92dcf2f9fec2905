import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { RpcConnectionError, type ClockTimer } from '@nact-rpc/core';
import { runtimeImmediate } from '@nact-rpc/core/internal';
import { TellLosses, type TellLossReason } from '../TellLosses';
import { PeerUnreachable } from './PeerUnreachable';
import type { ResolvedTransportOptions } from '../TransportOptions';
import type { TransportHost } from '../TransportHost';
import type { Network } from '../network/Network';
import { tcpNetwork } from '../network/tcpNetwork';
import type { Association } from './Association';

/** A message waiting to be sent to a peer. */
export interface OutboundMessage {
  /** The ask's call id, or 0 for a tell. */
  readonly callId: number;
  /** What is sent, for log messages: `Protocol.method` or `handshake Protocol`. */
  readonly target: string;
  /** Writes the message on an open association. */
  send(association: Association): void;
  /**
   * Called instead of `send` when the message cannot be sent: `error` for the caller of an ask,
   * `reason` for a log line that names the message and its recipient already
   * (`Dropped tell P.m to <address>: <reason>`), `loss` to count a tell (see {@link TellLosses}).
   */
  fail(error: Error, reason: string, loss: TellLossReason): void;
}

/**
 * Another service, known by its address: it owns the association to it, opens it on first
 * use, keeps messages in a bounded queue while it opens, and opens it again after a loss.
 * Failed attempts back off: the next attempt waits twice as long, up to a maximum.
 */
export class Peer {
  private association: Association | undefined;
  private connecting = false;
  private queue: OutboundMessage[] = [];
  private backoffMs = 0;
  private nextAttemptAt = 0;
  private retryTimer: ClockTimer | undefined;
  private closed = false;
  /** Set while the peer is known unreachable: calls fail at once (see {@link PeerUnreachable}). */
  private unreachable: PeerUnreachable | undefined;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly transportHost: TransportHost,
    private readonly options: ResolvedTransportOptions,
    /** Opens an outbound association on a connected socket. */
    private readonly openAssociation: (socket: Socket) => Association,
    /** Where the tells this peer could not deliver are counted and logged, once per burst. */
    readonly tellLosses: TellLosses = new TellLosses(transportHost.logger, undefined, transportHost.clock),
    /** TLS, for a peer at a `nact-rpcs` address: the context of this side's key, certificate and CAs, if configured. */
    private readonly tls: { readonly context: SecureContext | undefined } | undefined = undefined,
    /** Where the connection is made; default the machine's TCP. */
    private readonly network: Network = tcpNetwork,
  ) {}

  /** A readable name of the peer, for messages. */
  describe(): string {
    return this.tls === undefined ? `${this.host}:${this.port}` : `${this.host}:${this.port} (TLS)`;
  }

  /** The open association, if there is one. */
  current(): Association | undefined {
    return this.association?.isUsable() === true ? this.association : undefined;
  }

  /** Sends `message` now if the association is open; otherwise queues it and opens one. */
  send(message: OutboundMessage): void {
    const association = this.current();
    if (association !== undefined) {
      message.send(association);
      return;
    }
    if (this.closed) {
      const reason = 'this service is closed.';
      const error = new RpcConnectionError(`Cannot send ${message.target} to ${this.describe()}: ${reason}`);
      message.fail(error, reason, 'serviceClosed');
      return;
    }
    if (this.unreachable !== undefined) {
      const now = this.transportHost.clock.now();
      const nextAttemptIn = this.connecting ? 0 : Math.max(0, this.nextAttemptAt - now);
      const { error, reason } = this.unreachable.errorFor(message.target, this.describe(), now, nextAttemptIn);
      failSoon(message, error, reason, 'notConnected');
      this.ensureConnecting();
      return;
    }
    if (this.queue.length >= this.options.maxQueuedMessages) {
      const reason = `${this.queue.length} messages already wait for the connection to ${this.describe()} to open (maxQueuedMessages).`;
      failSoon(message, new RpcConnectionError(`Cannot send ${message.target}: ${reason}`), reason, 'queueFull');
      return;
    }
    this.queue.push(message);
    this.ensureConnecting();
  }

  /**
   * Uses an open association with this peer (one it opened, or one this side opened), so
   * that there is one per pair of services; see {@link chooseAssociation}. An association
   * with an earlier incarnation of the peer (it restarted) is closed at once, failing the asks
   * in flight on it; one that loses the tie-break retires.
   */
  adopt(association: Association): void {
    if (this.closed || !association.isUsable()) return;
    const existing = this.current();
    if (existing === association) return;
    if (existing !== undefined) {
      const { keep, drop, restarted } = chooseAssociation(existing, association, this.transportHost.incarnation);
      // Kept first, so that the peer is never without an association while the other ends.
      this.association = keep;
      if (restarted) {
        const incarnation = association.getPeer()?.incarnation ?? '?';
        drop.close(`${existing.describePeer()} restarted (new incarnation ${incarnation})`, false);
      } else {
        drop.retire(`replaced by the other connection between the same two services`);
      }
      if (keep !== association) return;
    }
    this.association = association;
    this.flushQueue(association);
  }

  /**
   * Called when an association of this peer closes or retires; `lost` says why, if it closed
   * without a goodbye (the peer is then unreachable until a connection opens again).
   */
  associationClosed(association: Association, lost?: string): void {
    if (this.association !== association) return;
    this.association = undefined;
    if (lost === undefined || this.closed) return;
    this.unreachable = PeerUnreachable.lost(this.describe(), lost, this.transportHost.clock.now());
    // The first attempt may start at once: a crashed peer may be back already.
    this.backoffMs = 0;
    this.nextAttemptAt = 0;
  }

  /** Stops opening associations and fails what is queued. */
  close(): void {
    this.closed = true;
    this.transportHost.clock.clearTimeout(this.retryTimer);
    this.failQueue(new RpcConnectionError(`Cannot reach ${this.describe()}: this service is closed.`), 'serviceClosed');
  }

  private ensureConnecting(): void {
    if (this.connecting || this.retryTimer !== undefined) return;
    const { clock } = this.transportHost;
    const wait = this.nextAttemptAt - clock.now();
    if (wait > 0) {
      this.retryTimer = clock.setTimeout(() => {
        this.retryTimer = undefined;
        this.ensureConnecting();
      }, wait);
      return;
    }
    this.connecting = true;
    this.connect().then(
      (association) => {
        this.connecting = false;
        if (this.closed) {
          // The service closed while this connection opened: it is not kept (nobody would close it).
          association.close('this service is closed', true);
          return;
        }
        this.backoffMs = 0;
        this.nextAttemptAt = 0;
        this.unreachable = undefined;
        this.adopt(association);
        // If it lost the tie-break, the queue went to the winner already.
        const current = this.current();
        if (current !== undefined) this.flushQueue(current);
        else {
          const error = new RpcConnectionError(`The connection to ${this.describe()} closed as it opened.`);
          this.failQueue(error, 'notConnected');
        }
      },
      (error: Error) => {
        this.connecting = false;
        this.backoffMs = Math.min(
          this.backoffMs === 0 ? this.options.reconnectBackoffMs : this.backoffMs * 2,
          this.options.maxReconnectBackoffMs,
        );
        const now = this.transportHost.clock.now();
        this.nextAttemptAt = now + this.backoffMs;
        const cause =
          error instanceof RpcConnectionError ? error : new RpcConnectionError(error.message, { cause: error });
        this.unreachable = new PeerUnreachable(cause, now);
        // The error names the peer already: "Could not connect to the service at host:port: …".
        this.transportHost.logger.info(`${error.message}. The next attempt waits ${this.backoffMs} ms.`);
        this.failQueueUnreachable(error);
      },
    );
  }

  /** Opens a TCP connection and an association on it, within the connect timeout. */
  private connect(): Promise<Association> {
    const { clock } = this.transportHost;
    return new Promise<Association>((resolve, reject) => {
      const socket = this.dial();
      let association: Association | undefined;
      const fail = (reason: string): void => {
        clock.clearTimeout(timer);
        socket.destroy();
        reject(new RpcConnectionError(`Could not connect to the service at ${this.describe()}: ${reason}`));
      };
      const timer = clock.setTimeout(
        () => fail(`no association within ${this.options.connectTimeoutMs} ms (connectTimeoutMs)`),
        this.options.connectTimeoutMs,
      );
      socket.once('error', (error) => {
        if (association === undefined) fail(this.explain(error));
      });
      socket.once(this.tls === undefined ? 'connect' : 'secureConnect', () => {
        const opened = this.openAssociation(socket);
        association = opened;
        opened.whenOpen().then(
          () => {
            clock.clearTimeout(timer);
            resolve(opened);
          },
          (error: RpcConnectionError) => fail(error.message),
        );
      });
    });
  }

  /** A socket connecting to the peer: TLS for a `nact-rpcs` address (with the host's name checked), TCP otherwise. */
  private dial(): Socket {
    const tls = this.tls === undefined ? undefined : { secureContext: this.tls.context };
    return this.network.connect({ host: this.host, port: this.port, tls });
  }

  /** The reason a connection failed; a TLS failure says what it may mean. */
  private explain(error: Error): string {
    if (this.tls === undefined) return error.message;
    return (
      `TLS: ${error.message} (a nact-rpcs:// address is for a service that listens with TLS, and whose ` +
      `certificate is trusted by this side's security.tls.ca and names that host)`
    );
  }

  private flushQueue(association: Association): void {
    const queue = this.queue;
    this.queue = [];
    const { pendingCalls } = this.transportHost;
    for (const message of queue) {
      // An ask that timed out while it waited is not sent: nobody would get its answer.
      if (message.callId !== 0 && !pendingCalls.has(message.callId)) continue;
      message.send(association);
    }
  }

  /** Fails what waited for an attempt that failed with `cause`: each with `RecipientUnreachableError`. */
  private failQueueUnreachable(cause: Error): void {
    const queue = this.queue;
    this.queue = [];
    for (const message of queue)
      message.fail(PeerUnreachable.attemptFailed(message.target, cause), cause.message, 'notConnected');
  }

  private failQueue(error: Error, loss: TellLossReason): void {
    const queue = this.queue;
    this.queue = [];
    for (const message of queue) message.fail(error, error.message, loss);
  }
}

/**
 * Which of two open associations with the same peer to keep. If they reach different
 * incarnations, the peer restarted: the newer one is kept. Otherwise (two services connected
 * to each other at the same moment) both sides keep the connection opened by the service
 * whose incarnation is the smaller, so both compute the same answer from the hellos alone.
 */
export function chooseAssociation(
  existing: Association,
  candidate: Association,
  localIncarnation: string,
): { keep: Association; drop: Association; restarted: boolean } {
  const existingPeer = existing.getPeer()?.incarnation;
  const candidatePeer = candidate.getPeer()?.incarnation;
  if (existingPeer !== candidatePeer) return { keep: candidate, drop: existing, restarted: true };
  const opener = (association: Association): string =>
    association.role === 'outbound' ? localIncarnation : (association.getPeer()?.incarnation ?? '');
  const candidateWins = opener(candidate) < opener(existing);
  return candidateWins
    ? { keep: candidate, drop: existing, restarted: false }
    : { keep: existing, drop: candidate, restarted: false };
}

/**
 * Fails `message` in the check phase of this turn of the event loop, not at once: a call that
 * may succeed later (the peer unreachable for now, the queue full while a connection opens)
 * must not fail within the turn it was made in. A caller that retries in a loop would
 * otherwise fail and retry in microtasks alone, never letting the event loop turn, so the
 * connection attempt that would end its failures could never make progress.
 */
function failSoon(message: OutboundMessage, error: Error, reason: string, loss: TellLossReason): void {
  runtimeImmediate(() => message.fail(error, reason, loss));
}
