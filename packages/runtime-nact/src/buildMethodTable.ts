import { RpcInvalidStateError } from '@nact-rpc/core';
import type { EndpointHooks } from '@nact-rpc/core/internal';

/** An RPC method of an endpoint, called with the endpoint as `this`. */
export type RpcFunction = (...args: unknown[]) => unknown;

/** An endpoint's method, and whether the protocol declares it local-only. */
export interface MethodEntry {
  readonly fn: RpcFunction;
  /** Local-only: it may be called from this process only, never by a request off the wire. */
  readonly local: boolean;
}

/** Protocol name → method name → the endpoint's method. */
export type MethodTable = ReadonlyMap<string, ReadonlyMap<string, MethodEntry>>;

/**
 * Looks up every method of every protocol the endpoint serves, once, so that a call is two
 * map lookups and never a property lookup by a name that came off the wire.
 * @throws RpcInvalidStateError if the endpoint lacks a method of a protocol it serves.
 */
export function buildMethodTable(endpoint: object, hooks: EndpointHooks): MethodTable {
  const table = new Map<string, Map<string, MethodEntry>>();
  for (const protocol of hooks.protocols) {
    const methods = new Map<string, MethodEntry>();
    for (const [name, descriptor] of Object.entries(protocol.methods)) {
      const fn: unknown = Reflect.get(endpoint, name);
      if (!isFunction(fn)) {
        throw new RpcInvalidStateError(
          `${hooks.className} serves protocol ${protocol.name} but has no method ${name}.`,
        );
      }
      methods.set(name, { fn, local: descriptor.local });
    }
    table.set(protocol.name, methods);
  }
  return table;
}

function isFunction(value: unknown): value is RpcFunction {
  return typeof value === 'function';
}
