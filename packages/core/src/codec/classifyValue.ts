/** The outcome of {@link classifyValue}. */
export type ValueClass =
  /** Only what JSON represents exactly: strings, finite numbers, booleans, null, arrays, plain objects, no shared references. */
  | { readonly kind: 'plain' }
  /** Representable, but only by a richer format: Dates, Maps, BigInts, undefined, cycles, registered classes... */
  | { readonly kind: 'rich' }
  /** Not representable without loss; `problem` says what and where, e.g. `a function at [0].onDone`. */
  | { readonly kind: 'unserializable'; readonly problem: string };

const PLAIN: ValueClass = { kind: 'plain' };
const RICH: ValueClass = { kind: 'rich' };
const IS_PLAIN = 0;
const IS_RICH = 1;
const IS_UNSERIALIZABLE = 2;

/** Built-in value types, recognised by their internal brand, so that a replaced global (a fake `Date` of a test clock) does not hide them. */
const NATIVE_TAGS: ReadonlySet<string> = new Set(['[object Date]', '[object RegExp]', '[object Error]', '[object URL]']);

/**
 * Walks a value once and says how it can be serialized: as plain JSON (the fast path), only
 * by a richer format such as superjson, or not without loss. The last covers functions,
 * symbols and instances of classes that `isKnownClass` does not accept (their prototype, and
 * so their methods, would not survive): what superjson would silently drop or change.
 *
 * The path to a problem is built only when there is one, so the common case allocates little.
 */
export function classifyValue(value: unknown, isKnownClass: (constructor: unknown) => boolean): ValueClass {
  const visited = new Set<object>();
  const path: string[] = [];
  let problem = '';

  const unserializable = (what: string): number => {
    problem = what;
    return IS_UNSERIALIZABLE;
  };

  const visit = (current: unknown): number => {
    switch (typeof current) {
      case 'string':
      case 'boolean':
        return IS_PLAIN;
      case 'number':
        return Number.isFinite(current) && !Object.is(current, -0) ? IS_PLAIN : IS_RICH;
      case 'undefined':
      case 'bigint':
        return IS_RICH;
      case 'function':
        return unserializable('a function');
      case 'symbol':
        return unserializable('a symbol');
    }
    if (current === null) return IS_PLAIN;
    const object = current as object;
    // Shared references and cycles are kept by a rich format and lost (or fatal) in JSON.
    if (visited.has(object)) return IS_RICH;
    visited.add(object);
    if (Array.isArray(object)) {
      let result = IS_PLAIN;
      for (let i = 0; i < object.length; i++) {
        const element: unknown = object[i];
        const kind = element === undefined ? IS_RICH : visit(element);
        if (kind === IS_UNSERIALIZABLE) {
          path.push(`[${i}]`);
          return kind;
        }
        if (kind > result) result = kind;
      }
      return result;
    }
    if (object instanceof Map) {
      let index = 0;
      for (const [key, entry] of object) {
        if (visit(key) === IS_UNSERIALIZABLE) {
          path.push(`<map key ${index}>`);
          return IS_UNSERIALIZABLE;
        }
        if (visit(entry) === IS_UNSERIALIZABLE) {
          path.push(`<map value ${index}>`);
          return IS_UNSERIALIZABLE;
        }
        index++;
      }
      return IS_RICH;
    }
    if (object instanceof Set) {
      let index = 0;
      for (const entry of object) {
        if (visit(entry) === IS_UNSERIALIZABLE) {
          path.push(`<set entry ${index}>`);
          return IS_UNSERIALIZABLE;
        }
        index++;
      }
      return IS_RICH;
    }
    const prototype = Object.getPrototypeOf(object) as { constructor?: unknown } | null;
    let result = IS_PLAIN;
    if (prototype !== null && prototype !== Object.prototype) {
      if (ArrayBuffer.isView(object) || NATIVE_TAGS.has(Object.prototype.toString.call(object))) return IS_RICH;
      if (!isKnownClass(prototype.constructor)) {
        const name = typeof prototype.constructor === 'function' ? prototype.constructor.name : '';
        return unserializable(`an instance of class ${name || '(anonymous)'}`);
      }
      result = IS_RICH;
    }
    for (const key in object) {
      if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
      const entry: unknown = (object as Record<string, unknown>)[key];
      const kind = entry === undefined ? IS_RICH : visit(entry);
      if (kind === IS_UNSERIALIZABLE) {
        path.push(`.${key}`);
        return kind;
      }
      if (kind > result) result = kind;
    }
    return result;
  };

  switch (visit(value)) {
    case IS_PLAIN:
      return PLAIN;
    case IS_RICH:
      return RICH;
    default: {
      const where = path.length === 0 ? 'the top level' : path.reverse().join('');
      return { kind: 'unserializable', problem: `${problem} at ${where}` };
    }
  }
}
