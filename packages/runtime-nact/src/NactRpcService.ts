import { randomUUID } from 'node:crypto';
import type { Ref } from 'nact';
import {
  formatRpcAddress,
  parseRpcAddress,
  RecipientUnreachableError,
  RpcConnectionError,
  RpcInvalidStateError,
  type AnyProtocol,
  type FencedConnectOptions,
  type FencedGatewayOf,
  type FencingToken,
  type GatewayOf,
  type Logger,
  type RpcAddress,
  type RpcEndpoint,
  type RpcServer,
  type RpcService,
  type ScheduledTask,
} from '@nact-rpc/core';
import { ENDPOINT_HOOKS, PendingCalls, createGatewayProxy } from '@nact-rpc/core/internal';
import { TcpTransport, type WireAddress } from '@nact-rpc/transport/internal';
import type { ActorInvocation } from './ActorInvocation';
import { connectRemote } from './connectRemote';
import { handshakeLocal } from './handshakeLocal';
import { InboundRequests } from './InboundRequests';
import { LocalInvoker } from './LocalInvoker';
import { NactRpcServer } from './NactRpcServer';
import {
  resolveOptions,
  withoutListen,
  type NactRpcServiceOptions,
  type ResolvedNactRpcServiceOptions,
} from './NactRpcServiceOptions';
import { markHandled } from './OneShotReply';
import type { RuntimeContext } from './RuntimeContext';
import { ServiceActors } from './ServiceActors';
import { ServiceTasks } from './ServiceTasks';
import { validateConnectOptions } from './validateConnectOptions';

/**
 * The nact-backed {@link RpcService}: one supervisor actor per service, and one child actor
 * per endpoint. Asks are correlated by the service's own call ids (not nact's `query`), and
 * every pending ask ends exactly once: answered, timed out, or failed when its recipient or
 * this service goes away.
 *
 * A service made with `new` is local-only (it can still call services that listen); one made
 * with {@link NactRpcService.create} and `listen` options is reachable over TCP as well.
 *
 * By default a service starts a nact actor system of its own. Given `{ system }` (and
 * optionally `{ parent }`), it runs in its user's system instead: closing it stops only its
 * own actors, and stopping that system (or parent) closes it. Plain nact actors can call its
 * endpoints with gateways, or by dispatching {@link ActorInvocation}s to {@link NactRpcService.actorOf}.
 *
 * @example
 * ```ts
 * const service = await NactRpcService.create({ listen: { host: '0.0.0.0', port: '50100-50200', externalHost: 'worker-7' } });
 * const hello = new HelloEndpoint(service);
 * await hello.start();
 * // elsewhere: await otherService.connect(hello.getAddress(), HelloProtocol)
 * await service.closeAsync();
 * ```
 */
export class NactRpcService implements RpcService {
  private readonly serviceName: string;
  private readonly logger: Logger;
  private readonly pendingCalls: PendingCalls;
  private readonly options: ResolvedNactRpcServiceOptions;
  private readonly context: RuntimeContext;
  private readonly transport: TcpTransport;
  private readonly inbound: InboundRequests;
  private external: WireAddress | undefined;
  private readonly actors: ServiceActors;
  private readonly servers = new Map<string, NactRpcServer>();
  private readonly tasks: ServiceTasks;
  private readonly terminationFuture: Promise<void>;
  private settleTermination!: (failure: unknown) => void;
  private closing = false;

  /**
   * Creates a service, listening for other processes if `options.listen` is given.
   * @throws RpcInvalidOptionError (as a rejection) naming the option that is invalid.
   * @throws RpcBindError (as a rejection) if no port of `options.listen.port` could be bound:
   *   in use, not permitted, or not an address of this machine. Nothing is left running.
   */
  static async create(options: NactRpcServiceOptions = {}): Promise<NactRpcService> {
    const service = new NactRpcService(withoutListen(options));
    if (options.listen !== undefined) {
      try {
        service.external = await service.transport.listen(options.listen);
      } catch (error) {
        await service.closeAsync();
        throw error;
      }
    }
    return service;
  }

