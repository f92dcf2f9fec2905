/** A class whose instances a codec can rebuild: registered under a name on both sides. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Turns values into bytes and back: used for every argument, result and error that crosses
 * the wire, and for local calls when a service forces serialization. The default is
 * {@link SuperJsonCodec}; plug in another by passing it in the service options.
 */
export interface Codec {
  /** A short name, exchanged in the connection handshake: both sides must use the same codec. */
  readonly name: string;
  /** Serializes a value. Throws if the value cannot be represented. */
  encode(value: unknown): Uint8Array;
  /** Deserializes bytes produced by {@link Codec.encode}. Throws on malformed input. */
  decode(bytes: Uint8Array): unknown;
  /** The error class registered under `name`, used to rebuild remote errors as instances of it. */
  errorClass(name: string): ErrorClass | undefined;
}
