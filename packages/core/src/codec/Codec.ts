/** A class whose instances a codec can rebuild: registered under a name on both sides. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Turns values into bytes and back: used for every argument, result and error that crosses
 * the wire, and for local calls when a service forces serialization. The default is
 * {@link TypedCodec} ({@link SuperJsonCodec} is the other one built in); plug in another by
 * passing it in the service options.
 */
export interface Codec {
  /** A short name, exchanged in the connection handshake: both sides must use the same codec. */
  readonly name: string;
  /**
   * Serializes a value. Throws if the value cannot be represented. The bytes returned are the
   * caller's: the transport may send a large result as it is, after `encode` returns, so the
   * codec must not write to them again (a codec that reuses a buffer returns a copy, or hands
   * the buffer over and takes a new one).
   */
  encode(value: unknown): Uint8Array;
  /**
   * Deserializes bytes produced by {@link Codec.encode}. Throws on malformed input. The value
   * may keep views of `bytes` (a large `Buffer` does, with `TypedCodec`): they are not written
   * to again.
   */
  decode(bytes: Uint8Array): unknown;
  /**
   * Optional: takes back bytes that {@link Codec.encode} returned, once the transport has sent
   * them and keeps no reference to them, so that the codec may write a later value into them.
   * The transport calls it for large bodies only. A codec must ignore bytes it did not return.
   */
  recycle?(bytes: Uint8Array): void;
  /** The error class registered under `name`, used to rebuild remote errors as instances of it. */
  errorClass(name: string): ErrorClass | undefined;
}
