import { consoleLogger, RpcEndpoint, RpcInvalidOptionError, SuperJsonCodec, type RpcService } from '@nact-rpc/core';
import { thrownBy } from '@nact-rpc/testing';

class PlainEndpoint extends RpcEndpoint {}

/** A service the endpoint constructor never reaches: the id is checked first. */
const unusedService = {} as RpcService;

describe('invalid options of core APIs', () => {
  test('consoleLogger refuses an unknown level, naming minLevel and the levels it accepts', () => {
    const error = thrownBy(() => consoleLogger('verbose' as 'info'));
    expect(error).toBeInstanceOf(RpcInvalidOptionError);
    expect(error).toMatchObject({ code: 'RPC_INVALID_OPTION', option: 'minLevel' });
    expect((error as Error).message).toBe(
      `consoleLogger: invalid minLevel: expected 'debug', 'info', 'warn' or 'error', got the string "verbose".`,
    );
  });

  test('consoleLogger accepts every level', () => {
    for (const level of ['debug', 'info', 'warn', 'error'] as const) expect(() => consoleLogger(level)).not.toThrow();
  });

  test('SuperJsonCodec refuses a strict option that is not a boolean', () => {
    const error = thrownBy(() => new SuperJsonCodec({ strict: 'no' as unknown as boolean }));
    expect(error).toMatchObject({ code: 'RPC_INVALID_OPTION', option: 'strict' });
    expect((error as Error).message).toContain(
      'SuperJsonCodec: invalid strict: expected true or false, got the string "no"',
    );
  });

  test.each<[string, unknown, string]>([
    ['with a space', 'my endpoint', 'the string "my endpoint"'],
    ['with a slash', 'a/b', 'the string "a/b"'],
    ['empty', '', 'the string ""'],
    ['a number', 42, '42'],
  ])('an endpoint id %s is refused, naming endpointId and the value', (_, endpointId, shown) => {
    const error = thrownBy(() => new PlainEndpoint(unusedService, endpointId as string));
    expect(error).toBeInstanceOf(RpcInvalidOptionError);
    expect(error).toMatchObject({ option: 'endpointId' });
    expect((error as Error).message).toBe(
      `Invalid endpointId: expected an endpoint id of letters, digits, '_', '.' or '-', got ${shown}.`,
    );
  });
});
