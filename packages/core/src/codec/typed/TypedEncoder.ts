import { classifyValue } from '../classifyValue';
import type { BufferPool } from './BufferPool';
import { ByteWriter } from './ByteWriter';
import {
  ARRAY,
  BIGINT,
  CLASS,
  DATE,
  ERROR,
  FALSE,
  FLOAT64,
  FORMAT_TYPED,
  INT32,
  MAP,
  MAX_FIXINT,
  NULL,
  OBJECT,
  REF,
  REGEXP,
  SET,
  TRUE,
  TYPED_ARRAY,
  TYPED_ARRAY_KIND,
  UNDEFINED,
  URL_TAG,
} from './tags';

/** How the encoder writes an object, found by its prototype. */
const KIND_DATE = 1;
const KIND_MAP = 2;
const KIND_SET = 3;
const KIND_REGEXP = 4;
const KIND_URL = 5;
const KIND_TYPED = 6;

const NATIVE_KINDS: ReadonlyMap<object, number> = new Map<object, number>([
  [Date.prototype, KIND_DATE],
  [Map.prototype, KIND_MAP],
  [Set.prototype, KIND_SET],
  [RegExp.prototype, KIND_REGEXP],
  [URL.prototype, KIND_URL],
  ...[...TYPED_ARRAY_KIND.keys()].map((kind) => [(kind as { prototype: object }).prototype, KIND_TYPED] as const),
  [Object.getPrototypeOf(Buffer.alloc(0)) as object, KIND_TYPED],
]);

/** The encoder's {@link TypedEncoder.refs} between encodings: empty, and never written to. */
const NO_REFS = new Map<object, number>();

/** Properties of an error that the ERROR tag writes itself. */
const ERROR_FIELDS: ReadonlySet<string> = new Set(['name', 'message', 'stack', 'cause']);

/** What an encoder needs of its codec. */
export interface EncoderOptions {
  /** The identifier of each registered class, by its prototype. */
  readonly classes: ReadonlyMap<object, string>;
  /** Whether to refuse functions, symbols and instances of unregistered classes. */
  readonly strict: boolean;
  /** Whether instances of a class are written (natives, registered classes, errors): for the place of a refusal. */
  readonly isKnownClass: (constructor: unknown) => boolean;
  /** Where large values' buffers come from and go back to, shared by the codec's encoders. */
  readonly pool?: BufferPool;
}

/**
 * Writes values in the typed codec's format (see `tags.ts`). Every object is numbered in the
 * order it is first met; meeting it again writes a reference to that number, so shared
 * references and cycles survive. Not re-entrant: the codec uses another if one is busy.
 */
export class TypedEncoder extends ByteWriter {
  /**
   * The objects met so far in this encoding, numbered. A new map for each encoding, let go at
   * its end, rather than one map cleared: a map that has outlived a few collections has its
   * table in the old generation, and `clear()` gives it a new table there too. The objects
   * written into an old table (a large Buffer's memory with them) are then kept by the young
   * generation's collector until a full collection, even once the table is dropped: with 1 MiB
   * answers, that made a server run a full collection every 4 scavenges.
   */
  private refs: Map<object, number> = NO_REFS;
  /** The value being encoded. */
  private root: unknown;
  /** Whether an encoding is running. */
  busy = false;

  constructor(private readonly options: EncoderOptions) {
    super(options.pool);
  }

  /** `value` in the typed format, after its format byte. */
  encode(value: unknown): Buffer {
    this.busy = true;
    this.root = value;
    this.refs = new Map();
    try {
      this.start(FORMAT_TYPED);
      this.writeValue(value);
      return this.finish();
    } finally {
      this.refs = NO_REFS;
      this.root = undefined;
      this.busy = false;
    }
  }

  private writeValue(value: unknown): void {
    switch (typeof value) {
      case 'string':
        return this.writeString(value);
      case 'number':
        return this.writeNumber(value);
      case 'boolean':
        return this.writeByte(value ? TRUE : FALSE);
      case 'undefined':
        return this.writeByte(UNDEFINED);
      case 'bigint':
        return this.writeBigInt(value);
      case 'object':
        return value === null ? this.writeByte(NULL) : this.writeObject(value);
      default:
        if (this.options.strict) throw this.refusal(`a ${typeof value}`);
        return this.writeByte(UNDEFINED);
    }
  }

  private writeNumber(value: number): void {
    if ((value | 0) === value && (value !== 0 || 1 / value > 0)) {
      if (value >= 0 && value <= MAX_FIXINT) this.writeByte(value);
      else this.writeInt32(INT32, value);
    } else {
      this.writeFloat64(FLOAT64, value);
    }
  }

  private writeBigInt(value: bigint): void {
    const digits = value.toString();
    this.writeByte(BIGINT);
    this.writeLength(digits.length);
    this.reserve(digits.length);
    this.pos += this.buffer.write(digits, this.pos, 'latin1');
  }

