import { SuperJSON } from 'superjson';
import { RpcInvalidOptionError } from '../errors/RpcInvalidOptionError';
import type { Codec, ErrorClass } from './Codec';
import { ValueClassifier } from './classifyValue';

/** A class the codec can rebuild: instances are recreated with its prototype. */
export type SerializableClass = new (...args: never[]) => object;

/** The first byte of an encoded value: how the rest is written. */
const FORMAT_JSON = 0x4a; // 'J': plain JSON, the fast path
const FORMAT_SUPERJSON = 0x53; // 'S': superjson

/** A format byte followed by `text` in UTF-8. */
function withFormat(format: number, text: string): Buffer {
  const buffer = Buffer.allocUnsafe(1 + Buffer.byteLength(text, 'utf8'));
  buffer[0] = format;
  buffer.write(text, 1, 'utf8');
  return buffer;
}

/** Options of a {@link SuperJsonCodec}. */
export interface SuperJsonCodecOptions {
  /**
   * Refuse values that superjson would silently drop or change: functions, symbols and
   * instances of unregistered classes. Default `true`; turn it off to skip the check's cost
   * when every value is known to be plain.
   */
  readonly strict?: boolean | undefined;
}

/** Classes superjson represents faithfully without registration. */
const NATIVE_CLASSES: ReadonlySet<unknown> = new Set<unknown>([
  Date,
  RegExp,
  URL,
  Error,
  Map,
  Set,
  Buffer,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
]);

/**
 * The default codec: superjson, which keeps `Date`, `Map`, `Set`, `BigInt`, `undefined`,
 * `NaN`, `RegExp`, `URL`, typed arrays, `Buffer` and registered classes intact across the
 * wire. Each instance has its own registry, so two services in one process do not share
 * class registrations. By default it refuses, with an error naming the place, values it
 * could not represent (functions, symbols, instances of unregistered classes).
 *
 * Fast path: a value that plain JSON represents exactly (strings, finite numbers, booleans,
 * null, arrays and plain objects without shared references) is written as JSON, several
 * times faster than superjson; anything else as superjson. One walk of the value decides,
 * and a format byte in front tells the decoder which it is.
 *
 * @example
 * ```ts
 * const codec = new SuperJsonCodec();
 * codec.registerClass(Money);               // values: rebuilt with Money.prototype
 * codec.registerErrorClass(QuotaExceeded);  // errors: `instanceof QuotaExceeded` at the caller
 * new NactRpcService({ codec });
 * ```
 */
export class SuperJsonCodec implements Codec {
  readonly name = 'superjson';
  private readonly serializer = new SuperJSON();
  private readonly errorClasses = new Map<string, ErrorClass>();
  private readonly valueClasses = new Set<unknown>(NATIVE_CLASSES);
  private readonly strict: boolean;

  constructor(options: SuperJsonCodecOptions = {}) {
    if (options.strict !== undefined && typeof options.strict !== 'boolean') {
      throw RpcInvalidOptionError.forValue('strict', options.strict, 'true or false', 'SuperJsonCodec');
    }
    this.strict = options.strict ?? true;
    this.serializer.registerCustom<Buffer, string>(
      {
        isApplicable: (value): value is Buffer => Buffer.isBuffer(value),
        serialize: (buffer) => buffer.toString('base64'),
        deserialize: (text) => Buffer.from(text, 'base64'),
      },
      'Buffer',
    );
  }

  /**
   * Registers a class whose instances are sent as values. Both sides must register it under
   * the same identifier (by default the class name).
   */
  registerClass(valueClass: SerializableClass, identifier: string = valueClass.name): this {
    this.serializer.registerClass(valueClass, { identifier });
    this.valueClasses.add(valueClass);
    return this;
  }

  /**
   * Registers an error class, so that an error of that class thrown by a remote method is an
   * instance of it at the caller. Errors are matched by their `name`.
   */
  registerErrorClass(errorClass: ErrorClass, name: string = errorClass.name): this {
    this.errorClasses.set(name, errorClass);
    return this;
  }

  errorClass(name: string): ErrorClass | undefined {
    return this.errorClasses.get(name);
  }

  encode(value: unknown): Uint8Array {
    const classifier = this.classifier.busy ? new ValueClassifier(this.knownClass) : this.classifier;
    const { kind, problem } = classifier.classify(value) as { kind: string; problem?: string };
    if (kind === 'plain') return withFormat(FORMAT_JSON, JSON.stringify(value));
    if (kind === 'unserializable' && this.strict) throw new TypeError(`Cannot serialize ${problem}`);
    return withFormat(FORMAT_SUPERJSON, this.serializer.stringify(value));
  }

  decode(bytes: Uint8Array): unknown {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', 1);
    switch (bytes[0]) {
      case FORMAT_JSON:
        return JSON.parse(text);
      case FORMAT_SUPERJSON:
        return this.serializer.parse(text);
      default:
        throw new TypeError(`Cannot deserialize: unknown format byte ${String(bytes[0])}`);
    }
  }

  private readonly knownClass = (constructor: unknown): boolean => this.isKnownClass(constructor);
  private readonly classifier = new ValueClassifier(this.knownClass);

  private isKnownClass(constructor: unknown): boolean {
    if (this.valueClasses.has(constructor)) return true;
    // Subclasses of Error travel as errors; subclasses of registered classes are not known.
    return typeof constructor === 'function' && constructor.prototype instanceof Error;
  }
}
