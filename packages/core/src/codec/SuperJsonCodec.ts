import { SuperJSON } from 'superjson';
import { RpcSerializationError } from '../errors/RpcSerializationError';
import type { Codec, ErrorClass } from './Codec';
import { type DecodeLimits, type ResolvedDecodeLimits, resolveDecodeLimits } from './DecodeLimits';
import { type SuperJsonPayload, checkAnnotations } from './checkAnnotations';
import { ValueClassifier } from './classifyValue';
import { checkJsonValue } from './checkJsonValue';
import { checkSuperJsonShape } from './checkSuperJsonShape';
import { textAfterFormat, withFormat } from './formatBytes';
import { FORMAT_JSON, encodeJson, uncheckedJsonBytes } from './jsonFormat';
import { isPlainJson } from './isPlainJson';
import { CodecClasses, strictOption } from './CodecClasses';
import { scanJsonText } from './scanJsonText';

/** A class the codec can rebuild: instances are recreated with its prototype. */
export type SerializableClass = new (...args: never[]) => object;

/** The first byte of an encoded value: how the rest is written. */
const FORMAT_SUPERJSON = 0x53; // 'S': superjson

/** Options of a {@link SuperJsonCodec}. */
export interface SuperJsonCodecOptions {
  /**
   * Refuse values that superjson would silently drop or change: functions, symbols and
   * instances of unregistered classes. Default `true`; turn it off to skip the check's cost
   * when every value is known to be plain.
   */
  readonly strict?: boolean | undefined;
  /**
   * The decode budget: how many digits a BigInt, how deep the nesting, how long a string and
   * how large an array, object, Map or Set a received value may have. A value over any of them
   * is refused with an `RpcDecodeLimitError` naming the limit. Defaults: see {@link DecodeLimits}.
   */
  readonly limits?: DecodeLimits | undefined;
}

