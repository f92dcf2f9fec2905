import { RpcInvalidOptionError } from '../errors/RpcInvalidOptionError';
import { checkCallMetadata } from './callMetadata';

/**
 * How one call is made, beyond its arguments: given to a gateway with `withCallOptions`.
 * Every field is optional; a gateway without options makes plain calls.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const answer = withCallOptions(gateway, { signal: controller.signal, timeoutMs: 500 }).hello();
 * controller.abort(); // answer rejects at once with RpcCancelledError
 * ```
 */
export interface CallOptions {
  /**
   * Cancels the call: when it aborts, a pending ask rejects at once with `RpcCancelledError`
   * (its `cause` is the signal's reason), and the serving side is told: a call still waiting in
   * the endpoint's mailbox never runs, and a running one sees its own signal abort. Tells
   * ignore it.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * The call's deadline, as a time from now in milliseconds: the call fails with
   * `RpcTimeoutError` when it passes, and unlike a method's timeout argument it travels with the
   * call, so the calls its endpoint makes while serving it inherit it.
   */
  readonly timeoutMs?: number | undefined;
  /**
   * The call's deadline as a point in time, in milliseconds of the service's clock (for the
   * system clock, `Date.now()`'s scale). With `timeoutMs` too, the earlier one counts.
   */
  readonly deadline?: number | undefined;
  /**
   * Keys and values the serving side reads from its call context and interceptors see: for
   * example a tenant, a request id or credentials. Keys are lower-case (`a-z`, `0-9`, `.`,
   * `_`, `-`, at most 64 bytes), values at most 1,024 bytes, at most 32 entries and 8,192 bytes
   * in all.
   */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
  /**
   * Whether the call inherits the deadline of the call being served when it is made (an
   * endpoint calling another while it handles a call). Default `true`; `false` makes a call
   * that outlives the one that caused it.
   */
  readonly inheritDeadline?: boolean | undefined;
}

/**
 * Checks call options given by a user, naming the first wrong field.
 * @throws RpcInvalidOptionError for a field of the wrong type or range.
 */
export function checkCallOptions(options: unknown): CallOptions {
  const where = 'withCallOptions';
  if (typeof options !== 'object' || options === null) {
    throw RpcInvalidOptionError.forValue('options', options, 'an object of call options', where);
  }
  const { signal, timeoutMs, deadline, metadata, inheritDeadline } = options as Record<string, unknown>;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw RpcInvalidOptionError.forValue('signal', signal, 'an AbortSignal', where);
  }
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !(timeoutMs >= 0))) {
    throw RpcInvalidOptionError.forValue('timeoutMs', timeoutMs, 'a time of 0 or more milliseconds', where);
  }
  if (deadline !== undefined && (typeof deadline !== 'number' || !Number.isFinite(deadline))) {
    throw RpcInvalidOptionError.forValue('deadline', deadline, 'a finite time in milliseconds', where);
  }
  if (inheritDeadline !== undefined && typeof inheritDeadline !== 'boolean') {
    throw RpcInvalidOptionError.forValue('inheritDeadline', inheritDeadline, 'a boolean', where);
  }
  if (metadata !== undefined) {
    const problem = checkCallMetadata(metadata);
    if (problem !== undefined) {
      throw new RpcInvalidOptionError(`${where}: invalid metadata: ${problem}.`, { option: 'metadata' });
    }
  }
  return options;
}
