import { spawn, start, stop, type Ref } from 'nact';
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
import { ENDPOINT_HOOKS } from '@nact-rpc/core/internal';
import { LocalInvoker } from './LocalInvoker';
import { NactRpcServer } from './NactRpcServer';
import { resolveOptions, type NactRpcServiceOptions, type ResolvedNactRpcServiceOptions } from './NactRpcServiceOptions';
import { markHandled } from './OneShotReply';
import { PendingCalls } from './PendingCalls';
import { ScheduledTimers } from './ScheduledTimers';
import type { RuntimeContext } from './RuntimeContext';
import { validateDelay } from './validateDelay';

/**
 * The nact-backed {@link RpcService}: one nact actor system per service, one supervisor
 * actor, and one child actor per endpoint. Asks are correlated by the service's own call ids
 * (not nact's `query`), and every pending ask ends exactly once: answered, timed out, or
 * failed when its recipient or this service goes away.
 *
 * @example
 * ```ts
 * const service = new NactRpcService({ askTimeoutMs: 5_000 });
 * const hello = new HelloEndpoint(service);
 * await hello.start();
 * const gateway = await service.connect(hello.getAddress(), HelloProtocol);
 * console.log(await gateway.hello());
 * await service.closeAsync();
 * ```
 */
export class NactRpcService implements RpcService {
  private readonly options: ResolvedNactRpcServiceOptions;
  private readonly context: RuntimeContext;
  private readonly system: Ref<never>;
  private readonly supervisor: Ref<unknown>;
  private readonly servers = new Map<string, NactRpcServer>();
  private readonly timers = new ScheduledTimers();
  private readonly immediates = new Set<NodeJS.Immediate>();
  private readonly terminationFuture: Promise<void>;
  private settleTermination!: (failure: unknown) => void;
  private closing = false;

  constructor(options: NactRpcServiceOptions = {}) {
    this.options = resolveOptions(options);
    this.context = {
      logger: this.options.logger,
      codec: this.options.codec,
      forceSerialization: this.options.forceSerialization,
      pendingCalls: new PendingCalls(this.options.askTimeoutMs, this.options.captureAskCallStack),
    };
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
    return this.options.name;
  }

  getAddress(): string {
    return '';
  }

  getPort(): number {
    return -1;
  }

  getLogger(): Logger {
    return this.options.logger;
  }

  startServer(endpoint: RpcEndpoint): RpcServer {
    const hooks = endpoint[ENDPOINT_HOOKS]();
    if (this.closing) {
      throw new RpcInvalidStateError(`Cannot start endpoint ${hooks.endpointId}: service ${this.options.name} is closed.`);
    }
    if (this.servers.has(hooks.endpointId)) {
      throw new RpcInvalidStateError(
        `Cannot start endpoint ${hooks.endpointId} (${hooks.className}): service ${this.options.name} already has a ` +
          `live endpoint with that id. Ids can be reused once the endpoint has terminated.`,
      );
    }
    const server = new NactRpcServer({
      context: this.context,
      endpoint,
      hooks,
      supervisor: this.supervisor,
      address: formatRpcAddress({ serviceName: this.options.name, endpointId: hooks.endpointId }),
      hostname: 'localhost',
      onReaped: (reaped) => {
        if (this.servers.get(hooks.endpointId) === reaped) this.servers.delete(hooks.endpointId);
      },
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
      throw new RpcInvalidStateError(`Cannot connect to ${address}: service ${this.options.name} is closed.`);
    }
    const fenced = options !== undefined;
    if (fenced) validateFencingToken(options.fencingToken);
    const server = this.resolve(parseRpcAddress(address), address);
    await this.handshake(server, protocol, fenced);
    const token = fenced ? options.fencingToken : undefined;
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

  private async shutDown(): Promise<void> {
    const results = await Promise.allSettled([...this.servers.values()].map((server) => server.closeAsync()));
    this.context.pendingCalls.failAll(
      (target, recipient) =>
        new RecipientUnreachableError(
          `${target} to ${recipient} could not complete: service ${this.options.name} was closed while it was pending.`,
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

  /** Finds the endpoint an address names. */
  private resolve(address: RpcAddress, text: string): NactRpcServer {
    if (address.serviceName !== this.options.name || address.host !== undefined) {
      throw new RpcConnectionError(
        `Could not connect to ${text}: it belongs to service ${address.serviceName}` +
          (address.host === undefined ? '' : ` at ${address.host}:${address.port}`) +
          `, which the local-only service ${this.options.name} cannot reach.`,
      );
    }
    const server = this.servers.get(address.endpointId);
    if (server === undefined) {
      throw new RpcConnectionError(
        `Could not connect to ${text}: service ${this.options.name} has no endpoint ${address.endpointId} ` +
          `(it was never started, or has terminated).`,
      );
    }
    return server;
  }

  private async handshake(server: NactRpcServer, protocol: AnyProtocol, fenced: boolean): Promise<void> {
    const { pendingCalls } = this.context;
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
      throw new RpcInvalidStateError(`Cannot ${operation}: service ${this.options.name} is closed.`);
    }
  }

  private runLogged(operation: string, fn: () => unknown): void {
    const report = (error: unknown): void =>
      this.options.logger.error(`Work given to ${operation} failed: ${String(error)}`, { error });
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
