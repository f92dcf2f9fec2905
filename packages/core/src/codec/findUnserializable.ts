/**
 * Finds the first part of a value that a structured codec would silently lose or change:
 * functions, symbols, and instances of classes the codec does not know (their prototype,
 * and so their methods, would not survive). Returns a description such as
 * `a function at [0].onDone`, or `undefined` when the whole value can be represented.
 *
 * @param isKnownClass - Whether instances of a constructor are represented faithfully.
 */
export function findUnserializable(value: unknown, isKnownClass: (constructor: unknown) => boolean): string | undefined {
  const visited = new Set<object>();

  const visit = (current: unknown, path: string): string | undefined => {
    switch (typeof current) {
      case 'function':
        return `a function at ${path || 'the top level'}`;
      case 'symbol':
        return `a symbol at ${path || 'the top level'}`;
      case 'object':
        break;
      default:
        return undefined;
    }
    if (current === null || visited.has(current)) return undefined;
    visited.add(current);
    const prototype = Object.getPrototypeOf(current) as { constructor?: unknown } | null;
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        const found = visit(current[i], `${path}[${i}]`);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    if (current instanceof Map) {
      let index = 0;
      for (const [key, entry] of current) {
        const found = visit(key, `${path}<map key ${index}>`) ?? visit(entry, `${path}<map value ${index}>`);
        if (found !== undefined) return found;
        index++;
      }
      return undefined;
    }
    if (current instanceof Set) {
      let index = 0;
      for (const entry of current) {
        const found = visit(entry, `${path}<set entry ${index++}>`);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    if (prototype !== null && prototype !== Object.prototype && !isNativeValue(current) && !isKnownClass(prototype.constructor)) {
      const name = typeof prototype.constructor === 'function' ? prototype.constructor.name : 'unknown';
      return `an instance of class ${name || '(anonymous)'} at ${path || 'the top level'}, which the codec does not know`;
    }
    for (const key of Object.keys(current)) {
      const found = visit((current as Record<string, unknown>)[key], `${path}.${key}`);
      if (found !== undefined) return found;
    }
    return undefined;
  };

  return visit(value, '');
}

/** Built-in value types, recognised by their internal brand, so that a replaced global (a fake `Date` of a test clock) does not hide them. */
const NATIVE_TAGS: ReadonlySet<string> = new Set(['[object Date]', '[object RegExp]', '[object Error]', '[object URL]']);

function isNativeValue(value: object): boolean {
  return ArrayBuffer.isView(value) || NATIVE_TAGS.has(Object.prototype.toString.call(value));
}
