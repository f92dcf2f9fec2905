import { ask, defineProtocol, RpcInvalidStateError, tell } from '@nact-rpc/core';
import type { EndpointHooks } from '@nact-rpc/core/internal';
import { methodTableOf } from '../src/methodTableOf';

const TableProtocol = defineProtocol('MethodTableProtocol', { ping: ask<[], number>(), note: tell<[string]>() });

/** The hooks `methodTableOf` reads: the class's protocols, one array for every endpoint of it. */
const protocols = [TableProtocol];
const hooks = { protocols, className: 'TableEndpoint' } as unknown as EndpointHooks;

class TableEndpoint {
  ping(): number {
    return 1;
  }
  note(): void {}
}

/** A method as the prototype holds it, by name (not called here, only compared). */
function prototypeMethod(name: 'ping' | 'note'): unknown {
  return Reflect.get(TableEndpoint.prototype, name);
}

function methodOf(endpoint: object, name: string): unknown {
  return methodTableOf(endpoint, hooks).get(TableProtocol.name)?.get(name)?.fn;
}

describe('the method table of an endpoint', () => {
  test('is one table for the endpoints of a class whose methods are its prototype’s', () => {
    const first = methodTableOf(new TableEndpoint(), hooks);
    expect(methodTableOf(new TableEndpoint(), hooks)).toBe(first);
    expect(first.get(TableProtocol.name)?.get('ping')?.fn).toBe(prototypeMethod('ping'));
  });

  test('is a table of its own for an endpoint with a method of its own', () => {
    const shared = methodTableOf(new TableEndpoint(), hooks);
    const own = new TableEndpoint();
    const ping = (): number => 2;
    own.ping = ping;
    expect(methodTableOf(own, hooks)).not.toBe(shared);
    expect(methodOf(own, 'ping')).toBe(ping);
    expect(methodOf(own, 'note')).toBe(prototypeMethod('note'));
    // The others still share theirs.
    expect(methodTableOf(new TableEndpoint(), hooks)).toBe(shared);
  });

  test('finds a method patched on the class after the table was shared', () => {
    methodTableOf(new TableEndpoint(), hooks);
    const spy = jest.spyOn(TableEndpoint.prototype, 'ping');
    try {
      expect(methodOf(new TableEndpoint(), 'ping')).toBe(spy);
    } finally {
      spy.mockRestore();
    }
    expect(methodOf(new TableEndpoint(), 'ping')).toBe(prototypeMethod('ping'));
  });

  test('is refused for an endpoint that lacks a method of a protocol it serves', () => {
    class Incomplete {
      ping(): number {
        return 1;
      }
    }
    expect(() => methodTableOf(new Incomplete(), hooks)).toThrow(RpcInvalidStateError);
    expect(() => methodTableOf(new Incomplete(), hooks)).toThrow('has no method note');
  });
});
