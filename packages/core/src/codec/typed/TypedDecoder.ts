import { RpcDecodeLimitError } from '../../errors/RpcDecodeLimitError';
import { RpcSerializationError } from '../../errors/RpcSerializationError';
import type { ErrorClass } from '../Codec';
import type { ResolvedDecodeLimits } from '../DecodeLimits';
import { BUILTIN_ERROR_CLASSES } from '../errorEnvelope';
import { ByteReader, malformed } from './ByteReader';
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
  TYPED_ARRAY_KINDS,
  UNDEFINED,
  URL_TAG,
} from './tags';

/** A received Buffer this large is returned as a view of the bytes it came in, not a copy. */
const VIEWED_BUFFER_BYTES = 64 * 1024;

/** What a decoder needs of its codec. */
export interface DecoderOptions {
  readonly limits: ResolvedDecodeLimits;
  /** The prototype of each registered class, by its identifier. */
  readonly classes: ReadonlyMap<string, object>;
  /** The error class registered under a name. */
  readonly errorClass: (name: string) => ErrorClass | undefined;
}

/** A BigInt as the encoder writes it: decimal digits, perhaps after a minus. */
const BIGINT_TEXT = /^-?[0-9]+$/;

/**
 * Reads values in the typed codec's format (see `tags.ts`) within a decode budget: nesting is
 * counted as it is read and refused past `maxDepth`, counts past `maxCollectionSize`, strings
 * past `maxStringLength` and BigInts past `maxBigIntDigits`, each before the value is built.
 * Properties are defined, never assigned through a prototype: a `__proto__` key is an own
 * property, and no setter runs. Runs no code of the value's classes, so it is never re-entered.
 */
export class TypedDecoder extends ByteReader {
  private refs: unknown[] = [];
  private depth = 0;

  constructor(private readonly options: DecoderOptions) {
    super(options.limits);
  }

  /** The value `input` holds. */
  decode(input: Uint8Array): unknown {
    this.begin(input);
    this.refs = [];
    this.depth = 0;
    try {
      if (this.readByte() !== FORMAT_TYPED) {
        throw new RpcSerializationError(`Cannot deserialize: unknown format byte ${String(input[0])}`);
      }
      const value = this.readValue();
      this.expectEnd();
      return value;
    } catch (error) {
      if (error instanceof RpcSerializationError) throw error;
      // A stack overflow, with a maxDepth too high for the stack, or a constructor refusing.
      throw malformed((error as Error).message, error);
    } finally {
      this.refs = [];
      this.release();
    }
  }

  private readValue(): unknown {
    const tag = this.readByte();
    if (tag <= MAX_FIXINT) return tag;
    switch (tag) {
      case NULL:
        return null;
      case UNDEFINED:
        return undefined;
      case FALSE:
        return false;
      case TRUE:
        return true;
      case INT32:
        return this.readInt32();
      case FLOAT64:
        return this.readFloat64();
      case ARRAY:
        return this.readArray();
      case OBJECT:
        return this.readBody(this.track({}), 'an object');
      case MAP:
        return this.readMap();
      case SET:
        return this.readSet();
      case DATE:
        return this.track(new Date(this.readFloat64()));
      case BIGINT:
        return this.readBigInt();
      case REGEXP:
        return this.track(this.construct('a RegExp', () => new RegExp(this.readString(), this.readString())));
      case URL_TAG:
        return this.track(this.construct('a URL', () => new URL(this.readString())));
      case TYPED_ARRAY:
        return this.track(this.readTypedArray());
      case CLASS:
        return this.readInstance();
      case ERROR:
        return this.readError();
      case REF:
        return this.readRef();
      default:
        return this.readStringOf(tag);
    }
  }

  /** Numbers `object` as the encoder did: in the order objects are first met. */
  private track<T>(object: T): T {
    this.refs.push(object);
    return object;
  }

  private enter(): void {
    if (++this.depth > this.limits.maxDepth) {
      const { maxDepth } = this.limits;
      throw RpcDecodeLimitError.refusing(`a value nested ${this.depth} deep`, 'maxDepth', maxDepth, this.depth);
    }
  }

  private readArray(): unknown[] {
    const count = this.readCount('an array');
    const array: unknown[] = this.track([]);
    this.enter();
    for (let i = 0; i < count; i++) array.push(this.readValue());
    this.depth--;
    return array;
  }

