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
const NATIVE_TAGS: ReadonlySet<string> = new Set([
  '[object Date]',
  '[object RegExp]',
  '[object Error]',
  '[object URL]',
]);

/**
 * Walks a value once and says how it can be serialized: as plain JSON (the fast path), only
 * by a richer format such as superjson, or not without loss. The last covers functions,
 * symbols and instances of classes that `isKnownClass` does not accept (their prototype, and
 * so their methods, would not survive): what superjson would silently drop or change.
 *
 * The path to a problem is built only when there is one, so the common case allocates little.
 */
export function classifyValue(value: unknown, isKnownClass: (constructor: unknown) => boolean): ValueClass {
  return new ValueClassifier(isKnownClass).classify(value);
}

/**
 * A reusable {@link classifyValue}: one per codec, so that a walk allocates nothing but what
 * it must remember. Not re-entrant; a codec uses a fresh one if a walk is already running.
 */
export class ValueClassifier {
  /** Objects seen in the current walk: usually few, so a list is faster than a set... */
  private readonly visitedList: object[] = [];
  /** ...until there are many. */
  private visitedSet: Set<object> | undefined;
  private readonly path: string[] = [];
  private problem = '';
  /** Whether a walk is running. */
  busy = false;

  constructor(private readonly isKnownClass: (constructor: unknown) => boolean) {}

  /** Classifies `value` (see {@link classifyValue}). */
  classify(value: unknown): ValueClass {
    this.busy = true;
    try {
      switch (this.visit(value)) {
        case IS_PLAIN:
          return PLAIN;
        case IS_RICH:
          return RICH;
        default: {
          const where = this.path.length === 0 ? 'the top level' : this.path.reverse().join('');
          return { kind: 'unserializable', problem: `${this.problem} at ${where}` };
        }
      }
    } finally {
      this.busy = false;
      this.visitedList.length = 0;
      this.visitedSet = undefined;
      this.path.length = 0;
    }
  }

  private unserializable(what: string): number {
    this.problem = what;
    return IS_UNSERIALIZABLE;
  }

  private seen(object: object): boolean {
    if (this.visitedSet !== undefined) {
      if (this.visitedSet.has(object)) return true;
      this.visitedSet.add(object);
      return false;
    }
    if (this.visitedList.includes(object)) return true;
    this.visitedList.push(object);
    if (this.visitedList.length > 32) this.visitedSet = new Set(this.visitedList);
    return false;
  }

  private visit(current: unknown): number {
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
        return this.unserializable('a function');
      case 'symbol':
        return this.unserializable('a symbol');
      case 'object':
        break;
    }
    if (current === null) return IS_PLAIN;
    const object = current;
    const prototype = Object.getPrototypeOf(object) as { constructor?: unknown } | null;
    // Shared references and cycles are kept by a rich format and lost (or fatal) in JSON.
    if (this.seen(object)) return IS_RICH;
    // Plain objects and arrays first: the fast path is made of them.
    if (prototype === Object.prototype) return this.visitProperties(object, IS_PLAIN);
    if (prototype === Array.prototype || Array.isArray(object)) return this.visitArray(object as unknown[]);
    if (object instanceof Map) return this.visitMap(object);
    if (object instanceof Set) return this.visitSet(object);
    if (prototype === null) return this.visitProperties(object, IS_PLAIN);
    if (ArrayBuffer.isView(object) || NATIVE_TAGS.has(Object.prototype.toString.call(object))) return IS_RICH;
    if (!this.isKnownClass(prototype.constructor)) {
      const name = typeof prototype.constructor === 'function' ? prototype.constructor.name : '';
      return this.unserializable(`an instance of class ${name || '(anonymous)'}`);
    }
    return this.visitProperties(object, IS_RICH);
  }

  /** The own enumerable properties of `object`, at least `result`. */
  private visitProperties(object: object, result: number): number {
    for (const key in object) {
      if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
      const entry: unknown = (object as Record<string, unknown>)[key];
      const kind = entry === undefined ? IS_RICH : this.visit(entry);
      if (kind === IS_UNSERIALIZABLE) {
        this.path.push(`.${key}`);
        return kind;
      }
      if (kind > result) result = kind;
    }
    return result;
  }

  private visitArray(array: readonly unknown[]): number {
    let result = IS_PLAIN;
    for (let i = 0; i < array.length; i++) {
      const element = array[i];
      const kind = element === undefined ? IS_RICH : this.visit(element);
      if (kind === IS_UNSERIALIZABLE) {
        this.path.push(`[${i}]`);
        return kind;
      }
      if (kind > result) result = kind;
    }
    return result;
  }

  private visitMap(map: ReadonlyMap<unknown, unknown>): number {
    let index = 0;
    for (const [key, entry] of map) {
      if (this.visit(key) === IS_UNSERIALIZABLE) {
        this.path.push(`<map key ${index}>`);
        return IS_UNSERIALIZABLE;
      }
      if (this.visit(entry) === IS_UNSERIALIZABLE) {
        this.path.push(`<map value ${index}>`);
        return IS_UNSERIALIZABLE;
      }
      index++;
    }
    return IS_RICH;
  }

  private visitSet(set: ReadonlySet<unknown>): number {
    let index = 0;
    for (const entry of set) {
      if (this.visit(entry) === IS_UNSERIALIZABLE) {
        this.path.push(`<set entry ${index}>`);
        return IS_UNSERIALIZABLE;
      }
      index++;
    }
    return IS_RICH;
  }
}
