import { RpcInvalidOptionError } from '../errors/RpcInvalidOptionError';
import type { FencingToken } from './FencingToken';

/** Whether `value` can be a fencing token: a string, a number or a bigint (they cross the wire and compare by value). */
export function isFencingToken(value: unknown): value is FencingToken {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint';
}

/**
 * Checks a fencing token given to `where`: a string, a number or a bigint, or `undefined`
 * where `optional`.
 * @throws RpcInvalidOptionError naming `fencingToken`.
 */
export function checkFencingToken(token: unknown, optional: boolean, where: string): FencingToken | undefined {
  if ((token === undefined && optional) || isFencingToken(token)) return token;
  const accepted = optional ? 'a string, number or bigint, or undefined' : 'a string, number or bigint';
  throw RpcInvalidOptionError.forValue('fencingToken', token, accepted, where);
}

/**
 * Checks the options of a fenced `connect` given to `where`: an object whose `fencingToken` is
 * a string, a number or a bigint.
 * @returns The token.
 * @throws RpcInvalidOptionError naming `options` or `fencingToken`.
 */
export function checkConnectOptions(options: unknown, where = 'connect'): FencingToken {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw RpcInvalidOptionError.forValue(
      'options',
      options,
      'an object such as { fencingToken: 42 }, or nothing',
      where,
    );
  }
  return checkFencingToken((options as { fencingToken?: unknown }).fencingToken, false, where) as FencingToken;
}
