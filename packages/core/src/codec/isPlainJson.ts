/** Past this many objects, the ones seen are kept in a set rather than searched in a list. */
const MAX_LISTED = 32;

/**
 * Whether JSON represents `value` exactly, so that `JSON.parse(JSON.stringify(value))` gives
 * back an equal value: strings, finite numbers other than -0, booleans, null, arrays and
 * objects whose prototype is `Array.prototype` or `Object.prototype` (or null), no `undefined`
 * anywhere and no object reached twice (a shared reference or a cycle). Stops at the first
 * value that is not. Cheaper than a `ValueClassifier` walk: it tells nothing else.
 */
export function isPlainJson(value: unknown): boolean {
  // One walk serves every call; a call made meanwhile (a getter of the value may encode
  // another value) gets a walk of its own.
  const walk = spareWalk ?? new PlainJsonWalk();
  spareWalk = undefined;
  try {
    return walk.plain(value);
  } finally {
    walk.reset();
    spareWalk = walk;
  }
}

/** A walk of one value at a time: the objects it met, in a list that keeps its room between walks. */
class PlainJsonWalk {
  private readonly listed: (object | undefined)[] = new Array<object | undefined>(MAX_LISTED).fill(undefined);
  private count = 0;
  private set: Set<object> | undefined;

  /** Forgets the objects met, so that the walk holds on to none of them. */
  reset(): void {
    // A loop, not `fill`: the builtin's call costs more than the few objects a value has.
    const { listed, count } = this;
    for (let i = 0; i < count; i++) listed[i] = undefined;
    this.count = 0;
    this.set = undefined;
  }

  plain(value: unknown): boolean {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return true;
      case 'number':
        return value - value === 0 && (value !== 0 || 1 / value > 0);
      case 'object':
        break;
      default:
        return false;
    }
    if (value === null) return true;
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (this.seen(value)) return false;
    if (prototype === Array.prototype) return this.plainArray(value as readonly unknown[]);
    if (prototype !== Object.prototype && prototype !== null) return false;
    // Inherited enumerable properties (of a polluted Object.prototype) are visited too: that
    // can only make the answer false where it would be true, never the other way.
    for (const key in value) if (!this.plain((value as Record<string, unknown>)[key])) return false;
    return true;
  }

  private plainArray(array: readonly unknown[]): boolean {
    for (let i = 0; i < array.length; i++) if (!this.plain(array[i])) return false;
    return true;
  }

  /** Whether `object` was met before; remembers it if not. */
  private seen(object: object): boolean {
    if (this.set !== undefined) {
      if (this.set.has(object)) return true;
      this.set.add(object);
      return false;
    }
    const { listed, count } = this;
    for (let i = 0; i < count; i++) if (listed[i] === object) return true;
    if (count === MAX_LISTED) {
      this.set = new Set(listed as object[]);
      this.set.add(object);
      return false;
    }
    listed[count] = object;
    this.count = count + 1;
    return false;
  }
}

/** The walk not in use, if any. */
let spareWalk: PlainJsonWalk | undefined = new PlainJsonWalk();
