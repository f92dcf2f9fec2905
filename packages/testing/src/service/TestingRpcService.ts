import {
  RpcInvalidOptionError,
  RpcInvalidStateError,
  type AnyProtocol,
  type Clock,
  type FencedConnectOptions,
  type FencedGatewayOf,
  type FencingToken,
  type GatewayOf,
  type Logger,
  type RpcEndpoint,
  type RpcServer,
  type RpcService,
  type ScheduledTask,
} from '@nact-rpc/core';
import { NactRpcService, type NactRpcServiceOptions } from '@nact-rpc/runtime-nact';
import { checkConnectOptions } from '@nact-rpc/core/internal';
import { checkProtocol } from '../stub/checkStubArguments';
import { FencedStubGateway } from '../stub/FencedStubGateway';
import { StubGateway } from '../stub/StubGateway';
import type { ConnectHook } from './ConnectHook';
import { handshakeStub } from './handshakeStub';

/**
 * An {@link RpcService} for tests (Flink's `TestingRpcService`): a real {@link NactRpcService}
 * whose `connect` answers with registered stub gateways where the test put them.
 *
 * - `connect(address, protocol)` to an address where a {@link StubGateway} is registered
 *   returns its gateway if the stub serves `protocol`, and rejects with a `HandshakeError`
 *   saying what differs if not, as a real endpoint would. A fenced connect to a
 *   {@link FencedStubGateway} returns a gateway carrying the caller's token; the stub refuses
 *   its calls unless that is the stub's token.
 * - Any other address is connected for real: endpoints started on this service (their
 *   constructor is given the service) are real endpoints in nact actors, and services
 *   elsewhere are reached as by a `NactRpcService`.
 * - A {@link ConnectHook} set with {@link TestingRpcService.setConnectHook} delays or fails
 *   every connect, to stubs and to real endpoints alike.
 * - Registering at a taken address, by a stub or by a live endpoint of this service, is
 *   refused with `RpcInvalidStateError`. `closeAsync` clears the stubs and the hook, then
 *   closes the service.
 *
 * @example
 * ```ts
 * const service = new TestingRpcService();
 * const resourceManager = service.registerGateway(
 *   new StubGateway(ResourceManagerProtocol, { registerWorker: () => 'accepted' }, { address: 'nact-rpc://cluster/rm' }),
 * );
 * const worker = new Worker(service, 'nact-rpc://cluster/rm'); // a real endpoint that connects to it
 * await worker.start();
 * expect(resourceManager.callsOf('registerWorker')).toEqual([[worker.getAddress()]]);
 * await service.closeAsync();
 * ```
 */
export class TestingRpcService implements RpcService {
  private readonly backing: NactRpcService;
  private readonly stubs = new Map<string, StubGateway<AnyProtocol>>();
  /** The addresses of this service's live endpoints: a stub may not be registered there. */
  private readonly endpointAddresses = new Set<string>();
  private connectHook: ConnectHook | undefined;
  private closing = false;

  /**
   * Creates a testing service on a `NactRpcService` made by `NactRpcService.create(options)`:
   * one that listens if `options.listen` is given.
   * @throws As `NactRpcService.create` (as a rejection).
   */
  static async create(options: NactRpcServiceOptions = {}): Promise<TestingRpcService> {
    return new TestingRpcService(await NactRpcService.create(options));
  }

  /**
   * @param service - The service to run endpoints and real connects on, which the testing
   *   service then owns (it closes it); or the options of a local-only one to create. For
   *   one that listens, see {@link TestingRpcService.create}.
   * @throws As `new NactRpcService(options)`.
   */
  constructor(service: NactRpcService | NactRpcServiceOptions = {}) {
    this.backing = service instanceof NactRpcService ? service : new NactRpcService(service);
    // However the service ends (closeAsync, or its nact system stopped), the stubs go with it.
    const closed = (): void => this.closeRegistry();
    this.backing.getTerminationFuture().then(closed, closed);
  }

  /** The service's name, as it appears in its endpoints' addresses. */
  getName(): string {
    return this.backing.getName();
  }

  getAddress(): string {
    return this.backing.getAddress();
  }

  getPort(): number {
    return this.backing.getPort();
  }

  getLogger(): Logger {
    return this.backing.getLogger();
  }

  getClock(): Clock {
    return this.backing.getClock();
  }

  startServer(endpoint: RpcEndpoint): RpcServer {
    const server = this.backing.startServer(endpoint);
    const address = server.getAddress();
    this.endpointAddresses.add(address);
    const forget = (): void => {
      this.endpointAddresses.delete(address);
    };
    server.getTerminationFuture().then(forget, forget);
    return server;
  }

  stopServer(server: RpcServer): Promise<void> {
    return this.backing.stopServer(server);
  }

