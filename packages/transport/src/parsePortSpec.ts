import { RpcInvalidOptionError } from '@nact-rpc/core';

/** A port to listen on: a number (0 for any free port), or a range such as `'50100-50200'`. */
export type PortSpec = number | string;

/**
 * The ports a spec names, in the order to try them.
 * @throws RpcInvalidOptionError for the option `listen.port`, showing the spec, if it is
 *   malformed or out of 0–65535.
 */
export function parsePortSpec(spec: PortSpec): number[] {
  const fail = (): never => {
    throw RpcInvalidOptionError.forValue(
      'listen.port',
      spec,
      'a port from 0 to 65535 (0 for any free port), or a range such as "50100-50200"',
    );
  };
  const check = (port: number): number => (Number.isInteger(port) && port >= 0 && port <= 65535 ? port : fail());
  if (typeof spec === 'number') return [check(spec)];
  if (typeof spec !== 'string') return fail();
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(spec);
  if (match === null) return fail();
  const first = check(Number(match[1]));
  const last = match[2] === undefined ? first : check(Number(match[2]));
  if (last < first) return fail();
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
