import type { ActorSystemRef, Ref } from 'nact';
import {
  consoleLogger,
  loggerFor,
  RpcInvalidOptionError,
  systemClock,
  TypedCodec,
  type Clock,
  type Codec,
  type Interceptors,
  type Logger,
  type RemoteErrorStacks,
} from '@nact-rpc/core';
import type { ListenOptions, Network, SecurityOptions, TransportOptions } from '@nact-rpc/transport';
import { REMOTE_ERROR_STACKS, type Resolved } from '@nact-rpc/core/internal';
import {
  resolveSecurityOptions,
  resolveTransportOptions,
  tcpNetwork,
  type ResolvedSecurity,
  type ResolvedTransportOptions,
} from '@nact-rpc/transport/internal';

/** Options of a {@link NactRpcService}. */
export interface NactRpcServiceOptions {
  /**
   * The service's name: part of every endpoint address (letters, digits, `_ . -`).
   * Default `'nact-rpc'`.
   */
  readonly name?: string | undefined;
  /** The timeout of asks (and handshakes) that name none, in milliseconds. Default 10 000. */
  readonly askTimeoutMs?: number | undefined;
  /**
   * Round-trip the arguments, results and errors of local calls through the codec, as if they
   * crossed the wire, so that tests catch what could not be sent to another process.
   * Local-only methods are exempt. Default `false`.
   */
  readonly forceSerialization?: boolean | undefined;
  /**
   * The codec for values that cross the wire. Default: a new {@link TypedCodec}; pass a
   * `SuperJsonCodec` to talk to services that use superjson.
   */
  readonly codec?: Codec | undefined;
  /**
   * Where the service logs what it cannot report to a caller. Default: the console, level
   * `warn`. A pino logger can be given as it is (see `Logger`).
   */
  readonly logger?: Logger | undefined;
  /**
   * Capture the caller's stack when each ask is made, so that a timeout error shows the
   * synchronous call site too. It costs about 2.5 µs per call. Without it (the default), a
   * timeout error shows the async functions that await the call, at no cost per call.
   */
  readonly captureAskCallStack?: boolean | undefined;
  /**
   * Which callers in other processes get the stack traces of the errors this service's
   * endpoints throw (and of their causes and inner errors): `'never'`, `'loopback'` (callers
   * connected over a loopback address, on this machine) or `'always'`. Default `'loopback'`.
   * Without its stack, an error keeps its class, name, message, code, cause and other
   * properties, and its stack at the caller shows the caller's own frames. Callers in this
   * process always get the stacks. See docs/concepts.md (Errors).
   */
  readonly remoteErrorStacks?: RemoteErrorStacks | undefined;
  /**
   * Makes the service reachable from other processes: the TCP host and port (a number, a
   * range such as `'50100-50200'`, or 0) to listen on, and the external address to advertise
   * if it differs. Only with {@link NactRpcService.create}. Without it the service is
   * local-only, though it can still call services that listen.
   */
  readonly listen?: ListenOptions | undefined;
  /** Frame size, timeouts, heartbeats and reconnection of remote calls. */
  readonly transport?: TransportOptions | undefined;
  /**
   * TLS (mutual by default) and shared-secret authentication of the associations with other
   * services, both those this service accepts and those it opens. Without authentication a
   * listening service binds to 127.0.0.1 unless told otherwise, and warns when told otherwise.
   * See docs/security.md.
   */
  readonly security?: SecurityOptions | undefined;
  /**
   * Embeds the service in a nact actor system its user already started with nact's `start()`:
   * the service's supervisor actor (and the endpoint actors under it) run there, closing the
   * service stops only them, and stopping the system closes the service. Default: the service
   * starts a system of its own and stops it on close. See docs/embedding.md.
   */
  readonly system?: ActorSystemRef | undefined;
  /**
   * With `system`: the actor (of that system) to spawn the service's supervisor under, so that
   * stopping it closes the service too. Default: the system itself.
   */
  readonly parent?: Ref<unknown> | undefined;
  /**
   * Where the service reads the time and sets its timers: ask and `callAsync` timeouts,
   * `scheduleRunAsync` and `scheduleRunnable`, and its transport's heartbeats, deadlines and
   * reconnect backoff. Default {@link systemClock}, the process's own time (which jest's fake
   * timers drive too). A test passes a `VirtualClock` of `@nact-rpc/testing` to move time itself.
   */
  readonly clock?: Clock | undefined;
  /**
   * Where the service's transport makes its sockets: where it listens and where it connects.
   * Default: the machine's TCP (and TLS). A test passes a host of the simulated network of
   * `@nact-rpc/testing` (`network.host('leader')`) to run several services in one process,
   * through partitions and crashes, without sockets. See docs/testing.md.
   */
  readonly network?: Network | undefined;
  /**
   * Interceptors of the calls the service's gateways make (`calls`) and of the calls its
   * endpoints serve (`serves`), each list run in order, the first outermost: for authorization,
   * logging and measuring. See `CallInterceptor` and `ServeInterceptor`, and docs/guide.md.
   */
  readonly interceptors?: Interceptors | undefined;
  /**
   * Report spans and metrics through `@opentelemetry/api`, to the tracer and meter providers
   * registered when the service is made. Without providers nothing is reported and calls pay
   * nothing. Default `true`; `false` keeps this service out of the reports.
   */
  readonly telemetry?: boolean | undefined;
}

/** {@link NactRpcServiceOptions} with every default applied. */
export type ResolvedNactRpcServiceOptions = Resolved<
  Omit<NactRpcServiceOptions, 'listen' | 'transport' | 'security' | 'system' | 'parent' | 'interceptors'>
