import type { RpcEndpoint } from '../endpoint/RpcEndpoint';
import type { FencingToken } from '../endpoint/FencingToken';
import type { Logger } from '../log/Logger';
import type { Clock } from '../scheduling/Clock';
import type { AnyProtocol } from '../protocol/Protocol';
import type { FencedGatewayOf, GatewayOf } from '../protocol/types';
import type { RpcServer } from './RpcServer';
import type { ScheduledTask } from './ScheduledTask';

/** Options of a fenced `connect`. */
export interface FencedConnectOptions<TToken extends FencingToken> {
  /** The token every call of the gateway carries. */
  readonly fencingToken: TToken;
}

/**
 * The runtime endpoints live in: it starts their servers, connects gateways to endpoints by
 * address, runs service-level work and shuts everything down. `NactRpcService` is the
 * nact-backed implementation.
 */
export interface RpcService {
  /** The host this service is reachable at, or `''` for a local-only service. */
  getAddress(): string;
  /** The port this service is reachable at, or `-1` for a local-only service. */
  getPort(): number;
  /** The logger the service and its endpoints write to. */
  getLogger(): Logger;
  /**
   * The clock the service reads the time from and sets its timers on (its `clock` option).
   * Endpoint code that reads the time through it runs on a test's virtual time too.
   */
  getClock(): Clock;
  /**
   * Creates the server of an endpoint; called by the `RpcEndpoint` constructor.
   * @throws RpcInvalidStateError if the service is closed or the endpoint id is taken.
   */
  startServer(endpoint: RpcEndpoint): RpcServer;
  /** Terminates the endpoint behind `server`; returns its termination future. */
  stopServer(server: RpcServer): Promise<void>;
  /**
   * Connects to the endpoint at `address`: resolves the address, performs the handshake and
   * returns a typed gateway.
   * @throws RpcConnectionError (as a rejection) if the address is malformed or unknown;
   *   HandshakeError if the endpoint does not serve `protocol` or is fenced.
   */
  connect<TProtocol extends AnyProtocol>(address: string, protocol: TProtocol): Promise<GatewayOf<TProtocol>>;
  /** Connects a fenced gateway whose calls carry `options.fencingToken`. */
  connect<TProtocol extends AnyProtocol, TToken extends FencingToken>(
    address: string,
    protocol: TProtocol,
    options: FencedConnectOptions<TToken>,
  ): Promise<FencedGatewayOf<TProtocol, TToken>>;
  /** Runs `fn` soon, outside any endpoint's main thread. Errors it throws are logged. */
  execute(fn: () => unknown): void;
  /**
   * Runs `fn` after `delayMs`, outside any endpoint's main thread; the task's `result` gives
   * what it returned.
   */
  scheduleRunnable<TResult>(fn: () => TResult | PromiseLike<TResult>, delayMs: number): ScheduledTask<TResult>;
  /**
   * Runs `fn` after `initialDelayMs`, then every `periodMs` counted from there, outside any
   * endpoint's main thread (the service's scheduled executor, as an endpoint's main thread
   * executor does in its main thread; see `MainThreadExecutor.scheduleAtFixedRate`).
   */
  scheduleAtFixedRate(fn: () => unknown, initialDelayMs: number, periodMs: number): ScheduledTask<never>;
  /**
   * Runs `fn` after `initialDelayMs`, then again `delayMs` after each run ends, outside any
   * endpoint's main thread (see `MainThreadExecutor.scheduleWithFixedDelay`).
   */
  scheduleWithFixedDelay(fn: () => unknown, initialDelayMs: number, delayMs: number): ScheduledTask<never>;
  /**
   * Terminates every endpoint (awaiting their `onStop`), fails every call still pending and
   * releases the runtime. Rejects if an endpoint's `onStop` failed, after everything is closed.
   */
  closeAsync(): Promise<void>;
  /** Settles when the service has closed. */
  getTerminationFuture(): Promise<void>;
  /** {@link closeAsync}, for `await using`: the service closes when the block that declared it ends. */
  [Symbol.asyncDispose](): Promise<void>;
}
