import { randomUUID } from 'node:crypto';
import type { CallContext } from '../calls/CallContext';
import { currentCallContext } from '../calls/servedCall';
import { NAME_PATTERN } from '../address/RpcAddress';
import { RpcInvalidOptionError } from '../errors/RpcInvalidOptionError';
import { RpcInvalidStateError } from '../errors/RpcInvalidStateError';
import type { Logger } from '../log/Logger';
import type { AnyProtocol } from '../protocol/Protocol';
import type { GatewayOf } from '../protocol/types';
import type { RpcServer, SelfFencing } from '../service/RpcServer';
import type { RpcService } from '../service/RpcService';
import type { ScheduledTask } from '../service/ScheduledTask';
import { ENDPOINT_HOOKS, type EndpointHooks, type HasEndpointHooks } from './endpointHooks';
import type { FencingToken } from './FencingToken';
import type { MainThreadExecutor } from './MainThreadExecutor';
import { servedProtocols } from './serves';

/**
 * The base class of every component that serves RPCs. Declare the protocols a subclass
 * serves with the `@serves(...)` decorator and implement their methods as ordinary methods.
 *
 * **Main thread.** Every RPC, and every function given to `runAsync`, `callAsync` and
 * `scheduleRunAsync`, runs in the endpoint's main thread: one at a time, in the order the
 * messages arrived, in the endpoint's actor. State touched only from the main thread needs
 * no further synchronisation.
 *
 * IMPORTANT: a turn ends at the first `await`. An RPC method that returns a promise does not
 * hold the mailbox while the promise is pending (its caller is answered when it settles), so
 * code after an `await` runs outside the main thread, interleaved with later messages. To
 * touch the endpoint's state after an `await`, go back through `runAsync` or the main thread
 * executor.
 *
 * **Lifecycle.** The constructor registers the endpoint with its service; the endpoint only
 * answers handshakes until `start()`, which calls `onStart()`. `closeAsync()` calls `onStop()`
 * (awaited; RPCs are still served meanwhile) and then terminates the endpoint for good.
 * `stop()` pauses message processing without terminating; a later `start()` calls `onStart()`
 * again.
 *
 * @example
 * ```ts
 * @serves(HelloProtocol)
 * class HelloEndpoint extends RpcEndpoint {
 *   hello(): string { return 'hello'; }
 * }
 * const endpoint = new HelloEndpoint(service);
 * await endpoint.start();
 * await endpoint.getSelfGateway(HelloProtocol).hello(); // 'hello'
 * ```
 */
export abstract class RpcEndpoint implements HasEndpointHooks {
  /** The service this endpoint is registered with. */
  protected readonly rpcService: RpcService;
  /** The runtime's side of this endpoint. */
  protected readonly rpcServer: RpcServer;
  /** The service's logger. */
  protected readonly log: Logger;
  private readonly endpointId: string;
  private running = false;

  /**
   * Registers the endpoint with `rpcService`.
   *
   * @param endpointId - A unique id within the service, used in the endpoint's address
   *   (letters, digits, `_`, `.`, `-`). A random UUID by default.
   * @throws RpcInvalidStateError if the service is closed or the id is taken by a live endpoint.
   * @throws RpcInvalidOptionError if the id is malformed.
   */
  constructor(rpcService: RpcService, endpointId: string = randomUUID()) {
    if (typeof endpointId !== 'string' || !NAME_PATTERN.test(endpointId)) {
      throw RpcInvalidOptionError.forValue(
        'endpointId',
        endpointId,
        "an endpoint id of letters, digits, '_', '.' or '-'",
      );
    }
    this.rpcService = rpcService;
    this.endpointId = endpointId;
    this.log = rpcService.getLogger();
    this.rpcServer = rpcService.startServer(this);
  }

  /** The endpoint's unique id within its service. */
  getEndpointId(): string {
    return this.endpointId;
  }

  /** The endpoint's address, which other services `connect` to. */
  getAddress(): string {
    return this.rpcServer.getAddress();
  }

  /** The host name of the endpoint's address (`localhost` for a local-only service). */
  getHostname(): string {
    return this.rpcServer.getHostname();
  }

  /** The service this endpoint is registered with. */
  getRpcService(): RpcService {
    return this.rpcService;
  }

  /**
   * Starts processing messages: `onStart()` runs in the main thread first. The returned
   * promise resolves when `onStart()` completed and rejects if it failed (the endpoint then
   * terminates and its termination future rejects too). Ignoring the promise is safe.
   */
  start(): Promise<void> {
    return this.rpcServer.start();
  }

  /**
   * Stops processing messages without terminating: asks get `EndpointNotStartedError` and
   * tells are dropped until the next `start()`. `onStop()` is not called.
   */
  stop(): Promise<void> {
    return this.rpcServer.stop();
  }

  /**
   * Terminates the endpoint: `onStop()` runs once (further calls return the same promise),
   * RPCs are served until it settles, then the endpoint is unregistered. Returns the
   * termination future.
   */
  closeAsync(): Promise<void> {
    return this.rpcServer.closeAsync();
  }

  /**
   * {@link closeAsync}, for `await using`: the endpoint terminates when the block that
   * declared it ends.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.closeAsync();
  }

  /** Settles when the endpoint has terminated; rejects if `onStart` or `onStop` failed. */
  getTerminationFuture(): Promise<void> {
    return this.rpcServer.getTerminationFuture();
  }

