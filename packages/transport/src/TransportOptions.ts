import { RpcInvalidOptionError } from '@nact-rpc/core';
import type { Resolved } from '@nact-rpc/core/internal';

/** How associations behave; every field has a default. */
export interface TransportOptions {
  /** The largest frame sent or accepted, in bytes. Default 10 MiB. */
  readonly maxFrameSize?: number | undefined;
  /**
   * How long opening an association (TCP connect and hello) may take, in ms, counted from the
   * connection: bytes arriving do not extend it. Default 5 000.
   */
  readonly connectTimeoutMs?: number | undefined;
  /**
   * How long the rest of a frame may take to arrive once its first byte has, in ms. A frame
   * still partial past it is a protocol error: the connection is closed and its asks in flight
   * fail. Raise it for links slower than `maxFrameSize` per this time. Default 30 000.
   */
  readonly frameTimeoutMs?: number | undefined;
  /**
   * How often an idle association sends a heartbeat, in ms. Default: half of
   * `heartbeatTimeoutMs` (5 000 with its default), so that a Ping sent late still arrives well
   * before the peer's timeout, while 1,000 idle associations cost a process well under 1% of a
   * core (a heartbeat every second costs it about 3%).
   */
  readonly heartbeatIntervalMs?: number | undefined;
  /**
   * After how long without any frame from the peer an idle association (no ask of this side
   * waiting on it) is declared dead, in ms. Its pending asks then fail. Default 10 000.
   */
  readonly heartbeatTimeoutMs?: number | undefined;
  /**
   * While asks of this side wait on an association: a Ping goes out when nothing has arrived
   * for this long, in ms, and the peer answers it, so that a live peer is heard from at this
   * pace however long its methods take. Default 1 000 (or `heartbeatIntervalMs`, if smaller).
   */
  readonly probeIntervalMs?: number | undefined;
  /**
   * While asks of this side wait on an association: the peer is declared dead when nothing has
   * arrived for this long, in ms, counted from the last bytes received or from when the asks
   * started waiting, whichever is later, and its asks fail with `RecipientUnreachableError`:
   * well before their own timeout (`askTimeoutMs`, 10 000). Default 3 000 (or
   * `heartbeatTimeoutMs`, if smaller). A peer whose event loop is blocked this long by its own
   * code counts as dead.
   */
  readonly probeTimeoutMs?: number | undefined;
  /** The wait before the first reconnection attempt after a failed one, in ms. Default 100. */
  readonly reconnectBackoffMs?: number | undefined;
  /** The longest wait between reconnection attempts, in ms (the wait doubles up to it). Default 5 000. */
  readonly maxReconnectBackoffMs?: number | undefined;
  /**
   * How many messages may wait for an association to open. Past it, asks fail at once with
   * `RpcConnectionError` and tells are dropped and logged. Default 10 000.
   */
  readonly maxQueuedMessages?: number | undefined;
  /**
   * The most bytes one connection may hold waiting to be sent (frames not yet written plus the
   * socket's own buffer). A peer that does not read its socket, or has gone silent, makes them
   * pile up: past this limit its association closes, its asks in flight fail, and the tells it
   * could not take are counted. Other peers are not affected. At least `maxFrameSize`.
   * Default 32 MiB, or twice `maxFrameSize` if that is more.
   */
  readonly maxOutputBytes?: number | undefined;
  /**
   * How many messages from peers may wait in one endpoint's mailbox before the connections
   * that send to it stop being read. Reading resumes once half of them have been handled, so a
   * peer that sends faster than an endpoint works is slowed down by TCP instead of filling this
   * process's memory. Default 10 000.
   */
  readonly maxInboundBacklog?: number | undefined;
  /** How many connections the service accepts at once; past it, new ones are closed at once. Default 1 024. */
  readonly maxConnections?: number | undefined;
  /**
   * How many accepted connections may be at once still opening (not yet through the hello and,
   * if configured, authentication); past it, new ones are closed at once. Default 128.
   */
  readonly maxUnauthenticatedConnections?: number | undefined;
}

/** {@link TransportOptions} with every default applied. */
export type ResolvedTransportOptions = Resolved<TransportOptions>;

/** What each option accepts, completing "expected …"; the counts must be whole numbers. */
const ACCEPTED: Readonly<Record<keyof TransportOptions, string>> = {
  maxFrameSize: 'a whole number of bytes from 1 to 4294967295 (2^32 - 1)',
  connectTimeoutMs: 'a positive, finite number of milliseconds',
  frameTimeoutMs: 'a positive, finite number of milliseconds',
  heartbeatIntervalMs: 'a positive, finite number of milliseconds',
  heartbeatTimeoutMs: 'a positive, finite number of milliseconds',
  probeIntervalMs: 'a positive, finite number of milliseconds',
  probeTimeoutMs: 'a positive, finite number of milliseconds',
  reconnectBackoffMs: 'a positive, finite number of milliseconds',
  maxReconnectBackoffMs: 'a positive, finite number of milliseconds',
  maxQueuedMessages: 'a positive whole number',
  maxOutputBytes: 'a whole number of bytes, at least maxFrameSize',
  maxInboundBacklog: 'a positive whole number',
  maxConnections: 'a positive whole number',
  maxUnauthenticatedConnections: 'a positive whole number',
};
const WHOLE_NUMBERS: ReadonlySet<string> = new Set([
  'maxFrameSize',
  'maxQueuedMessages',
  'maxOutputBytes',
  'maxInboundBacklog',
  'maxConnections',
  'maxUnauthenticatedConnections',
]);
const DEFAULT_MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

