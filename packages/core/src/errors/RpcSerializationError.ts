import { RpcError } from './RpcError';

/**
 * Raised when an argument, result or error cannot be serialized or deserialized by the codec, or
 * when a serialized message exceeds the maximum frame size. The message names the method and,
 * for size errors, the size and the limit.
 */
export class RpcSerializationError extends RpcError {
  /** `RPC_SERIALIZATION`, or `RPC_DECODE_LIMIT` for its subclass `RpcDecodeLimitError`. */
  override readonly code: 'RPC_SERIALIZATION' | 'RPC_DECODE_LIMIT' = 'RPC_SERIALIZATION';
}
