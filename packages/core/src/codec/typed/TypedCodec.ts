import { RpcInvalidOptionError } from '../../errors/RpcInvalidOptionError';
import type { Codec, ErrorClass } from '../Codec';
import { type DecodeLimits, type ResolvedDecodeLimits, resolveDecodeLimits } from '../DecodeLimits';
import type { SerializableClass } from '../SuperJsonCodec';
import { TypedDecoder } from './TypedDecoder';
import { TypedEncoder } from './TypedEncoder';
import { BufferPool } from './BufferPool';
import { isPlainJson } from '../isPlainJson';
import { FORMAT_JSON, decodeJson, encodeJson, uncheckedJsonBytes } from '../jsonFormat';
import { CodecClasses, strictOption } from '../CodecClasses';

/** Options of a {@link TypedCodec}. */
export interface TypedCodecOptions {
  /**
   * Refuse values the codec would silently drop or change: functions, symbols and instances
   * of unregistered classes, with an error naming the place. Default `true`; without it,
   * functions and symbols are sent as `undefined` and unregistered instances as plain objects.
   */
  readonly strict?: boolean | undefined;
  /**
   * The decode budget: how many digits a BigInt, how deep the nesting, how long a string and
   * how large an array, object, Map or Set (not a typed array or Buffer, which the frame
   * bounds) a received value may have. A value
   * over any of them is refused with an `RpcDecodeLimitError` naming the limit, before it is
   * built. In this codec's format a Map level counts as one level of nesting, and its entries
   * as its elements. Defaults: see {@link DecodeLimits}.
   */
  readonly limits?: DecodeLimits | undefined;
}

/**
 * A binary codec that keeps the types superjson keeps (`Date`, invalid ones included, `Map`,
 * `Set`, `BigInt`, `undefined`, `NaN`, `±Infinity`, `-0`, `RegExp`, `URL`, errors, typed
 * arrays, `Buffer` and instances of registered classes, rebuilt with their prototype, and
 * shared references and cycles) several times faster than superjson: one walk writes the
 * value as tagged bytes, one pass reads it back. Strings keep lone surrogates.
 *
 * Fast path: a value that plain JSON represents exactly (strings, finite numbers, booleans,
 * null, arrays and plain objects, no `undefined`, no shared references) is written as JSON,
 * as by {@link SuperJsonCodec}; a format byte in front tells the decoder which it is. The
 * walk that decides stops at the first value JSON would not keep.
 *
 * Errors inside values are rebuilt as instances of the class registered (with
 * {@link TypedCodec.registerErrorClass}) or built in under their name, without running its
 * constructor, with their message, cause and other own enumerable properties; their stack is
 * not sent.
 *
 * Decoding has a budget ({@link TypedCodecOptions.limits}), checked as the bytes are read, at
 * no extra pass; malformed input is refused with an `RpcSerializationError`, and a
 * `__proto__` key stays an own property.
 *
 * Both sides of a connection must use it: its {@link TypedCodec.name} is exchanged in the
 * handshake. It has the registration API of {@link SuperJsonCodec}.
 *
 * @example
 * ```ts
 * const codec = new TypedCodec();
 * codec.registerClass(Money);               // values: rebuilt with Money.prototype
 * codec.registerErrorClass(QuotaExceeded);  // errors: `instanceof QuotaExceeded` at the caller
 * new NactRpcService({ codec });
 * ```
 */
export class TypedCodec implements Codec {
  /** `'typed'`: the format of version 1 of this codec. */
  readonly name = 'typed';
  /** The decode budget. */
  readonly limits: ResolvedDecodeLimits;
  private readonly strict: boolean;
  private readonly classes = new CodecClasses();
  /** Registered classes: identifiers by prototype, for the encoder... */
  private readonly identifiers = new Map<object, string>();
  /** ...and prototypes by identifier, for the decoder. */
  private readonly prototypes = new Map<string, object>();
  private readonly encoder: TypedEncoder;
  /** Large values' buffers, given back by the transport once sent. */
  private readonly pool = new BufferPool();
  private readonly decoder: TypedDecoder;
  /** JSON text of at most this many bytes cannot exceed the depth, string or collection limits. */
  private readonly uncheckedJsonBytes: number;

  constructor(options: TypedCodecOptions = {}) {
    this.strict = strictOption(options.strict, 'TypedCodec');
    this.limits = resolveDecodeLimits(options.limits, 'TypedCodec');
    this.uncheckedJsonBytes = uncheckedJsonBytes(this.limits);
    this.encoder = this.newEncoder();
    this.decoder = new TypedDecoder({
      limits: this.limits,
      classes: this.prototypes,
      errorClass: (name) => this.classes.errorClass(name),
    });
  }

  /**
   * Registers a class whose instances are sent as values: their own enumerable properties,
   * rebuilt on an object with the class's prototype (its constructor does not run). Both
   * sides must register it under the same identifier (by default the class name).
   * @throws RpcInvalidOptionError if the identifier is taken by another class.
   */
  registerClass(valueClass: SerializableClass, identifier: string = valueClass.name): this {
    const prototype = valueClass.prototype as object;
    const taken = this.prototypes.get(identifier);
    if (taken !== undefined && taken !== prototype) {
      throw RpcInvalidOptionError.forValue(
        'identifier',
        identifier,
        'an identifier no other registered class has',
        'TypedCodec.registerClass',
      );
    }
    this.identifiers.set(prototype, identifier);
    this.prototypes.set(identifier, prototype);
    this.classes.addValueClass(valueClass);
    return this;
  }

  /**
   * Registers an error class, so that an error of that class thrown by a remote method (or
   * sent inside a value) is an instance of it at the caller. Errors are matched by their `name`.
   */
  registerErrorClass(errorClass: ErrorClass, name: string = errorClass.name): this {
    this.classes.addErrorClass(errorClass, name);
    return this;
  }

  errorClass(name: string): ErrorClass | undefined {
    return this.classes.errorClass(name);
  }

  /**
   * Serializes a value.
   * @throws TypeError naming what cannot be serialized and where (in strict mode), e.g.
   *   `Cannot serialize a function at [0].onDone`.
   */
  encode(value: unknown): Uint8Array {
    if (isPlainJson(value)) return encodeJson(value);
    const encoder = this.encoder.busy ? this.newEncoder() : this.encoder;
    return encoder.encode(value);
  }

  /**
   * Deserializes bytes produced by {@link TypedCodec.encode}, within the decode budget.
   * @throws RpcDecodeLimitError if the value is over a limit of {@link TypedCodecOptions.limits}.
   * @throws RpcSerializationError if the bytes are not a value in this codec's format, or name
   *   a class that is not registered.
   */
  decode(bytes: Uint8Array): unknown {
    if (bytes[0] === FORMAT_JSON) return decodeJson(bytes, this.limits, this.uncheckedJsonBytes);
    return this.decoder.decode(bytes);
  }

  /**
   * Takes back bytes that {@link TypedCodec.encode} returned, once they are sent: the buffer of
   * a large value is then reused for a later one (the codec keeps at most 16 MiB of them). Bytes
   * it did not hand over, or that it already took back, are ignored.
   */
  recycle(bytes: Uint8Array): void {
    this.pool.giveBack(bytes);
  }

  private newEncoder(): TypedEncoder {
    return new TypedEncoder({
      classes: this.identifiers,
      strict: this.strict,
      isKnownClass: this.classes.isKnownClass,
      pool: this.pool,
    });
  }
}