> & {
  readonly interceptors: Interceptors;
  readonly listen: ListenOptions | undefined;
  readonly transport: ResolvedTransportOptions;
  readonly security: ResolvedSecurity;
};

const NAME = /^[A-Za-z0-9_.-]+$/;

const CODEC_METHODS = ['encode', 'decode', 'errorClass'] as const;
const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;
const CLOCK_METHODS = ['now', 'setTimeout', 'setInterval', 'clearTimeout'] as const;
const NETWORK_METHODS = ['listen', 'connect'] as const;

/**
 * Applies the defaults and checks every option of the constructor, which makes local-only
 * services: `listen` is refused there ({@link NactRpcService.create} makes a service listen,
 * since binding is asynchronous, and checks `listen` when it binds).
 * @throws RpcInvalidOptionError naming the option that is wrong (`name`, `askTimeoutMs`,
 *   `codec`, `logger`, `clock`, `network`, `remoteErrorStacks`, `transport.maxFrameSize`, `security.tls`, `listen`, …), the value received and what
 *   is accepted.
 */
export function resolveOptions(options: NactRpcServiceOptions = {}): ResolvedNactRpcServiceOptions {
  checkObject(options);
  if (options.listen !== undefined) {
    throw new RpcInvalidOptionError(
      'Invalid listen: the NactRpcService constructor makes local-only services and accepts no listen option; ' +
        'make a listening service with `await NactRpcService.create({ listen })`.',
      { option: 'listen' },
    );
  }
  const name = options.name ?? 'nact-rpc';
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw RpcInvalidOptionError.forValue('name', name, "a service name of letters, digits, '_', '.' or '-'");
  }
  const askTimeoutMs = options.askTimeoutMs ?? 10_000;
  if (typeof askTimeoutMs !== 'number' || !(askTimeoutMs > 0)) {
    throw RpcInvalidOptionError.forValue('askTimeoutMs', askTimeoutMs, 'a positive number of milliseconds');
  }
  const codec = options.codec ?? new TypedCodec();
  if (!hasMethods(codec, CODEC_METHODS) || typeof codec.name !== 'string' || codec.name === '') {
    throw RpcInvalidOptionError.forValue(
      'codec',
      codec,
      'a Codec: an object with a name and encode, decode and errorClass methods',
    );
  }
  const given = options.logger ?? consoleLogger('warn');
  if (!hasMethods(given, LOGGER_METHODS)) {
    throw RpcInvalidOptionError.forValue(
      'logger',
      given,
      'a Logger: an object with debug, info, warn and error methods',
    );
  }
  // A pino logger takes its details first: it gets them so.
  const logger = loggerFor(given);
  const clock = options.clock ?? systemClock;
  if (!hasMethods(clock, CLOCK_METHODS)) {
    throw RpcInvalidOptionError.forValue(
      'clock',
      clock,
      'a Clock: an object with now, setTimeout, setInterval and clearTimeout methods',
    );
  }
  const network = options.network ?? tcpNetwork;
  if (!hasMethods(network, NETWORK_METHODS)) {
    throw RpcInvalidOptionError.forValue('network', network, 'a Network: an object with listen and connect methods');
  }
  return {
    name,
    askTimeoutMs,
    clock,
    network,
    forceSerialization: flag(options, 'forceSerialization'),
    telemetry: options.telemetry === undefined ? true : flag(options, 'telemetry'),
    interceptors: interceptors(options),
    codec,
    logger,
    captureAskCallStack: flag(options, 'captureAskCallStack'),
    remoteErrorStacks: remoteErrorStacks(options),
    listen: options.listen,
    transport: resolveTransportOptions(options.transport),
    security: resolveSecurityOptions(options.security),
  };
}

/**
 * The options without `listen`, for the constructor of a service that {@link NactRpcService.create}
 * makes listen itself.
 * @throws RpcInvalidOptionError if `options` is not an object.
 */
export function withoutListen(options: NactRpcServiceOptions): NactRpcServiceOptions {
  checkObject(options);
  return { ...options, listen: undefined };
}

function checkObject(options: unknown): asserts options is object {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw RpcInvalidOptionError.forValue(
      'options',
      options,
      "an object of service options such as { name: 'workers' }",
    );
  }
}

/** A boolean option, `false` by default. */
function flag(
  options: NactRpcServiceOptions,
  option: 'forceSerialization' | 'captureAskCallStack' | 'telemetry',
): boolean {
  const value = options[option] ?? false;
  if (typeof value !== 'boolean') throw RpcInvalidOptionError.forValue(option, value, 'true or false');
  return value;
}

/** The `interceptors` option: lists of functions, none by default. */
function interceptors(options: NactRpcServiceOptions): Interceptors {
  const value = options.interceptors ?? {};
  if (typeof value !== 'object' || value === null) {
    throw RpcInvalidOptionError.forValue('interceptors', value, 'an object with calls and serves lists');
  }
  for (const side of ['calls', 'serves'] as const) {
    const list = value[side];
    if (list !== undefined && (!Array.isArray(list) || !list.every((item) => typeof item === 'function'))) {
      throw RpcInvalidOptionError.forValue(`interceptors.${side}`, list, 'an array of interceptor functions');
    }
  }
  return value;
}

/** The `remoteErrorStacks` option, `'loopback'` by default. */
function remoteErrorStacks(options: NactRpcServiceOptions): RemoteErrorStacks {
  const value = options.remoteErrorStacks ?? 'loopback';
  if (!REMOTE_ERROR_STACKS.includes(value)) {
    throw RpcInvalidOptionError.forValue('remoteErrorStacks', value, "'never', 'loopback' or 'always'");
  }
  return value;
}

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  return methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
}