  connect<TProtocol extends AnyProtocol>(address: string, protocol: TProtocol): Promise<GatewayOf<TProtocol>>;
  connect<TProtocol extends AnyProtocol, TToken extends FencingToken>(
    address: string,
    protocol: TProtocol,
    options: FencedConnectOptions<TToken>,
  ): Promise<FencedGatewayOf<TProtocol, TToken>>;
  async connect(
    address: string,
    protocol: AnyProtocol,
    options?: FencedConnectOptions<FencingToken>,
  ): Promise<GatewayOf<AnyProtocol> | FencedGatewayOf<AnyProtocol>> {
    this.ensureOpen(`connect to ${address}`);
    checkProtocol(protocol, 'connect');
    const fencingToken = options === undefined ? undefined : checkConnectOptions(options);
    const hook = this.connectHook;
    if (hook !== undefined) {
      const registered = this.stubs.has(address);
      await hook(
        fencingToken === undefined
          ? { address, protocol, registered }
          : { address, protocol, fencingToken, registered },
      );
    }
    // Looked up after the hook: a delayed connect finds what is registered when it goes on.
    const stub = this.stubs.get(address);
    if (stub === undefined) {
      return options === undefined
        ? this.backing.connect(address, protocol)
        : this.backing.connect(address, protocol, options);
    }
    handshakeStub(stub, protocol, fencingToken !== undefined);
    return stub instanceof FencedStubGateway && fencingToken !== undefined
      ? stub.gatewayWithToken(fencingToken)
      : stub.gateway;
  }

  execute(fn: () => unknown): void {
    this.backing.execute(fn);
  }

  scheduleRunnable<TResult>(fn: () => TResult | PromiseLike<TResult>, delayMs: number): ScheduledTask<TResult> {
    return this.backing.scheduleRunnable(fn, delayMs);
  }

  scheduleAtFixedRate(fn: () => unknown, initialDelayMs: number, periodMs: number): ScheduledTask<never> {
    return this.backing.scheduleAtFixedRate(fn, initialDelayMs, periodMs);
  }

  scheduleWithFixedDelay(fn: () => unknown, initialDelayMs: number, delayMs: number): ScheduledTask<never> {
    return this.backing.scheduleWithFixedDelay(fn, initialDelayMs, delayMs);
  }

  /**
   * Forgets the stubs and the connect hook, then closes the service as `NactRpcService`
   * does: every endpoint terminated, every pending call failed.
   */
  closeAsync(): Promise<void> {
    this.closeRegistry();
    return this.backing.closeAsync();
  }

  getTerminationFuture(): Promise<void> {
    return this.backing.getTerminationFuture();
  }

  /** {@link closeAsync}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.closeAsync();
  }

  /**
   * Registers `stub` at its address: from now on `connect` to that address answers with it.
   * @returns `stub`.
   * @throws RpcInvalidStateError if a stub or a live endpoint of this service is at that
   *   address already, or the service is closed; RpcInvalidOptionError if `stub` is not a
   *   {@link StubGateway}.
   */
  registerGateway<TProtocol extends AnyProtocol, TToken extends FencingToken>(
    stub: FencedStubGateway<TProtocol, TToken>,
  ): FencedStubGateway<TProtocol, TToken>;
  registerGateway<TProtocol extends AnyProtocol>(stub: StubGateway<TProtocol>): StubGateway<TProtocol>;
  registerGateway(given: unknown): unknown {
    this.ensureOpen('register a stub gateway');
    if (!(given instanceof StubGateway)) {
      throw RpcInvalidOptionError.forValue('stub', given, 'a StubGateway or FencedStubGateway', 'registerGateway');
    }
    const stub = given as StubGateway<AnyProtocol>;
    const taken = this.stubs.get(stub.address);
    if (taken !== undefined) {
      throw new RpcInvalidStateError(
        `Cannot register the stub gateway of ${stub.protocol.name} at ${stub.address}: the stub gateway of ` +
          `${taken.protocol.name} is registered there; unregister it first, or give the stub another address.`,
      );
    }
    if (this.endpointAddresses.has(stub.address)) {
      throw new RpcInvalidStateError(
        `Cannot register the stub gateway of ${stub.protocol.name} at ${stub.address}: a live endpoint of ` +
          `service ${this.getName()} is there; give the stub another address.`,
      );
    }
    this.stubs.set(stub.address, stub);
    return stub;
  }

  /** Removes the stub registered at `address`; returns whether there was one. */
  unregisterGateway(address: string): boolean {
    return this.stubs.delete(address);
  }

  /** Removes every registered stub (Flink's `clearGateways`). */
  clearGateways(): void {
    this.stubs.clear();
  }

  /**
   * Sets the hook every `connect` runs first (replacing the one set before), or removes it
   * with `undefined`. See {@link ConnectHook}.
   * @throws RpcInvalidOptionError if `hook` is neither a function nor `undefined`.
   */
  setConnectHook(hook: ConnectHook | undefined): void {
    if (hook !== undefined && typeof hook !== 'function') {
      throw RpcInvalidOptionError.forValue('hook', hook, 'a function, or undefined', 'setConnectHook');
    }
    this.connectHook = hook;
  }

  private closeRegistry(): void {
    this.closing = true;
    this.stubs.clear();
    this.connectHook = undefined;
  }

  /** @throws RpcInvalidStateError once the service is closing. */
  private ensureOpen(operation: string): void {
    if (this.closing) {
      throw new RpcInvalidStateError(`Cannot ${operation}: service ${this.getName()} is closed.`);
    }
  }
}
