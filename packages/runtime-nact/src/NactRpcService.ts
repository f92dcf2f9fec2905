import type { Ref } from 'nact';
import {
  parseRpcAddress,
  RpcConnectionError,
  type AnyProtocol,
  type FencedConnectOptions,
  type FencedGatewayOf,
  type FencingToken,
  type GatewayOf,
  type Clock,
  type Logger,
  type RpcEndpoint,
  type RpcServer,
  type RpcService,
  type ScheduledTask,
} from '@nact-rpc/core';
import { checkConnectOptions, ENDPOINT_HOOKS, newIncarnationId, PendingCalls } from '@nact-rpc/core/internal';
import type { TransportStats } from '@nact-rpc/transport';
import { TcpTransport } from '@nact-rpc/transport/internal';
import type { ActorInvocation } from './ActorInvocation';
import { connectLocal } from './connectLocal';
import { connectRemote } from './connectRemote';
import { InboundRequests } from './InboundRequests';
import { NactRpcServer } from './NactRpcServer';
import { countPendingCalls, type PendingCallCounts } from './PendingCallCounts';
import {
  resolveOptions,
  withoutListen,
  type NactRpcServiceOptions,
  type ResolvedNactRpcServiceOptions,
} from './NactRpcServiceOptions';
import { runtimeContext, type RuntimeContext } from './RuntimeContext';
import { ServiceActors } from './ServiceActors';
import { ServiceEndpoints } from './ServiceEndpoints';
import { ServiceLocation } from './ServiceLocation';
import { ServiceTasks } from './ServiceTasks';
import { ServiceTermination } from './ServiceTermination';
import { shutDownService } from './shutDownService';
import { serviceGauges } from './telemetry/serviceGauges';

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
  private readonly location: ServiceLocation;
  private readonly actors: ServiceActors;
  private readonly endpoints: ServiceEndpoints;
  private readonly tasks: ServiceTasks;
  private readonly termination: ServiceTermination;

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
        service.location.listeningAt(await service.transport.listen(options.listen));
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
    this.location = new ServiceLocation(this.serviceName);
    this.endpoints = new ServiceEndpoints(this.serviceName);
    this.termination = new ServiceTermination(this.serviceName);
    const { clock } = this.options;
    this.tasks = new ServiceTasks(this.logger, clock, this.serviceName);
    this.pendingCalls = new PendingCalls(this.options.askTimeoutMs, this.options.captureAskCallStack, clock);
    this.context = runtimeContext(this.options, this.pendingCalls);
    // An id of this run of the service (random; numbered in a deterministic simulation): it tells
    // peers apart across restarts, and makes the supervisor's name unique when several services
    // share one nact system.
    const incarnation = newIncarnationId();
    this.inbound = new InboundRequests(
      {
        serviceName: this.serviceName,
        incarnation,
        codec: this.options.codec,
        logger: this.logger,
        clock,
        pendingCalls: this.pendingCalls,
        remoteErrorStacks: this.options.remoteErrorStacks,
      },
      this.endpoints.get,
      this.context.logs,
      this.options.transport.maxInboundBacklog,
      this.context.telemetry?.tracer !== undefined,
    );
    // The transport gets the inbound side, not the service: its callbacks stay off the public type.
    const { transport, security, network } = this.options;
    this.transport = new TcpTransport(this.inbound, transport, security, network);
    this.termination.whenClosing(
      this.context.telemetry?.metrics?.observe(serviceGauges(this.endpoints, this.transport)),
    );
    this.actors = new ServiceActors({
      system: options.system,
      parent: options.parent,
      serviceName: this.serviceName,
      incarnation,
      logger: this.logger,
      serverOf: this.endpoints.get,
      onStoppedFromOutside: () => this.actorsStopped(),
    });
  }

  /** The service's name, as it appears in endpoint addresses. */
  getName(): string {
    return this.serviceName;
  }

  getAddress(): string {
    return this.location.host;
  }

  getPort(): number {
    return this.location.port;
  }

  getClock(): Clock {
    return this.options.clock;
  }

  getLogger(): Logger {
    return this.logger;
  }

  /**
   * What the service's transport has counted since the service was made: the tells it could
   * not deliver, in all and by reason (a snapshot; the counts only grow). The hook for metrics.
   */
  getTransportStats(): TransportStats {
    return this.transport.stats();
  }

  /** Test-visible: calls waiting for answers, ids held for late answers, asks served; all 0 at rest. */
  pendingCallCounts(): PendingCallCounts {
    return countPendingCalls(this.pendingCalls, this.transport);
  }

  startServer(endpoint: RpcEndpoint): RpcServer {
    const hooks = endpoint[ENDPOINT_HOOKS]();
    this.termination.ensureOpen(`start endpoint ${hooks.endpointId}`);
    this.endpoints.ensureFree(hooks);
    const server = new NactRpcServer({
      context: this.context,
      endpoint,
      hooks,
      spawnActor: this.spawnActor,
      address: this.location.addressOf(hooks.endpointId),
      hostname: this.location.hostname,
      owner: this.endpoints,
    });
    this.endpoints.add(server);
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
    this.termination.ensureOpen(`connect to ${address}`);
    if (options !== undefined) checkConnectOptions(options);
    const parsed = parseRpcAddress(address);
    if (this.location.isLocal(parsed)) {
      return connectLocal(this.context, this.endpoints.get(parsed.endpointId), parsed, address, protocol, options);
    }
    const remote = this.location.dialable(parsed, address);
    return connectRemote(this.inbound, this.transport, remote, address, protocol, options?.fencingToken, this.context);
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
    const server = this.location.isLocal(parsed) ? this.endpoints.get(parsed.endpointId) : undefined;
    if (server === undefined || (typeof endpoint !== 'string' && endpoint.getRpcService() !== this)) {
      throw new RpcConnectionError(
        `Service ${this.serviceName} has no live endpoint at ${address} (it belongs to another service, was never ` +
          `started, or has terminated), so there is no actor to send to.`,
      );
    }
    return server.actorRef;
  }

  execute(fn: () => unknown): void {
    this.termination.ensureOpen('execute');
    this.tasks.execute(fn);
  }

  scheduleRunnable<TResult>(fn: () => TResult | PromiseLike<TResult>, delayMs: number): ScheduledTask<TResult> {
    this.termination.ensureOpen('scheduleRunnable');
    return this.tasks.schedule(fn, delayMs);
  }

  scheduleAtFixedRate(fn: () => unknown, initialDelayMs: number, periodMs: number): ScheduledTask<never> {
    this.termination.ensureOpen('scheduleAtFixedRate');
    return this.tasks.schedulePeriodic(fn, initialDelayMs, periodMs, 'fixedRate');
  }

  scheduleWithFixedDelay(fn: () => unknown, initialDelayMs: number, delayMs: number): ScheduledTask<never> {
    this.termination.ensureOpen('scheduleWithFixedDelay');
    return this.tasks.schedulePeriodic(fn, initialDelayMs, delayMs, 'fixedDelay');
  }

  closeAsync(): Promise<void> {
    if (this.termination.begin()) {
      const { serviceName, endpoints, transport, tasks, actors, context } = this;
      const closed = shutDownService({ serviceName, endpoints, transport, tasks, actors, context });
      void closed.then((failure) => this.termination.finish(failure));
    }
    return this.termination.future;
  }

  getTerminationFuture(): Promise<void> {
    return this.termination.future;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.closeAsync();
  }

  private readonly spawnActor = (endpointId: string): Ref<ActorInvocation> =>
    this.actors.spawnEndpointActor(endpointId);

  /** The user stopped the nact system (or parent actor) the service runs in: the service closes. */
  private actorsStopped(): void {
    if (this.termination.isClosing()) return;
    this.logger.info(
      `The nact actor system (or parent actor) of service ${this.serviceName} stopped; the service closes.`,
    );
    void this.closeAsync();
  }
}
