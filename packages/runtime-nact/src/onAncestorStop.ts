import type { Ref } from 'nact';
import { find } from 'nact/lib/system-map.js';

/*
 * Why this file exists: nact 7.6.2 runs an actor's `afterStop` only when `stop` is called on
 * that very actor. Stopping a system or an actor also stops its descendants, but silently: the
 * cascade passes nact's `stop` the concrete child actors, which its lookup (by reference
 * `type`) does not recognise, so the children are only cut off (unreachable, their `afterStop`
 * never runs). Measured; the service would never learn that its user stopped the system. So
 * the service listens on the `stop` of each actor above it instead, through nact's internal
 * map of systems: the pinned nact version is what makes this safe.
 */

interface Stoppable {
  stop(...args: unknown[]): unknown;
}

/** The listeners of each hooked concrete system or actor; each is hooked once, whoever listens. */
const listenersOf = new WeakMap<Stoppable, Set<() => void>>();

/**
 * Calls `listener` (once) right after nact's `stop` of the system of `ref`, or of any actor
 * on the path from that system down to `ref`, included.
 *
 * @param ref - A nact actor or actor system reference, of a system that is running.
 * @returns A function that removes the listener; or `undefined` if nact's internals are not
 *   what this version of nact-rpc expects, and the stops cannot be watched.
 */
export function onAncestorStop(ref: Ref<unknown>, listener: () => void): (() => void) | undefined {
  const ancestors = concreteAncestors(ref);
  if (ancestors === undefined) return undefined;
  let fired = false;
  const once = (): void => {
    if (fired) return;
    fired = true;
    remove();
    listener();
  };
  const remove = (): void => {
    for (const ancestor of ancestors) listenersOf.get(ancestor)?.delete(once);
  };
  for (const ancestor of ancestors) listenersFor(ancestor).add(once);
  return remove;
}

/** The concrete system of `ref` and the concrete actors from it down to `ref`, or `undefined`. */
function concreteAncestors(ref: Ref<unknown>): Stoppable[] | undefined {
  const { system, path } = ref as {
    readonly system?: { readonly name?: unknown };
    readonly path?: { readonly parts?: unknown };
  };
  const systemName = system?.name;
  const parts = path?.parts;
  if (typeof find !== 'function' || typeof systemName !== 'string' || !Array.isArray(parts)) return undefined;
  const ancestors: unknown[] = [find(systemName)];
  for (let depth = 1; depth <= parts.length; depth++) {
    ancestors.push(find(systemName, { type: 'actor', path: { parts: parts.slice(0, depth) } }));
  }
  return ancestors.every(isStoppable) ? ancestors : undefined;
}

function isStoppable(value: unknown): value is Stoppable {
  return typeof value === 'object' && value !== null && typeof (value as { stop?: unknown }).stop === 'function';
}

/** The listeners of `concrete`, hooking its `stop` the first time. */
function listenersFor(concrete: Stoppable): Set<() => void> {
  let listeners = listenersOf.get(concrete);
  if (listeners === undefined) {
    const created = new Set<() => void>();
    const stop = concrete.stop.bind(concrete);
    // An own property shadows the class's method; every caller (nact's `stop`, a supervisor's
    // decision, the system's cascade) goes through it. nact's own work runs first.
    concrete.stop = (...args: unknown[]): unknown => {
      const result = stop(...args);
      for (const listener of [...created]) listener();
      return result;
    };
    listenersOf.set(concrete, created);
    listeners = created;
  }
  return listeners;
}
