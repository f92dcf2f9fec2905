import { randomUUID } from 'node:crypto';
import { isRpcError, parseRpcAddress, RpcInvalidOptionError, type AnyProtocol } from '@nact-rpc/core';

/** Whether `value` looks like a protocol made by `defineProtocol`. */
export function isProtocol(value: unknown): value is AnyProtocol {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof AnyProtocol, unknown>>;
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.fingerprint === 'string' &&
    typeof candidate.methods === 'object' &&
    candidate.methods !== null &&
    Array.isArray(candidate.extends)
  );
}

/**
 * Checks that `protocol` is a protocol.
 * @throws RpcInvalidOptionError naming `protocol`.
 */
export function checkProtocol(protocol: unknown, where: string): asserts protocol is AnyProtocol {
  if (!isProtocol(protocol)) {
    throw RpcInvalidOptionError.forValue('protocol', protocol, 'a protocol made by defineProtocol', where);
  }
}

/**
 * Checks a stub's implementations: an object whose every own key is a method of `protocol`
 * and whose every value is a function.
 * @returns The implementations by method name.
 * @throws RpcInvalidOptionError naming `implementations` or `implementations.<key>`.
 */
export function checkImplementations(
  protocol: AnyProtocol,
  implementations: unknown,
  where: string,
): Map<string, (...args: unknown[]) => unknown> {
  if (implementations === null || typeof implementations !== 'object' || Array.isArray(implementations)) {
    throw RpcInvalidOptionError.forValue(
      'implementations',
      implementations,
      `an object of methods of protocol ${protocol.name}`,
      where,
    );
  }
  const checked = new Map<string, (...args: unknown[]) => unknown>();
  for (const [methodName, implementation] of Object.entries(implementations)) {
    checkMethodName(protocol, methodName, `implementations.${methodName}`, where);
    checked.set(methodName, checkImplementation(implementation, `implementations.${methodName}`, where));
  }
  return checked;
}

/**
 * Checks that `methodName` is a method of `protocol`.
 * @throws RpcInvalidOptionError naming `option`.
 */
export function checkMethodName(protocol: AnyProtocol, methodName: unknown, option: string, where: string): void {
  if (typeof methodName !== 'string' || !Object.hasOwn(protocol.methods, methodName)) {
    const methods = Object.keys(protocol.methods).join(', ') || 'none';
    throw RpcInvalidOptionError.forValue(
      option,
      methodName,
      `a method of protocol ${protocol.name} (${methods})`,
      where,
    );
  }
}

/**
 * Checks that `implementation` is a function.
 * @throws RpcInvalidOptionError naming `option`.
 */
export function checkImplementation(
  implementation: unknown,
  option: string,
  where: string,
): (...args: unknown[]) => unknown {
  if (typeof implementation !== 'function') {
    throw RpcInvalidOptionError.forValue(option, implementation, 'a function', where);
  }
  return implementation as (...args: unknown[]) => unknown;
}

/**
 * The address of a stub: `address` if given (a nact-rpc address), else a new one in the
 * made-up service `stubs`, named after the protocol.
 * @throws RpcInvalidOptionError naming `address` if it is not a nact-rpc address.
 */
export function stubAddress(
  protocol: AnyProtocol,
  address: unknown,
  where: string,
): { readonly address: string; readonly hostname: string } {
  if (address === undefined) {
    const name = protocol.name.replace(/[^A-Za-z0-9_.-]/g, '_');
    return { address: `nact-rpc://stubs/${name}-${randomUUID()}`, hostname: 'localhost' };
  }
  try {
    const parsed = parseRpcAddress(address as string);
    return { address: address as string, hostname: parsed.host ?? 'localhost' };
  } catch (error) {
    if (!isRpcError(error, 'RPC_CONNECTION')) throw error;
    throw new RpcInvalidOptionError(`${where}: invalid address: ${error.message}`, { option: 'address', cause: error });
  }
}
