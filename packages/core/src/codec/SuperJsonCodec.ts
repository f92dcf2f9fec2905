import { SuperJSON } from 'superjson';
import type { Codec, ErrorClass } from './Codec';

/** A class the codec can rebuild: instances are recreated with its prototype. */
export type SerializableClass = new (...args: never[]) => object;

/**
 * The default codec: superjson, which keeps `Date`, `Map`, `Set`, `BigInt`, `undefined`,
 * `RegExp`, `URL` and registered classes intact across the wire. Each instance has its own
 * registry, so two services in one process do not share class registrations.
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

  /**
   * Registers a class whose instances are sent as values. Both sides must register it under
   * the same identifier (by default the class name).
   */
  registerClass(valueClass: SerializableClass, identifier: string = valueClass.name): this {
    this.serializer.registerClass(valueClass, { identifier });
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
    return Buffer.from(this.serializer.stringify(value), 'utf8');
  }

  decode(bytes: Uint8Array): unknown {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    return this.serializer.parse(text);
  }
}