/**
 * The default codec: superjson, which keeps `Date`, `Map`, `Set`, `BigInt`, `undefined`,
 * `NaN`, `RegExp`, `URL`, typed arrays, `Buffer` and registered classes intact across the
 * wire. Each instance has its own registry, so two services in one process do not share
 * class registrations. By default it refuses, with an error naming the place, values it
 * could not represent (functions, symbols, instances of unregistered classes).
 *
 * Fast path: a value that plain JSON represents exactly (strings, finite numbers, booleans,
 * null, arrays and plain objects without shared references) is written as JSON, several
 * times faster than superjson; anything else as superjson. A walk of the value decides (one
 * that stops at the first value JSON would not keep; for those, a second that finds what
 * superjson cannot represent), and a format byte in front tells the decoder which it is.
 *
 * Decoding has a budget ({@link SuperJsonCodecOptions.limits}): a received value over it is
 * refused with an `RpcDecodeLimitError` before it is built. A value too small to exceed any
 * limit (at most 1,000 bytes with the defaults) is not checked at all; a larger one costs
 * one pass over its text (superjson) or its decoded value (plain JSON, a few percent of the
 * parse).
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
  private readonly classes = new CodecClasses();
  private readonly strict: boolean;
  /** The decode budget. */
  readonly limits: ResolvedDecodeLimits;
  /** JSON text of at most this many bytes cannot exceed the depth, string or collection limits. */
  private readonly uncheckedJsonBytes: number;
  /** superjson text of at most this many bytes cannot exceed any limit. */
  private readonly uncheckedSuperJsonBytes: number;
  /** Whether a class was registered: received instances are checked for a `__proto__` key. */
  private hasClasses = false;

  constructor(options: SuperJsonCodecOptions = {}) {
    this.strict = strictOption(options.strict, 'SuperJsonCodec');
    this.limits = resolveDecodeLimits(options.limits, 'SuperJsonCodec');
    // A BigInt of over N digits takes more than N bytes too.
    this.uncheckedJsonBytes = uncheckedJsonBytes(this.limits);
    this.uncheckedSuperJsonBytes = Math.min(this.uncheckedJsonBytes, this.limits.maxBigIntDigits);
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
    this.classes.addValueClass(valueClass);
    this.hasClasses = true;
    return this;
  }

  /**
   * Registers an error class, so that an error of that class thrown by a remote method is an
   * instance of it at the caller. Errors are matched by their `name`.
   */
  registerErrorClass(errorClass: ErrorClass, name: string = errorClass.name): this {
    this.classes.addErrorClass(errorClass, name);
    return this;
  }

  errorClass(name: string): ErrorClass | undefined {
    return this.classes.errorClass(name);
  }

  encode(value: unknown): Uint8Array {
    // The cheaper walk first: most values are plain.
    if (isPlainJson(value)) return encodeJson(value);
    const classifier = this.classifier.busy ? new ValueClassifier(this.classes.isKnownClass) : this.classifier;
    const { kind, problem } = classifier.classify(value) as { kind: string; problem?: string };
    if (kind === 'plain') return encodeJson(value);
    if (kind === 'unserializable' && this.strict) throw new TypeError(`Cannot serialize ${problem}`);
    return withFormat(FORMAT_SUPERJSON, this.serializer.stringify(value));
  }

  /**
   * Deserializes bytes produced by {@link SuperJsonCodec.encode}, within the decode budget.
   * @throws RpcDecodeLimitError if the value is over a limit of {@link SuperJsonCodecOptions.limits}.
   * @throws RpcSerializationError if superjson refuses its annotations; `SyntaxError` for
   *   malformed JSON, `TypeError` for an unknown format byte.
   */
  decode(bytes: Uint8Array): unknown {
    const text = textAfterFormat(bytes);
    switch (bytes[0]) {
      case FORMAT_JSON: {
        // V8's JSON.parse does not recurse: any depth parses, and is refused after.
        const value: unknown = JSON.parse(text);
        if (bytes.byteLength - 1 > this.uncheckedJsonBytes) checkJsonValue(value, this.limits, bytes.byteLength - 1);
        return value;
      }
      case FORMAT_SUPERJSON: {
        const payload = JSON.parse(text) as SuperJsonPayload;
        let maxDigits: number | undefined;
        if (bytes.byteLength - 1 > this.uncheckedSuperJsonBytes) {
          // Only a string longer than the limit can hold a BigInt over it.
          const longestString = scanJsonText(bytes, 1, this.limits, 1);
          if (longestString > this.limits.maxBigIntDigits) maxDigits = this.limits.maxBigIntDigits;
        }
        // A key is __proto__ only if the text spells it out or escapes one of its characters.
        const classes = this.hasClasses && (text.includes('__proto__') || text.includes('\\u'));
        checkSuperJsonShape(payload, this.limits.maxCollectionSize, this.limits.maxDepth);
        if (maxDigits !== undefined || classes) checkAnnotations(payload, { maxDigits, classes });
        return this.deserialize(payload);
      }
      default:
        throw new RpcSerializationError(`Cannot deserialize: unknown format byte ${String(bytes[0])}`);
    }
  }

  /** superjson's conversions of a payload already checked against the budget. */
  private deserialize(payload: SuperJsonPayload): unknown {
    try {
      return this.serializer.deserialize(payload as Parameters<SuperJSON['deserialize']>[0], { inPlace: true });
    } catch (cause) {
      // superjson refuses paths through __proto__, constructor or prototype and unknown classes
      // with an Error that says so. A TypeError or RangeError is superjson stumbling over
      // annotations that do not fit the value (a path to nothing): the sender's fault, said
      // without superjson's internals.
      if (cause instanceof TypeError || cause instanceof RangeError) {
        throw new RpcSerializationError('Cannot deserialize: its superjson annotations do not fit its value');
      }
      throw new RpcSerializationError(`Cannot deserialize: ${(cause as Error).message ?? String(cause)}`, { cause });
    }
  }

  private readonly classifier = new ValueClassifier(this.classes.isKnownClass);
}
