import { RpcInvalidOptionError } from '@nact-rpc/core';
import type { PortSpec } from '@nact-rpc/transport';
import { parsePortSpec } from '@nact-rpc/transport/internal';

/** Calls parsePortSpec and expects an RpcInvalidOptionError for `listen.port`; returns its message. */
function refusal(spec: PortSpec): string {
  let thrown: unknown;
  try {
    parsePortSpec(spec);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(RpcInvalidOptionError);
  expect(thrown).toMatchObject({ code: 'RPC_INVALID_OPTION', option: 'listen.port' });
  return (thrown as RpcInvalidOptionError).message;
}

describe('parsePortSpec', () => {
  test.each([0, 1, 8080, 65535])('accepts the number %i', (port) => {
    expect(parsePortSpec(port)).toEqual([port]);
  });

  test.each([
    ['0', [0]],
    ['8080', [8080]],
    ['65535', [65535]],
    ['  50100 ', [50100]],
    ['\t50100\n', [50100]],
    ['007', [7]],
  ])('accepts the single-port string %j', (spec, ports) => {
    expect(parsePortSpec(spec)).toEqual(ports);
  });

  test.each([
    ['50100-50103', [50100, 50101, 50102, 50103]],
    [' 50100 - 50102 ', [50100, 50101, 50102]],
    ['50100-50100', [50100]],
    ['0-2', [0, 1, 2]],
    ['65534-65535', [65534, 65535]],
  ])('lists the ports of the range %j in order', (spec, ports) => {
    expect(parsePortSpec(spec)).toEqual(ports);
  });

  test('lists every port of the widest range', () => {
    const ports = parsePortSpec('0-65535');
    expect(ports).toHaveLength(65536);
    expect(ports[0]).toBe(0);
    expect(ports[65535]).toBe(65535);
    expect(ports.every((port, i) => port === i)).toBe(true);
  });

  test.each<[string, PortSpec, string]>([
    ['a negative number', -1, '-1'],
    ['a number over 65535', 65536, '65536'],
    ['a float', 1.5, '1.5'],
    ['NaN', Number.NaN, 'NaN'],
    ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
    ['a negative string', '-1', '"-1"'],
    ['a string over 65535', '65536', '"65536"'],
    ['a float string', '1.5', '"1.5"'],
    ['a word', 'abc', '"abc"'],
    ['an empty string', '', '""'],
    ['a blank string', '   ', '"   "'],
    ['a reversed range', '50200-50100', '"50200-50100"'],
    ['a range ending over 65535', '65535-65536', '"65535-65536"'],
    ['an open range', '50100-', '"50100-"'],
    ['a range of three', '1-2-3', '"1-2-3"'],
    ['a hexadecimal string', '0x50', '"0x50"'],
    ['a port with a unit', '80ms', '"80ms"'],
  ])('refuses %s with an RpcInvalidOptionError naming listen.port and the spec', (_, spec, shown) => {
    const message = refusal(spec);
    expect(message).toContain('Invalid listen.port: expected a port from 0 to 65535');
    expect(message).toContain('or a range such as "50100-50200"');
    expect(message).toContain(`got ${typeof spec === 'string' ? `the string ${shown}` : shown}.`);
  });

  test('refuses a value that is neither a number nor a string', () => {
    expect(refusal(null as unknown as PortSpec)).toContain('got null');
    expect(refusal({} as unknown as PortSpec)).toContain('got an empty object');
  });
});
