/**
 * V8's hidden classes and optimized code, for tests that short-lived objects keep the hidden
 * class that optimized code depends on (see `keepHiddenClass` in core).
 */
import { keptHiddenClasses } from '@nact-rpc/core/internal';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
setFlagsFromString('--allow-natives-syntax');
// The flag counts when code is parsed: these are parsed after it is set.
const gc = runInNewContext('gc') as () => void;
const sameMap = runInNewContext('(a, b) => %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
const prepare = runInNewContext('(f) => %PrepareFunctionForOptimization(f)') as (f: (value: object) => unknown) => void;
const optimizeOnNextCall = runInNewContext('(f) => %OptimizeFunctionOnNextCall(f)') as (
  f: (value: object) => unknown,
) => void;
const status = runInNewContext('(f) => %GetOptimizationStatus(f)') as (f: (value: object) => unknown) => number;

/** The bit of V8's optimization status that says a function runs optimized code. */
const OPTIMIZED = 16;

/** Whether `a` and `b` have the same hidden class. */
export function haveSameHiddenClass(a: object, b: object): boolean {
  return sameMap(a, b);
}

/**
 * Makes V8 optimize `read`, the source of a function of one argument that reads fields of the
 * objects `make` returns (it runs on three of them, then is optimized on a fourth), drops them,
 * runs two full collections, and says whether `read` still runs optimized code. It does not
 * when the collections freed the hidden class its code was optimized for: the class of objects
 * that nothing alive uses any more. `make` must keep no reference to what it makes.
 */
export function staysOptimizedThroughFullCollections(make: () => object, read: string): boolean {
  // Compiled here, so that its code is optimized for these objects alone.
  const reader = runInNewContext(`(${read})`) as (value: object) => unknown;
  optimizeFor(reader, make);
  if (!isOptimized(reader)) throw new Error('V8 did not optimize the reader: the test cannot tell');
  gc();
  gc();
  return isOptimized(reader);
}

/**
 * Runs `reader` on objects from `make` and has V8 optimize it. A function of its own, so that
 * no frame of the caller still holds one of the objects when the collections run.
 */
function optimizeFor(reader: (value: object) => unknown, make: () => object): void {
  prepare(reader);
  for (let i = 0; i < 3; i++) reader(make());
  optimizeOnNextCall(reader);
  reader(make());
}

function isOptimized(f: (value: object) => unknown): boolean {
  return (status(f) & OPTIMIZED) !== 0;
}

/**
 * Whether `instance` has the hidden class of the one instance of its class kept for good (see
 * `keepHiddenClass`); throws unless exactly one of its class is kept.
 */
export function sharesKeptHiddenClass(instance: object): boolean {
  const kept = keptHiddenClasses().filter((candidate) => candidate.constructor === instance.constructor);
  if (kept.length !== 1) throw new Error(`${kept.length} instances of ${instance.constructor.name} are kept, not 1`);
  return haveSameHiddenClass(instance, kept[0] as object);
}
