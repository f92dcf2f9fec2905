/** How associations behave; every field has a default. */
export interface TransportOptions {
  /** The largest frame sent or accepted, in bytes. Default 10 MiB. */
  readonly maxFrameSize?: number;
  /** How long opening an association (TCP connect and hello) may take, in ms. Default 5 000. */
  readonly connectTimeoutMs?: number;
  /** How often an idle association sends a heartbeat, in ms. Default 1 000. */
  readonly heartbeatIntervalMs?: number;
  /**
   * After how long without any frame from the peer an association is declared dead, in ms.
   * Its pending asks then fail. Default 10 000.
   */
  readonly heartbeatTimeoutMs?: number;
  /** The wait before the first reconnection attempt after a failed one, in ms. Default 100. */
  readonly reconnectBackoffMs?: number;
  /** The longest wait between reconnection attempts, in ms (the wait doubles up to it). Default 5 000. */
  readonly maxReconnectBackoffMs?: number;
  /**
   * How many messages may wait for an association to open. Past it, asks fail at once with
   * `RpcConnectionError` and tells are dropped and logged. Default 10 000.
   */
  readonly maxQueuedMessages?: number;
}

/** {@link TransportOptions} with every default applied. */
export type ResolvedTransportOptions = Required<TransportOptions>;

/**
 * Applies the defaults and checks every option.
 * @throws RangeError naming the option that is out of range.
 */
export function resolveTransportOptions(options: TransportOptions = {}): ResolvedTransportOptions {
  const resolved: ResolvedTransportOptions = {
    maxFrameSize: options.maxFrameSize ?? 10 * 1024 * 1024,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1_000,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 10_000,
    reconnectBackoffMs: options.reconnectBackoffMs ?? 100,
    maxReconnectBackoffMs: options.maxReconnectBackoffMs ?? 5_000,
    maxQueuedMessages: options.maxQueuedMessages ?? 10_000,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(`transport option ${name} must be a positive number, got ${String(value)}`);
    }
  }
  if (resolved.maxFrameSize > 0xffff_ffff) {
    throw new RangeError(`transport option maxFrameSize must fit in 32 bits, got ${resolved.maxFrameSize}`);
  }
  if (resolved.heartbeatTimeoutMs <= resolved.heartbeatIntervalMs) {
    throw new RangeError(
      `transport option heartbeatTimeoutMs (${resolved.heartbeatTimeoutMs}) must exceed heartbeatIntervalMs (${resolved.heartbeatIntervalMs})`,
    );
  }
  return resolved;
}