/**
 * Applies the defaults and checks every option.
 * @throws RpcInvalidOptionError naming the option (`transport.maxFrameSize`, …) that is of the
 *   wrong type or out of range, or `transport` if `options` is not an object.
 */
export function resolveTransportOptions(options: TransportOptions = {}): ResolvedTransportOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw RpcInvalidOptionError.forValue(
      'transport',
      options,
      'an object of transport options such as { maxFrameSize: 1048576 }',
    );
  }
  const maxFrameSize = options.maxFrameSize ?? 10 * 1024 * 1024;
  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 10_000;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? defaultHeartbeatInterval(heartbeatTimeoutMs);
  const resolved: ResolvedTransportOptions = {
    maxFrameSize,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    frameTimeoutMs: options.frameTimeoutMs ?? 30_000,
    heartbeatIntervalMs,
    heartbeatTimeoutMs,
    probeIntervalMs: options.probeIntervalMs ?? Math.min(1_000, heartbeatIntervalMs),
    probeTimeoutMs: options.probeTimeoutMs ?? Math.min(3_000, heartbeatTimeoutMs),
    reconnectBackoffMs: options.reconnectBackoffMs ?? 100,
    maxReconnectBackoffMs: options.maxReconnectBackoffMs ?? 5_000,
    maxQueuedMessages: options.maxQueuedMessages ?? 10_000,
    maxOutputBytes:
      options.maxOutputBytes ??
      (typeof maxFrameSize === 'number'
        ? Math.max(DEFAULT_MAX_OUTPUT_BYTES, 2 * maxFrameSize)
        : DEFAULT_MAX_OUTPUT_BYTES),
    maxInboundBacklog: options.maxInboundBacklog ?? 10_000,
    maxConnections: options.maxConnections ?? 1_024,
    maxUnauthenticatedConnections: options.maxUnauthenticatedConnections ?? 128,
  };
  for (const [name, value] of Object.entries(resolved) as [keyof TransportOptions, unknown][]) {
    const valid =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      value > 0 &&
      (!WHOLE_NUMBERS.has(name) || Number.isInteger(value)) &&
      (name !== 'maxFrameSize' || value <= 0xffff_ffff);
    if (!valid) {
      throw RpcInvalidOptionError.forValue(`transport.${name}`, value, ACCEPTED[name]);
    }
  }
  if (resolved.maxOutputBytes < resolved.maxFrameSize) {
    throw RpcInvalidOptionError.forValue(
      'transport.maxOutputBytes',
      resolved.maxOutputBytes,
      `at least transport.maxFrameSize (${resolved.maxFrameSize})`,
    );
  }
  const { heartbeatIntervalMs: interval, heartbeatTimeoutMs: timeout } = resolved;
  if (timeout <= interval) {
    // Blame the option that was given: the timeout, or the interval if the timeout is the default.
    throw options.heartbeatTimeoutMs === undefined
      ? RpcInvalidOptionError.forValue(
          'transport.heartbeatIntervalMs',
          interval,
          `less than transport.heartbeatTimeoutMs (${timeout}, the default; set both)`,
        )
      : RpcInvalidOptionError.forValue(
          'transport.heartbeatTimeoutMs',
          timeout,
          `more than transport.heartbeatIntervalMs (${interval})`,
        );
  }
  if (resolved.probeTimeoutMs <= resolved.probeIntervalMs) {
    throw RpcInvalidOptionError.forValue(
      options.probeTimeoutMs === undefined ? 'transport.probeIntervalMs' : 'transport.probeTimeoutMs',
      options.probeTimeoutMs === undefined ? resolved.probeIntervalMs : resolved.probeTimeoutMs,
      options.probeTimeoutMs === undefined
        ? `less than transport.probeTimeoutMs (${resolved.probeTimeoutMs}, the default; set both)`
        : `more than transport.probeIntervalMs (${resolved.probeIntervalMs})`,
    );
  }
  return resolved;
}

/**
 * The heartbeat interval when none is given: half the timeout; for a timeout that is not a
 * positive number (refused below, by its own name), the half of the default.
 */
function defaultHeartbeatInterval(timeoutMs: unknown): number {
  return typeof timeoutMs === 'number' && timeoutMs > 0 && Number.isFinite(timeoutMs) ? timeoutMs / 2 : 5_000;
}
