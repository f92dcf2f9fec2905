import { RpcSerializationError, toErrorEnvelope, type Codec, type Outcome } from '@nact-rpc/core';

/**
 * Serializes the outcome of a call whose caller expects it serialized: the value, or the
 * error as an envelope. A value the codec cannot represent becomes an
 * `RpcSerializationError` naming the call; an error whose extra properties cannot be
 * represented is sent without them.
 */
export function encodeOutcome(codec: Codec, outcome: Outcome, target: string): Outcome {
  if (outcome.ok) {
    try {
      return { ok: true, value: codec.encode(outcome.value) };
    } catch (cause) {
      const error = new RpcSerializationError(
        `Could not serialize the result of ${target} with the ${codec.name} codec: ${(cause as Error).message ?? String(cause)}`,
        { cause },
      );
      return { ok: false, error: encodeError(codec, error) };
    }
  }
  return { ok: false, error: encodeError(codec, outcome.error) };
}

/** Serializes an error as an envelope, dropping its extra properties if they cannot be encoded. */
export function encodeError(codec: Codec, error: unknown): Uint8Array {
  const envelope = toErrorEnvelope(error);
  try {
    return codec.encode(envelope);
  } catch {
    // The extra properties (or those of a cause) are what the codec cannot represent: the
    // name, message, stack and code are strings and numbers. Send the error without them.
    const strip = (e: typeof envelope): typeof envelope => ({ ...e, props: undefined, cause: e.cause && strip(e.cause) });
    return codec.encode(strip(envelope));
  }
}