  /** Whether `onStart()` has run and `onStop()` has not begun. */
  isRunning(): boolean {
    return this.running;
  }

  /**
   * A gateway to this endpoint whose calls go through its own mailbox, like any caller's.
   *
   * @throws HandshakeError if the endpoint does not serve `protocol`.
   */
  getSelfGateway<TProtocol extends AnyProtocol>(protocol: TProtocol): GatewayOf<TProtocol> {
    return this.rpcServer.getSelfGateway(protocol);
  }

  /**
   * Called in the main thread when the endpoint starts, before any RPC is served. It may be
   * async: no message is processed until it settles. If it throws, the endpoint terminates.
   */
  protected onStart(): void | Promise<void> {}

  /**
   * Called once, in the main thread, when the endpoint terminates (only if it was started).
   * It may be async: RPCs are still served until it settles. Its failure rejects the
   * termination future.
   */
  protected onStop(): void | Promise<void> {}

  /** Runs `fn` in a later turn of the main thread. Errors it throws are logged. */
  protected runAsync(fn: () => unknown): void {
    this.rpcServer.runAsync(fn, this.selfFencing());
  }

  /**
   * Runs `fn` in the main thread and returns its result.
   * @throws RpcTimeoutError (as a rejection) if it has not completed within `timeoutMs`.
   */
  protected callAsync<TResult>(fn: () => TResult | PromiseLike<TResult>, timeoutMs: number): Promise<TResult> {
    return this.rpcServer.callAsync(fn, timeoutMs, this.selfFencing());
  }

  /**
   * Runs `fn` in the main thread after at least `delayMs`. The task cancels it, and its
   * `result` gives what `fn` returned (see {@link ScheduledTask}). For work that repeats, see
   * the main thread executor's `scheduleAtFixedRate` and `scheduleWithFixedDelay`.
   * @throws RpcInvalidOptionError if `delayMs` is negative, not a number, or longer than a timer supports.
   */
  protected scheduleRunAsync<TResult>(
    fn: () => TResult | PromiseLike<TResult>,
    delayMs: number,
  ): ScheduledTask<TResult> {
    return this.rpcServer.scheduleRunAsync(fn, delayMs, this.selfFencing());
  }

  /**
   * The context of the call the method running now serves: its signal, deadline and metadata.
   * Read it in the method's synchronous part (before its first `await`) and keep it.
   * @throws RpcInvalidStateError when no call is being served.
   */
  protected getCallContext(): CallContext {
    const context = currentCallContext();
    if (context !== undefined) return context;
    throw new RpcInvalidStateError(
      `${this.constructor.name} (${this.getAddress()}): getCallContext() was called outside a method serving a ` +
        `call; read it at the start of the method, before its first await.`,
    );
  }

  /** An executor that runs work in this endpoint's main thread. */
  protected getMainThreadExecutor(): MainThreadExecutor {
    return this.rpcServer.getMainThreadExecutor(this.selfFencing());
  }

  /** Throws an `RpcInvalidStateError` unless called in a turn of this endpoint's main thread. */
  protected validateRunsInMainThread(): void {
    if (!this.rpcServer.isInMainThread()) {
      throw new RpcInvalidStateError(
        `${this.constructor.name} (${this.getAddress()}): this code must run in the endpoint's main thread, ` +
          `but runs outside it. Go through runAsync, callAsync or the main thread executor.`,
      );
    }
  }

  /** How work this endpoint schedules for itself is fenced; overridden by fenced endpoints. */
  protected selfFencing(): SelfFencing {
    return 'unfenced';
  }

  /** The endpoint's current fencing token; unfenced endpoints have none. */
  protected currentFencingToken(): FencingToken | undefined {
    return undefined;
  }

  /** The runtime's access to the endpoint's lifecycle (see `@nact-rpc/core/internal`); not for applications. */
  [ENDPOINT_HOOKS](): EndpointHooks {
    return new RpcEndpointHooks(this);
  }

  /** Sets what {@link RpcEndpoint.isRunning} answers; for {@link RpcEndpointHooks}. */
  private markRunning(running: boolean): void {
    this.running = running;
  }
}

/**
 * The {@link EndpointHooks} of an {@link RpcEndpoint}: one small object, no closures. It holds
 * the endpoint alone and reads the rest from it (the id) or from its class (name, protocols,
 * fencing): a service may hold a hundred thousand endpoints.
 */
class RpcEndpointHooks implements EndpointHooks {
  constructor(private readonly endpoint: RpcEndpoint) {
    // Checked now, when the endpoint is made, as before: the class's protocols are cached.
    servedProtocols(endpoint.constructor as abstract new () => unknown);
  }

  get endpointId(): string {
    return this.endpoint.getEndpointId();
  }

  get className(): string {
    return this.endpoint.constructor.name;
  }

  get protocols(): readonly AnyProtocol[] {
    return servedProtocols(this.endpoint.constructor as abstract new () => unknown);
  }

  get fenced(): boolean {
    return this.endpoint['selfFencing']() === 'fenced';
  }

  onStart(): void | PromiseLike<void> {
    return this.endpoint['onStart']();
  }

  onStop(): void | PromiseLike<void> {
    return this.endpoint['onStop']();
  }

  setRunning(running: boolean): void {
    this.endpoint['markRunning'](running);
  }

  fencingToken(): FencingToken | undefined {
    return this.endpoint['currentFencingToken']();
  }
}
