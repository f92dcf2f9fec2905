import { RpcInvalidOptionError } from '@nact-rpc/core';

/**
 * Checks the options of a fenced `connect`: an object whose `fencingToken` is a string, a
 * number or a bigint (the types that cross the wire and compare by value).
 * @throws RpcInvalidOptionError naming `options` or `fencingToken`.
 */
export function validateConnectOptions(options: unknown): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw RpcInvalidOptionError.forValue(
      'options',
      options,
      'an object such as { fencingToken: 42 }, or nothing',
      'connect',
    );
  }
  const token = (options as { fencingToken?: unknown }).fencingToken;
  if (typeof token !== 'string' && typeof token !== 'number' && typeof token !== 'bigint') {
    throw RpcInvalidOptionError.forValue('fencingToken', token, 'a string, number or bigint', 'connect');
  }
}
