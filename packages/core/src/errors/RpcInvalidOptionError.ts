import { RpcError, type RpcErrorOptions } from './RpcError';

/** What an {@link RpcInvalidOptionError} says about the value it refuses. */
export interface RpcInvalidOptionErrorOptions extends RpcErrorOptions {
  /** The option or argument refused, as the user wrote it: `'askTimeoutMs'`, `'transport.maxFrameSize'`, `'listen.port'`. */
  readonly option: string;
}

/**
 * Raised, synchronously where the API is synchronous, when an option or argument given to a
 * nact-rpc API is invalid: of the wrong type, out of range, malformed, or a codec or logger
 * that lacks a method. {@link RpcInvalidOptionError.option} names it, and the message says
 * the value received and what is accepted. Nothing was done: the same call fails again
 * until the value is fixed.
 *
 * It replaces the `TypeError`s and `RangeError`s these checks raised before. A class cannot
 * extend both `RpcError` and `TypeError`, and it extends `RpcError`: code that caught
 * `TypeError` or `RangeError` from an option check should test
 * `isRpcError(error, 'RPC_INVALID_OPTION')` (or `instanceof RpcInvalidOptionError`).
 *
 * @example
 * ```ts
 * try { new NactRpcService({ askTimeoutMs: Number(process.env.TIMEOUT) }); }
 * catch (error) {
 *   if (isRpcError(error, 'RPC_INVALID_OPTION')) console.error(`fix ${error.option}: ${error.message}`);
 * }
 * ```
 */
export class RpcInvalidOptionError extends RpcError {
  override readonly code = 'RPC_INVALID_OPTION' as const;
  /** The option or argument refused: `'askTimeoutMs'`, `'transport.maxFrameSize'`, `'listen.port'`. */
  readonly option: string;

  constructor(message: string, options: RpcInvalidOptionErrorOptions) {
    super(message, options);
    this.option = options.option;
  }

  /**
   * The error for `option`, set to `received` where `accepted` is expected. Its message reads
   * `Invalid askTimeoutMs: expected a positive number of milliseconds, got the string "10".`,
   * preceded by `where` (for example `'scheduleRunnable'`) if given.
   */
  static forValue(option: string, received: unknown, accepted: string, where?: string): RpcInvalidOptionError {
    const lead = where === undefined ? 'Invalid' : `${where}: invalid`;
    return new RpcInvalidOptionError(`${lead} ${option}: expected ${accepted}, got ${describeValue(received)}.`, {
      option,
    });
  }
}

/** A short, unambiguous description of a value for an error message: `the string "10"`, `-1`, `null`, `an object with keys a, b`. */
function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value)}`;
    case 'bigint':
      return `${value}n`;
    case 'function':
      return value.name === '' ? 'a function' : `the function ${value.name}`;
    case 'object':
      return describeObject(value);
    default:
      return String(value);
  }
}

function describeObject(value: object | null): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && name !== '') return `an instance of ${name}`;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return 'an empty object';
  const shown = keys.slice(0, 6).join(', ') + (keys.length > 6 ? ', …' : '');
  return `an object with keys ${shown}`;
}
