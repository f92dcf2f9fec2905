import type { AnyProtocol } from '@nact-rpc/core';
import type { EndpointHooks } from '@nact-rpc/core/internal';
import { buildMethodTable, type MethodTable } from './buildMethodTable';

/** A table built for the endpoints of one class, and the protocols it was built for. */
interface SharedTable {
  readonly protocols: readonly AnyProtocol[];
  readonly table: MethodTable;
}

/**
 * The method tables shared by the endpoints of a class, by the endpoints' prototype: a
 * service may hold a hundred thousand endpoints of one class, and their methods are the
 * same functions, found on the prototype.
 */
const sharedTables = new WeakMap<object, SharedTable>();

/**
 * The method table of `endpoint` (see `buildMethodTable`): the one shared by the endpoints of
 * its class when every method it would look up is that table's, inherited (not an own
 * property of the endpoint); otherwise a table of its own. Checking costs one lookup per
 * method and allocates nothing, so an endpoint whose class was patched after the table was
 * built (a spied method) or that has methods of its own still gets exactly its own methods.
 * @throws RpcInvalidStateError if the endpoint lacks a method of a protocol it serves.
 */
export function methodTableOf(endpoint: object, hooks: EndpointHooks): MethodTable {
  const prototype = Object.getPrototypeOf(endpoint) as object | null;
  const shared = prototype === null ? undefined : sharedTables.get(prototype);
  if (shared !== undefined && shared.protocols === hooks.protocols && inheritsAll(endpoint, shared.table)) {
    return shared.table;
  }
  const table = buildMethodTable(endpoint, hooks);
  if (prototype !== null && shared === undefined && inheritsAll(endpoint, table)) {
    sharedTables.set(prototype, { protocols: hooks.protocols, table });
  }
  return table;
}

/** Whether `endpoint` finds every method of `table`, and finds it on its prototype chain. */
function inheritsAll(endpoint: object, table: MethodTable): boolean {
  for (const methods of table.values()) {
    for (const [name, entry] of methods) {
      if (Object.prototype.hasOwnProperty.call(endpoint, name) || Reflect.get(endpoint, name) !== entry.fn) {
        return false;
      }
    }
  }
  return true;
}
