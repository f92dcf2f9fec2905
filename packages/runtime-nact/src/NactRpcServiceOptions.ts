import { consoleLogger, SuperJsonCodec, type Codec, type Logger } from '@nact-rpc/core';
import { resolveTransportOptions, type ListenOptions, type ResolvedTransportOptions, type TransportOptions } from '@nact-rpc/transport';

/** Options of a {@link NactRpcService}. */
export interface NactRpcServiceOptions {
  /**
   * The service's name: part of every endpoint address (letters, digits, `_ . -`).
   * Default `'nact-rpc'`.
   */
  readonly name?: string;
  /** The timeout of asks (and handshakes) that name none, in milliseconds. Default 10 000. */
  readonly askTimeoutMs?: number;
  /**
   * Round-trip the arguments, results and errors of local calls through the codec, as if they
   * crossed the wire, so that tests catch what could not be sent to another process.
   * Local-only methods are exempt. Default `false`.
   */
  readonly forceSerialization?: boolean;
  /** The codec for values that cross the wire. Default: a new {@link SuperJsonCodec}. */
  readonly codec?: Codec;
  /** Where the service logs what it cannot report to a caller. Default: the console, level `warn`. */
  readonly logger?: Logger;
  /**
   * Capture the caller's stack when each ask is made, so that a timeout error shows the
   * synchronous call site too. It costs about 2.5 µs per call. Without it (the default), a
   * timeout error shows the async functions that await the call, at no cost per call.
   */
  readonly captureAskCallStack?: boolean;
  /**
   * Makes the service reachable from other processes: the TCP host and port (a number, a
   * range such as `'50100-50200'`, or 0) to listen on, and the external address to advertise
   * if it differs. Only with {@link NactRpcService.create}. Without it the service is
   * local-only, though it can still call services that listen.
   */
  readonly listen?: ListenOptions;
  /** Frame size, timeouts, heartbeats and reconnection of remote calls. */
  readonly transport?: TransportOptions;
}

/** {@link NactRpcServiceOptions} with every default applied. */
export type ResolvedNactRpcServiceOptions = Required<Omit<NactRpcServiceOptions, 'listen' | 'transport'>> & {
  readonly listen: ListenOptions | undefined;
  readonly transport: ResolvedTransportOptions;
};

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Applies the defaults and checks every option.
 * @throws TypeError or RangeError naming the option that is wrong.
 */
export function resolveOptions(options: NactRpcServiceOptions = {}): ResolvedNactRpcServiceOptions {
  const name = options.name ?? 'nact-rpc';
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new TypeError(`Invalid service name ${JSON.stringify(name)}: use letters, digits, '_', '.' or '-'`);
  }
  const askTimeoutMs = options.askTimeoutMs ?? 10_000;
  if (typeof askTimeoutMs !== 'number' || !(askTimeoutMs > 0)) {
    throw new RangeError(`askTimeoutMs must be a positive number of milliseconds, got ${String(askTimeoutMs)}`);
  }
  return {
    name,
    askTimeoutMs,
    forceSerialization: options.forceSerialization ?? false,
    codec: options.codec ?? new SuperJsonCodec(),
    logger: options.logger ?? consoleLogger('warn'),
    captureAskCallStack: options.captureAskCallStack ?? false,
    listen: options.listen,
    transport: resolveTransportOptions(options.transport),
  };
}