  /**
   * Creates a local-only service. Use {@link NactRpcService.create} for one that listens.
   * @throws RpcInvalidOptionError naming the option that is invalid, or `listen` if it is given;
   *   `system` or `parent` if it is not a running nact actor system or actor of that system.
   */
  constructor(options: NactRpcServiceOptions = {}) {
    this.options = resolveOptions(options);
    this.serviceName = this.options.name;
    this.logger = this.options.logger;
    this.tasks = new ServiceTasks(this.logger);
    this.pendingCalls = new PendingCalls(this.options.askTimeoutMs, this.options.captureAskCallStack);
    this.context = {
      logger: this.logger,
      codec: this.options.codec,
      forceSerialization: this.options.forceSerialization,
      maxFrameSize: this.options.transport.maxFrameSize,
      pendingCalls: this.pendingCalls,
    };
    // A random id of this run of the service: it tells peers apart across restarts, and makes
    // the supervisor's name unique when several services share one nact system.
    const incarnation = randomUUID();
    this.inbound = new InboundRequests(
      {
        serviceName: this.serviceName,
        incarnation,
        codec: this.options.codec,
        logger: this.logger,
        pendingCalls: this.pendingCalls,
      },
      (endpointId) => this.servers.get(endpointId),
    );
    // The transport gets the inbound side, not the service: its callbacks stay off the public type.
    this.transport = new TcpTransport(this.inbound, this.options.transport);
    this.terminationFuture = new Promise<void>((resolve, reject) => {
      // The failure is what an endpoint's onStop threw, passed on as it is.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      this.settleTermination = (failure) => (failure === undefined ? resolve() : reject(failure));
    });
    markHandled(this.terminationFuture);
    this.actors = new ServiceActors({
      system: options.system,
      parent: options.parent,
      serviceName: this.serviceName,
      incarnation,
      logger: this.logger,
      serverOf: (endpointId) => this.servers.get(endpointId),
      onStoppedFromOutside: () => this.actorsStopped(),
    });
  }

  /** The service's name, as it appears in endpoint addresses. */
  getName(): string {
    return this.serviceName;
  }

  getAddress(): string {
    return this.external?.host ?? '';
  }

  getPort(): number {
    return this.external?.port ?? -1;
  }

  getLogger(): Logger {
    return this.logger;
  }

  startServer(endpoint: RpcEndpoint): RpcServer {
    const hooks = endpoint[ENDPOINT_HOOKS]();
    if (this.closing) {
      throw new RpcInvalidStateError(
        `Cannot start endpoint ${hooks.endpointId}: service ${this.serviceName} is closed.`,
      );
    }
    if (this.servers.has(hooks.endpointId)) {
      throw new RpcInvalidStateError(
        `Cannot start endpoint ${hooks.endpointId} (${hooks.className}): service ${this.serviceName} already has a ` +
          `live endpoint with that id. Ids can be reused once the endpoint has terminated.`,
      );
    }
    const server = new NactRpcServer({
      context: this.context,
      endpoint,
      hooks,
      spawnActor: this.spawnActor,
      address: formatRpcAddress({ serviceName: this.serviceName, ...this.external, endpointId: hooks.endpointId }),
      hostname: this.external?.host ?? 'localhost',
      owner: this.reaper,
    });
    this.servers.set(hooks.endpointId, server);
    return server;
  }

  stopServer(server: RpcServer): Promise<void> {
    return server.closeAsync();
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
    if (this.closing) {
      throw new RpcInvalidStateError(`Cannot connect to ${address}: service ${this.serviceName} is closed.`);
    }
    const fenced = options !== undefined;
    if (fenced) validateConnectOptions(options);
    const token = fenced ? options.fencingToken : undefined;
    const parsed = parseRpcAddress(address);
    if (!this.isLocal(parsed)) {
      if (parsed.host === undefined || parsed.port === undefined) {
        throw new RpcConnectionError(
          `Could not connect to ${address}: it belongs to the local-only service ${parsed.serviceName} of another process or ` +
            `service, which service ${this.serviceName} cannot reach.`,
        );
      }
      return connectRemote(
        this.inbound,
        this.transport,
        { ...parsed, host: parsed.host, port: parsed.port },
        address,
        protocol,
        token,
      );
    }
    const server = this.servers.get(parsed.endpointId);
    if (server === undefined) {
      throw new RpcConnectionError(
        `Could not connect to ${address}: service ${this.serviceName} has no endpoint ${parsed.endpointId} ` +
          `(it was never started, or has terminated).`,
      );
    }
    await handshakeLocal(this.pendingCalls, server, protocol, fenced);
    const invoker = new LocalInvoker(this.context, server, protocol.name, fenced ? () => token : undefined);
    return createGatewayProxy(protocol, invoker);
  }