  private writeObject(object: object): void {
    const ref = this.refs.get(object);
    if (ref !== undefined) {
      this.writeByte(REF);
      return this.writeLength(ref);
    }
    this.refs.set(object, this.refs.size);
    if (Array.isArray(object)) return this.writeArray(object);
    const prototype = Object.getPrototypeOf(object) as object | null;
    if (prototype === Object.prototype || prototype === null) {
      this.writeByte(OBJECT);
      return this.writeBody(object);
    }
    switch (NATIVE_KINDS.get(prototype) ?? this.kindByBrand(object, prototype)) {
      case KIND_DATE:
        return this.writeFloat64(DATE, (object as Date).getTime());
      case KIND_MAP:
        return this.writeMap(object as Map<unknown, unknown>);
      case KIND_SET:
        return this.writeSet(object as Set<unknown>);
      case KIND_REGEXP:
        this.writeByte(REGEXP);
        this.writeString((object as RegExp).source);
        return this.writeString((object as RegExp).flags);
      case KIND_URL:
        this.writeByte(URL_TAG);
        return this.writeString((object as URL).href);
      case KIND_TYPED:
        return this.writeTypedArray(object as ArrayBufferView);
      default:
        return this.writeInstance(object, prototype);
    }
  }

  /** The kind of an object whose prototype is not a built-in one: a subclass, or a built-in of another realm. */
  private kindByBrand(object: object, prototype: object): number | undefined {
    if (this.options.classes.has(prototype)) return undefined;
    if (object instanceof Date) return KIND_DATE;
    if (object instanceof Map) return KIND_MAP;
    if (object instanceof Set) return KIND_SET;
    if (object instanceof RegExp) return KIND_REGEXP;
    if (object instanceof URL) return KIND_URL;
    if (ArrayBuffer.isView(object) && TYPED_ARRAY_KIND.has(typedArrayClass(object))) return KIND_TYPED;
    const tag = Object.prototype.toString.call(object);
    if (tag === '[object Date]') return KIND_DATE;
    if (tag === '[object RegExp]') return KIND_REGEXP;
    return undefined;
  }

  private writeArray(array: readonly unknown[]): void {
    const length = array.length;
    this.writeByte(ARRAY);
    this.writeLength(length);
    for (let i = 0; i < length; i++) this.writeValue(array[i]);
  }

  /** An object's own enumerable string-keyed properties: their count, then key and value pairs. */
  private writeBody(object: object, skip?: ReadonlySet<string>): void {
    let keys = Object.keys(object);
    if (skip !== undefined) keys = keys.filter((key) => !skip.has(key));
    this.writeLength(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      this.writeString(key);
      this.writeValue((object as Record<string, unknown>)[key]);
    }
  }

  private writeMap(map: Map<unknown, unknown>): void {
    this.writeByte(MAP);
    this.writeLength(map.size);
    for (const [key, value] of map) {
      this.writeValue(key);
      this.writeValue(value);
    }
  }

  private writeSet(set: Set<unknown>): void {
    this.writeByte(SET);
    this.writeLength(set.size);
    for (const value of set) this.writeValue(value);
  }

  private writeTypedArray(array: ArrayBufferView): void {
    this.writeTagged(TYPED_ARRAY, TYPED_ARRAY_KIND.get(typedArrayClass(array)) ?? 0);
    this.writeLength(array.byteLength);
    this.writeBytes(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }

  /** A registered class's instance, an error, or (not strict) any other object as a plain one. */
  private writeInstance(object: object, prototype: object): void {
    const identifier = this.options.classes.get(prototype);
    if (identifier !== undefined) {
      this.writeByte(CLASS);
      this.writeString(identifier);
      return this.writeBody(object);
    }
    if (object instanceof Error) return this.writeError(object);
    if (this.options.strict) {
      const constructor = (prototype as { constructor?: unknown }).constructor;
      const name = typeof constructor === 'function' ? constructor.name : '';
      throw this.refusal(`an instance of class ${name || '(anonymous)'}`);
    }
    this.writeByte(OBJECT);
    this.writeBody(object);
  }

  /**
   * The error refusing `what`, a value met in strict mode that cannot be written: the place is
   * found by walking the value again with the classifier, which only a refusal pays for.
   */
  private refusal(what: string): TypeError {
    const found = classifyValue(this.root, this.options.isKnownClass);
    return new TypeError(`Cannot serialize ${found.kind === 'unserializable' ? found.problem : what}`);
  }

  /** An error: its name, message, cause (if it has one) and other own enumerable properties. */
  private writeError(error: Error): void {
    this.writeByte(ERROR);
    this.writeString(String(error.name));
    this.writeString(String(error.message));
    const hasCause = Object.hasOwn(error, 'cause');
    this.writeByte(hasCause ? TRUE : FALSE);
    if (hasCause) this.writeValue(error.cause);
    this.writeBody(error, ERROR_FIELDS);
  }
}

/** The class of a typed array or Buffer, by its prototype's constructor. */
function typedArrayClass(view: ArrayBufferView): unknown {
  const prototype = Object.getPrototypeOf(view) as { constructor?: unknown } | null;
  return prototype?.constructor;
}
