import { RpcDecodeLimitError } from '../errors/RpcDecodeLimitError';
import { RpcSerializationError } from '../errors/RpcSerializationError';

/** superjson's text as parsed: the value written as JSON, and what to convert where. */
export interface SuperJsonPayload {
  readonly json?: unknown;
  readonly meta?: { readonly values?: unknown; readonly v?: unknown } | null;
}

/** What {@link checkAnnotations} checks. */
export interface AnnotationChecks {
  /** The most digits of a BigInt, or `undefined` not to check BigInts. */
  readonly maxDigits: number | undefined;
  /** Whether to check that no instance of a registered class has an own `__proto__` key. */
  readonly classes: boolean;
}

/**
 * Checks a parsed superjson payload before superjson converts it. BigInts against `maxDigits`
 * (the conversion takes time that grows faster than the number of digits): the strings
 * annotated `bigint`, and the elements of a `BigInt64Array` or `BigUint64Array`. With
 * `classes`, instances of registered classes for an own `__proto__` key (superjson copies
 * their properties with `Object.assign`, which would give the instance that key's value as
 * its prototype). It follows superjson's value annotations (`meta.values`, a tree of paths
 * and types) without recursion, reading only the paths that lead to such a value; paths and
 * trees superjson would reject are left to it.
 * @throws RpcDecodeLimitError naming `maxBigIntDigits` for the first BigInt over it.
 * @throws RpcSerializationError for an instance with a `__proto__` key.
 */
export function checkAnnotations(payload: SuperJsonPayload, checks: AnnotationChecks): void {
  const { maxDigits = Number.POSITIVE_INFINITY } = checks;
  const meta = payload.meta;
  if (typeof meta !== 'object' || meta === null) return;
  const legacyPaths = typeof meta.v !== 'number' || meta.v < 1;
  const pending: { tree: unknown; path: readonly string[] }[] = [{ tree: meta.values, path: [] }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { tree, path } = next;
    let children: unknown = tree;
    if (Array.isArray(tree)) {
      const [type, inner] = tree as unknown[];
      if (type === 'bigint') checkDigits(valueAt(payload.json, path), maxDigits);
      else if (isBigIntArrayType(type)) checkElements(valueAt(payload.json, path), maxDigits);
      else if (checks.classes && isClassType(type)) checkInstance(valueAt(payload.json, path), type);
      children = inner;
    }
    if (typeof children !== 'object' || children === null) continue;
    for (const [key, subtree] of Object.entries(children)) {
      if (!leadsToChecked(subtree, checks.classes)) continue;
      const keyPath = parsePath(key, legacyPaths);
      if (keyPath !== undefined) pending.push({ tree: subtree, path: [...path, ...keyPath] });
    }
  }
}

/** Whether an annotation tree may annotate a value to check: a leaf of another type cannot. */
function leadsToChecked(tree: unknown, classes: boolean): boolean {
  if (typeof tree !== 'object' || tree === null) return false;
  if (!Array.isArray(tree)) return true;
  const [type, inner] = tree as unknown[];
  if (type === 'bigint' || isBigIntArrayType(type) || (classes && isClassType(type))) return true;
  return typeof inner === 'object' && inner !== null;
}

/** A superjson type `['class', identifier]`: an instance of a registered class. */
function isClassType(type: unknown): type is readonly ['class', unknown] {
  return Array.isArray(type) && type[0] === 'class';
}

function checkInstance(value: unknown, type: readonly ['class', unknown]): void {
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__')) {
    throw new RpcSerializationError(`Cannot deserialize: an instance of ${String(type[1])} has a __proto__ key`);
  }
}

/** A superjson type `['typed-array', 'BigInt64Array']`: its elements are converted to BigInts. */
function isBigIntArrayType(type: unknown): boolean {
  if (!Array.isArray(type) || type[0] !== 'typed-array') return false;
  return type[1] === 'BigInt64Array' || type[1] === 'BigUint64Array';
}

function checkElements(value: unknown, maxDigits: number): void {
  if (Array.isArray(value)) for (const element of value) checkDigits(element, maxDigits);
}

function checkDigits(value: unknown, maxDigits: number): void {
  if (typeof value !== 'string') return;
  const digits = value.length - (value.startsWith('-') ? 1 : 0);
  if (digits > maxDigits) {
    throw RpcDecodeLimitError.refusing(`a BigInt of ${digits} digits`, 'maxBigIntDigits', maxDigits, digits);
  }
}

/**
 * The value at `path` in JSON as parsed, where superjson will find it: before conversion a
 * Map is an array of `[key, value]` pairs and a Set an array, so every step is an own property.
 */
function valueAt(json: unknown, path: readonly string[]): unknown {
  let node = json;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * A superjson path (`a.b\.c` is `['a', 'b.c']`) as superjson's own `parsePath` reads it, or
 * `undefined` where superjson throws.
 */
function parsePath(text: string, legacyPaths: boolean): string[] | undefined {
  const result: string[] = [];
  let segment = '';
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (!legacyPaths && char === '\\') {
      const escaped = text.charAt(i + 1);
      if (escaped === '\\') {
        segment += '\\';
        i++;
        continue;
      }
      if (escaped !== '.') return undefined;
    }
    if (char === '\\' && text.charAt(i + 1) === '.') {
      segment += '.';
      i++;
    } else if (char === '.') {
      result.push(segment);
      segment = '';
    } else {
      segment += char;
    }
  }
  result.push(segment);
  return result;
}