  /**
   * The nact actor of a live endpoint of this service, to which plain nact actors dispatch
   * {@link ActorInvocation}s (built with `invocationMessage`). Resolve it again after the
   * endpoint is replaced: the actor stops when its endpoint terminates, and nact drops
   * messages to a stopped actor.
   *
   * @param endpoint - The endpoint, or its address.
   * @throws RpcConnectionError if this service has no such live endpoint.
   *
   * @example
   * ```ts
   * dispatch(service.actorOf(jobManager), invocationMessage(JobProtocol, 'submit', [spec], { replyTo: ctx.self }));
   * ```
   */
  actorOf(endpoint: RpcEndpoint | string): Ref<ActorInvocation> {
    const address = typeof endpoint === 'string' ? endpoint : endpoint.getAddress();
    const parsed = parseRpcAddress(address);
    const server = this.isLocal(parsed) ? this.servers.get(parsed.endpointId) : undefined;
    if (server === undefined || (typeof endpoint !== 'string' && endpoint.getRpcService() !== this)) {
      throw new RpcConnectionError(
        `Service ${this.serviceName} has no live endpoint at ${address} (it belongs to another service, was never ` +
          `started, or has terminated), so there is no actor to send to.`,
      );
    }
    return server.actorRef;
  }

  execute(fn: () => unknown): void {
    this.ensureOpen('execute');
    this.tasks.execute(fn);
  }

  scheduleRunnable(fn: () => unknown, delayMs: number): ScheduledTask {
    this.ensureOpen('scheduleRunnable');
    return this.tasks.schedule(fn, delayMs);
  }

  closeAsync(): Promise<void> {
    if (!this.closing) {
      this.closing = true;
      void this.shutDown();
    }
    return this.terminationFuture;
  }

  getTerminationFuture(): Promise<void> {
    return this.terminationFuture;
  }

  /** Releases the id of an endpoint whose actor has stopped. One object per service, given to every server. */
  private readonly reaper = {
    endpointReaped: (server: NactRpcServer): void => {
      if (this.servers.get(server.endpointId) === server) this.servers.delete(server.endpointId);
    },
  };

  private readonly spawnActor = (endpointId: string): Ref<ActorInvocation> =>
    this.actors.spawnEndpointActor(endpointId);

  /** The user stopped the nact system (or parent actor) the service runs in: the service closes. */
  private actorsStopped(): void {
    if (this.closing) return;
    this.logger.info(
      `The nact actor system (or parent actor) of service ${this.serviceName} stopped; the service closes.`,
    );
    void this.closeAsync();
  }

  /**
   * Closes in order: endpoints terminate (answering what they still can, over associations
   * that are still open), then the associations close with a goodbye to each peer, then
   * every call still pending fails, and the service's actors stop (and the actor system, if
   * the service started it).
   */
  private async shutDown(): Promise<void> {
    const results = await Promise.allSettled([...this.servers.values()].map((server) => server.closeAsync()));
    await this.transport.close();
    this.pendingCalls.failAll(
      (target, recipient) =>
        new RecipientUnreachableError(
          `${target} to ${recipient} could not complete: service ${this.serviceName} was closed while it was pending.`,
        ),
    );
    this.tasks.cancelAll();
    this.actors.stop();
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    this.settleTermination(failure?.reason);
  }

  /** Whether an address names an endpoint of this service. */
  private isLocal(address: RpcAddress): boolean {
    if (address.serviceName !== this.serviceName) return false;
    if (address.host === undefined) return this.external === undefined;
    return this.external !== undefined && address.host === this.external.host && address.port === this.external.port;
  }

  private ensureOpen(operation: string): void {
    if (this.closing) {
      throw new RpcInvalidStateError(`Cannot ${operation}: service ${this.serviceName} is closed.`);
    }
  }
}
