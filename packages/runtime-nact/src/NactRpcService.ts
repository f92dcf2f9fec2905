import { randomUUID } from 'node:crypto';
import { spawn, start, stop, type Ref, type SupervisionActorFunc } from 'nact';
import {
  createGatewayProxy,
  formatRpcAddress,
  HandshakeError,
  isRpcError,
  parseRpcAddress,
  protocolIdentity,
  RecipientUnreachableError,
  RPC_VERSION,
  RpcConnectionError,
  RpcInvalidStateError,
  type AnyProtocol,
  type Codec,
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
import { ENDPOINT_HOOKS, PendingCalls } from '@nact-rpc/core/internal';
import {
  TcpTransport,
  type Association,
  type HandshakeRequestMessage,
  type RequestMessage,
  type TransportHost,
  type WireAddress,
} from '@nact-rpc/transport';
import { connectRemote } from './connectRemote';
import { InboundRequests } from './InboundRequests';
import { LocalInvoker } from './LocalInvoker';
import { NactRpcServer } from './NactRpcServer';
import { resolveOptions, type NactRpcServiceOptions, type ResolvedNactRpcServiceOptions } from './NactRpcServiceOptions';
import { markHandled } from './OneShotReply';
import type { RuntimeContext } from './RuntimeContext';
import { ScheduledTimers } from './ScheduledTimers';
import { validateDelay } from './validateDelay';

/**
 * The nact-backed {@link RpcService}: one nact actor system per service, one supervisor
 * actor, and one child actor per endpoint. Asks are correlated by the service's own call ids
 * (not nact's `query`), and every pending ask ends exactly once: answered, timed out, or
 * failed when its recipient or this service goes away.
 *
 * A service made with `new` is local-only (it can still call services that listen); one made
 * with {@link NactRpcService.create} and `listen` options is reachable over TCP as well.
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
export class NactRpcService implements RpcService, TransportHost {
  /** A random id of this run of the service, exchanged when associations open. */
  readonly incarnation = randomUUID();
  readonly serviceName: string;
  readonly codec: Codec;
  readonly logger: Logger;
  readonly pendingCalls: PendingCalls;
  private readonly options: ResolvedNactRpcServiceOptions;
  private readonly context: RuntimeContext;
  private readonly transport: TcpTransport;
  private readonly inbound: InboundRequests;
  private external: WireAddress | undefined;
  private readonly system: Ref<never>;
  private readonly supervisor: Ref<unknown>;
  private readonly servers = new Map<string, NactRpcServer>();
  private readonly timers = new ScheduledTimers();
  private readonly immediates = new Set<NodeJS.Immediate>();
  private readonly terminationFuture: Promise<void>;
  private settleTermination!: (failure: unknown) => void;
  private closing = false;

  /**
   * Creates a service, listening for other processes if `options.listen` is given.
   * @throws Error (as a rejection) if no port of `options.listen.port` could be bound.
   */
  static async create(options: NactRpcServiceOptions = {}): Promise<NactRpcService> {
    const service = new NactRpcService({ ...options, listen: undefined });
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
   * @throws TypeError if `options.listen` is given, or an option is invalid.
   */
  constructor(options: NactRpcServiceOptions = {}) {
    if (options.listen !== undefined) {
      throw new TypeError('A listening service is made with `await NactRpcService.create({ listen })`.');
    }
    this.options = resolveOptions(options);
    this.serviceName = this.options.name;
    this.codec = this.options.codec;
    this.logger = this.options.logger;
    this.pendingCalls = new PendingCalls(this.options.askTimeoutMs, this.options.captureAskCallStack);
    this.context = {
      logger: this.logger,
      codec: this.codec,
      forceSerialization: this.options.forceSerialization,
      maxFrameSize: this.options.transport.maxFrameSize,
      pendingCalls: this.pendingCalls,
    };
    this.transport = new TcpTransport(this, this.options.transport);
    this.inbound = new InboundRequests(this.serviceName, this.logger, (endpointId) => this.servers.get(endpointId));
    this.terminationFuture = new Promise<void>((resolve, reject) => {
      this.settleTermination = (failure) => (failure === undefined ? resolve() : reject(failure));
    });
    markHandled(this.terminationFuture);
    // nact keeps actor systems in one map per process, by name; without a name it draws a
    // random one, so services never share a system.
    this.system = start();
    this.supervisor = spawn(this.system, (state: undefined) => state, 'rpc');
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
      throw new RpcInvalidStateError(`Cannot start endpoint ${hooks.endpointId}: service ${this.serviceName} is closed.`);
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
      supervisor: this.supervisor,
      actorFunction: this.actorFunction,
      onCrash: this.onCrash,
      address: formatRpcAddress({ serviceName: this.serviceName, ...this.external, endpointId: hooks.endpointId }),
      hostname: this.external?.host ?? 'localhost',
      owner: this,
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
    if (fenced) validateFencingToken(options.fencingToken);
    const token = fenced ? options.fencingToken : undefined;
    const parsed = parseRpcAddress(address);
    if (!this.isLocal(parsed)) {
      if (parsed.host === undefined || parsed.port === undefined) {
        throw new RpcConnectionError(
          `Could not connect to ${address}: it belongs to the local-only service ${parsed.serviceName} of another process or ` +
            `service, which service ${this.serviceName} cannot reach.`,
        );
      }
      return connectRemote(this, this.transport, { ...parsed, host: parsed.host, port: parsed.port }, address, protocol, token);
    }
    const server = this.servers.get(parsed.endpointId);
    if (server === undefined) {
      throw new RpcConnectionError(
        `Could not connect to ${address}: service ${this.serviceName} has no endpoint ${parsed.endpointId} ` +
          `(it was never started, or has terminated).`,
      );
    }
    await this.handshake(server, protocol, fenced);
    const invoker = new LocalInvoker(this.context, server, protocol.name, fenced ? () => token : undefined);
    return createGatewayProxy(protocol, invoker);
  }

  execute(fn: () => unknown): void {
    this.ensureOpen('execute');
    const immediate = setImmediate(() => {
      this.immediates.delete(immediate);
      this.runLogged('execute', fn);
    });
    this.immediates.add(immediate);
  }

  scheduleRunnable(fn: () => unknown, delayMs: number): ScheduledTask {
    this.ensureOpen('scheduleRunnable');
    validateDelay('scheduleRunnable', delayMs);
    return this.timers.schedule(() => this.runLogged('scheduleRunnable', fn), delayMs);
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

  /** Releases the id of an endpoint whose actor has stopped. */
  endpointReaped(server: NactRpcServer): void {
    if (this.servers.get(server.endpointId) === server) this.servers.delete(server.endpointId);
  }

  /** The function of every endpoint actor: deliver the mailbox of the endpoint it is named after. */
  private readonly actorFunction = (state: undefined, _message: unknown, context: { readonly name: string }): unknown => {
    const pending = this.servers.get(context.name)?.deliverViaActorMessage();
    return pending === undefined ? state : pending.then(() => state);
  };

  /** The supervision of every endpoint actor: an error inside the runtime is logged, the actor goes on. */
  private readonly onCrash: SupervisionActorFunc<unknown, Ref<unknown>, Ref<unknown>> = (_message, error, context) => {
    this.logger.error(`Internal error in the actor of endpoint ${context.name}: ${String(error)}`, { error });
    return context.resume;
  };

  /** @see TransportHost.onRequest */
  onRequest(association: Association, request: RequestMessage): void {
    this.inbound.onRequest(association, request);
  }

  /** @see TransportHost.onHandshake */
  onHandshake(association: Association, handshake: HandshakeRequestMessage): void {
    this.inbound.onHandshake(association, handshake);
  }

  /**
   * Closes in order: endpoints terminate (answering what they still can, over associations
   * that are still open), then the associations close with a goodbye to each peer, then
   * every call still pending fails, and the actor system stops.
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
    this.timers.cancelAll();
    for (const immediate of this.immediates) clearImmediate(immediate);
    this.immediates.clear();
    stop(this.supervisor);
    stop(this.system);
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    this.settleTermination(failure?.reason);
  }

  /** Whether an address names an endpoint of this service. */
  private isLocal(address: RpcAddress): boolean {
    if (address.serviceName !== this.serviceName) return false;
    if (address.host === undefined) return this.external === undefined;
    return this.external !== undefined && address.host === this.external.host && address.port === this.external.port;
  }

  private async handshake(server: NactRpcServer, protocol: AnyProtocol, fenced: boolean): Promise<void> {
    const { pendingCalls } = this;
    const { callId, promise } = pendingCalls.register({
      target: `handshake ${protocol.name}`,
      recipient: server.address,
      timeoutMs: undefined,
    });
    const posted = server.post({
      kind: 'handshake',
      protocol: protocolIdentity(protocol),
      rpcVersion: RPC_VERSION,
      fenced,
      replyTo: { sink: pendingCalls, callId },
    });
    if (!posted) pendingCalls.fail(callId, new RecipientUnreachableError(`The endpoint at ${server.address} has terminated.`));
    try {
      await promise;
    } catch (error) {
      if (error instanceof HandshakeError) throw error;
      const reason = isRpcError(error) ? error.message : String(error);
      throw new RpcConnectionError(`Could not connect to ${server.address}: ${reason}`, { cause: error });
    }
  }

  private ensureOpen(operation: string): void {
    if (this.closing) {
      throw new RpcInvalidStateError(`Cannot ${operation}: service ${this.serviceName} is closed.`);
    }
  }

  private runLogged(operation: string, fn: () => unknown): void {
    const report = (error: unknown): void =>
      this.logger.error(`Work given to ${operation} failed: ${String(error)}`, { error });
    try {
      const result = fn();
      if (result instanceof Promise) result.catch(report);
    } catch (error) {
      report(error);
    }
  }
}

function validateFencingToken(token: unknown): void {
  if (typeof token !== 'string' && typeof token !== 'number' && typeof token !== 'bigint') {
    throw new TypeError(`A fencing token must be a string, number or bigint, got ${typeof token}`);
  }
}