  /** Key and value pairs into `target`, defining each key as an own property. */
  private readBody<T extends object>(target: T, what: string, plain = true): T {
    const count = this.readCount(what, 2);
    this.enter();
    for (let i = 0; i < count; i++) {
      const key = this.readKey();
      const value = this.readValue();
      if (plain && key !== '__proto__') (target as Record<string, unknown>)[key] = value;
      else Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
    }
    this.depth--;
    return target;
  }

  private readMap(): Map<unknown, unknown> {
    const count = this.readCount('a Map', 2);
    const map = this.track(new Map<unknown, unknown>());
    this.enter();
    for (let i = 0; i < count; i++) {
      const key = this.readValue();
      map.set(key, this.readValue());
    }
    this.depth--;
    return map;
  }

  private readSet(): Set<unknown> {
    const count = this.readCount('a Set');
    const set = this.track(new Set<unknown>());
    this.enter();
    for (let i = 0; i < count; i++) set.add(this.readValue());
    this.depth--;
    return set;
  }

  private readBigInt(): bigint {
    const length = this.readLength();
    const start = this.skip(length);
    const digits = length - (this.bytes[start] === 0x2d ? 1 : 0);
    const max = this.limits.maxBigIntDigits;
    if (digits > max)
      throw RpcDecodeLimitError.refusing(`a BigInt of ${digits} digits`, 'maxBigIntDigits', max, digits);
    const text = this.bytes.toString('latin1', start, start + length);
    if (!BIGINT_TEXT.test(text)) throw malformed('a BigInt that is not decimal digits');
    return BigInt(text);
  }

  private readTypedArray(): ArrayBufferView {
    const kind = TYPED_ARRAY_KINDS[this.readByte()];
    if (kind === undefined) throw malformed('an unknown kind of typed array');
    const byteLength = this.readLength();
    const start = this.skip(byteLength);
    const size = kind.BYTES_PER_ELEMENT;
    if (byteLength % size !== 0) throw malformed(`a typed array of ${byteLength} bytes`);
    const count = byteLength / size;
    // No count limit: its bytes are in the frame, so it costs no more than them (a 1 MiB Buffer
    // is a million elements, and as legitimate as a 1 MiB string).
    const bytes = this.bytes.subarray(start, start + byteLength);
    if (kind === TYPED_ARRAY_KINDS[0]) {
      // A large Buffer is a view of the received bytes, which nothing writes to again: copying
      // it would cost more than the little of the frame it keeps alive besides.
      return byteLength >= VIEWED_BUFFER_BYTES
        ? Buffer.from(bytes.buffer, bytes.byteOffset, byteLength)
        : Buffer.from(bytes);
    }
    const copy = new ArrayBuffer(byteLength);
    new Uint8Array(copy).set(bytes);
    return new kind(copy, 0, count);
  }

  private readInstance(): object {
    const identifier = this.readString();
    const prototype = this.options.classes.get(identifier);
    if (prototype === undefined) throw malformed(`an instance of unknown class ${JSON.stringify(identifier)}`);
    return this.readBody(this.track(Object.create(prototype) as object), `an instance of ${identifier}`, false);
  }

  /**
   * An error, as an instance of the class registered (or built in) under its name, without
   * running its constructor; a plain `Error` carrying the name otherwise. Its stack is its
   * name and message: the sender's frames are not sent.
   */
  private readError(): Error {
    const name = this.readString();
    const message = this.readString();
    const errorClass = this.options.errorClass(name) ?? BUILTIN_ERROR_CLASSES.get(name) ?? Error;
    const error = this.track(Object.create(errorClass.prototype as object) as Error);
    const define = (key: string, value: unknown): void => {
      Object.defineProperty(error, key, { value, writable: true, enumerable: false, configurable: true });
    };
    define('message', message);
    if (error.name !== name) define('name', name);
    define('stack', `${name}: ${message}`);
    this.enter();
    const hasCause = this.readByte();
    if (hasCause === TRUE) define('cause', this.readValue());
    else if (hasCause !== FALSE) throw malformed('an error whose cause is neither there nor absent');
    this.depth--;
    return this.readBody(error, `an error's properties`, false);
  }

  private readRef(): unknown {
    const index = this.readLength();
    if (index >= this.refs.length) throw malformed(`a reference to object ${index} of ${this.refs.length}`);
    return this.refs[index];
  }

  /** What `make` builds, or a malformed-input error saying `what` it could not build. */
  private construct<T>(what: string, make: () => T): T {
    try {
      return make();
    } catch (cause) {
      if (cause instanceof RpcSerializationError) throw cause;
      throw malformed(`${what}: ${(cause as Error).message}`, cause);
    }
  }
}
