import type { Codec } from '../codec/Codec';
import { fromErrorEnvelope, type ErrorEnvelope } from '../codec/errorEnvelope';
import { checkErrorEnvelope } from '../codec/checkErrorEnvelope';
import { RpcDecodeLimitError } from '../errors/RpcDecodeLimitError';
import { RpcSerializationError } from '../errors/RpcSerializationError';
import type { Outcome } from '../messages/RpcMessage';
import type { PendingCall } from './PendingCall';

/**
 * Settles `call` with an outcome that arrived serialized: decodes the value, or the error
 * envelope, with `codec`. A payload that does not decode, or an envelope that is malformed,
 * fails the call with `RpcSerializationError` (`RpcDecodeLimitError` over the decode budget);
 * an error raised on the caller's side (never encoded) settles it as it is.
 */
export function settleEncoded(call: PendingCall, codec: Codec, outcome: Outcome): void {
  const payload = outcome.ok ? outcome.value : outcome.error;
  if (!(payload instanceof Uint8Array)) {
    // Errors raised on the caller's side (e.g. an unreachable recipient) are never encoded.
    if (outcome.ok) call.resolve(payload);
    else call.reject(payload);
    return;
  }
  let decoded: unknown;
  try {
    decoded = codec.decode(payload);
  } catch (cause) {
    // Over the decode budget: the ask fails with the limit's error, which keeps its fields.
    const errorClass = cause instanceof RpcDecodeLimitError ? RpcDecodeLimitError : RpcSerializationError;
    call.reject(
      new errorClass(
        `Could not deserialize the ${outcome.ok ? 'result' : 'error'} of ${call.target} from ${call.recipient}: ` +
          `${(cause as Error).message ?? String(cause)}`,
        { cause },
      ),
    );
    return;
  }
  if (outcome.ok) {
    call.resolve(decoded);
    return;
  }
  // An error answer comes from the peer: a malformed envelope fails the call, never this code.
  const problem = checkErrorEnvelope(decoded);
  if (problem === undefined) call.reject(fromErrorEnvelope(decoded as ErrorEnvelope, (name) => codec.errorClass(name)));
  else {
    call.reject(
      new RpcSerializationError(`The error answer of ${call.target} from ${call.recipient} is malformed: ${problem}.`),
    );
  }
}
