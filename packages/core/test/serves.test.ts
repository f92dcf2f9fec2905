import { ask, declareServes, defineProtocol, RpcEndpoint, servedProtocols, serves, tell } from '@nact-rpc/core';

const Ping = defineProtocol('Ping', { ping: ask<[], string>() });
const Log = defineProtocol('Log', { line: tell<[text: string]>() }, { extends: [Ping] });

describe('declaring what an endpoint serves', () => {
  test('the standard decorator records the protocols and the ones they extend', () => {
    @serves(Log)
    class LogEndpoint extends RpcEndpoint {
      ping(): string {
        return 'pong';
      }
      line(): void {}
    }
    expect(servedProtocols(LogEndpoint)).toEqual([Log, Ping]);
  });

  test('the decorator called with the class alone, as experimentalDecorators does, records them too', () => {
    class PingEndpoint extends RpcEndpoint {
      ping(): string {
        return 'pong';
      }
    }
    expect(serves(Ping)(PingEndpoint)).toBeUndefined();
    expect(servedProtocols(PingEndpoint)).toEqual([Ping]);
  });

  test('declareServes, the form without decorators, records them and returns the class', () => {
    class PingEndpoint extends RpcEndpoint {
      ping(): string {
        return 'pong';
      }
    }
    expect(declareServes(PingEndpoint, Ping)).toBe(PingEndpoint);
    expect(servedProtocols(PingEndpoint)).toEqual([Ping]);
  });

  test('a subclass serves what its parent declared, and its own', () => {
    class PingEndpoint extends RpcEndpoint {
      ping(): string {
        return 'pong';
      }
    }
    declareServes(PingEndpoint, Ping);
    class LogEndpoint extends PingEndpoint {
      line(): void {}
    }
    declareServes(LogEndpoint, Log);
    expect(servedProtocols(LogEndpoint)).toEqual([Log, Ping]);
    expect(servedProtocols(PingEndpoint)).toEqual([Ping]);
  });

  test('the declaration lives on the class, so another copy of the package reads it', () => {
    class PingEndpoint extends RpcEndpoint {
      ping(): string {
        return 'pong';
      }
    }
    declareServes(PingEndpoint, Ping);
    const key = Symbol.for('nact-rpc.declaredProtocols');
    expect((PingEndpoint as unknown as Record<symbol, unknown>)[key]).toEqual([Ping]);
  });

  test('a decorator used on something other than a class is refused', () => {
    const decorate = serves(Ping) as unknown as (target: unknown, context: { kind: string }) => void;
    expect(() => decorate(() => undefined, { kind: 'method' })).toThrow(/decorates endpoint classes, not a method/);
  });

  test('declareServes refuses what is not a class or not a protocol', () => {
    const declare = declareServes as unknown as (...args: unknown[]) => unknown;
    expect(() => declare('PingEndpoint', Ping)).toThrow(
      /declareServes: invalid endpointClass: expected an endpoint class, got the string "PingEndpoint"/,
    );
    expect(() => declare(class extends RpcEndpoint {}, { ping: true })).toThrow(
      /invalid protocols\[0\]: expected a protocol made by defineProtocol/,
    );
  });
});
