import { RpcInvalidOptionError } from '@nact-rpc/core';
import { MAX_DELAY_MS } from '@nact-rpc/core/internal';

/**
 * Checks a scheduling delay.
 * @throws RpcInvalidOptionError for the argument `delayMs`, naming `operation`, if the delay is
 *   negative, not a number, or longer than a timer supports (about 24.8 days).
 */
export function validateDelay(operation: string, delayMs: number): void {
  if (typeof delayMs !== 'number' || !(delayMs >= 0) || delayMs > MAX_DELAY_MS) {
    throw RpcInvalidOptionError.forValue(
      'delayMs',
      delayMs,
      `a number of milliseconds from 0 to ${MAX_DELAY_MS}`,
      operation,
    );
  }
}
