import { RpcSerializationError } from '../errors/RpcSerializationError';
import type { AnswerLimit, EncodedOutcome, Outcome } from '../messages/RpcMessage';
import type { Codec } from './Codec';
import { toErrorEnvelope } from './errorEnvelope';

/**
 * Whether a message of `bytes` bytes is over the maximum frame size `maxBytes`: the one place
 * that decides "too large", for what a service sends and what it receives, local calls with
 * forced serialization included. A message of exactly `maxBytes` bytes is allowed.
 *
 * What counts as `bytes` is the caller's to say, and today it is:
 * - a frame about to be written: all of it, its 4-byte length prefix and header included
 *   (the transport's `requestFrameBytes` / `responseFrameBytes`), against the peer's maximum
 *   (never more than this side's own);
 * - a frame being read: the length it declares, which leaves out the prefix, against this
 *   side's maximum: a receiver accepts 4 bytes more than a sender sends, never fewer;
 * - a value serialized before its frame exists (arguments, a result) or that never gets one
 *   (a local call): the value's bytes, plus the overhead the caller knows (the request
 *   header and prefix of a remote call), so that a value too large fails early, named.
 */
export function exceedsMaxFrameSize(bytes: number, maxBytes: number): boolean {
  return bytes > maxBytes;
}

/**
 * Serializes the outcome of a call whose caller expects it serialized: the value, or the
 * error as an envelope. A value the codec cannot represent becomes an
 * `RpcSerializationError` naming the call; an error whose extra properties cannot be
 * represented is sent without them. An answer (a result, or an error) whose frame would
 * exceed `limit` (the encoding plus `limit.overheadBytes`, against `limit.maxFrameBytes`; see
 * {@link exceedsMaxFrameSize}) becomes an `RpcSerializationError` naming the call, the size,
 * the limit and whose it is. Errors keep their stacks only if `stacks` is `true` (the default).
 */
export function encodeOutcome(
  codec: Codec,
  outcome: Outcome,
  target: string,
  limit: AnswerLimit,
  stacks = true,
): EncodedOutcome {
  if (outcome.ok) {
    let value: Uint8Array;
    try {
      value = codec.encode(outcome.value);
    } catch (cause) {
      const error = new RpcSerializationError(
        `Could not serialize the result of ${target} with the ${codec.name} codec: ${(cause as Error).message ?? String(cause)}`,
        { cause },
      );
      return { ok: false, error: encodeError(codec, error, stacks) };
    }
    const size = value.length + limit.overheadBytes;
    if (!exceedsMaxFrameSize(size, limit.maxFrameBytes)) return { ok: true, value };
    return { ok: false, error: encodeSizeError(codec, `The result of ${target} is ${size} bytes`, limit) };
  }
  const error = encodeError(codec, outcome.error, stacks);
  const size = error.length + limit.overheadBytes;
  if (!exceedsMaxFrameSize(size, limit.maxFrameBytes)) return { ok: false, error };
  return { ok: false, error: encodeSizeError(codec, `The error answer of ${target} is ${size} bytes`, limit) };
}

/**
 * Serializes an error as an envelope, dropping its extra properties if they cannot be encoded.
 * With `stacks` `false`, the envelope holds no stack of the error, its causes or inner errors.
 */
export function encodeError(codec: Codec, error: unknown, stacks = true): Uint8Array {
  const envelope = toErrorEnvelope(error, { stacks });
  try {
    return codec.encode(envelope);
  } catch {
    // The extra properties (or those of a cause) are what the codec cannot represent: the
    // name, message, stack and code are strings and numbers. Send the error without them.
    const strip = (e: typeof envelope): typeof envelope => ({
      ...e,
      props: undefined,
      cause: e.cause && strip(e.cause),
    });
    return codec.encode(strip(envelope));
  }
}

/**
 * Serializes an `RpcSerializationError` saying that `what` (e.g. "The result of P.m is 5000
 * bytes") exceeds `limit` (e.g. "over the caller's maximum frame size of 4096 bytes"). It
 * carries no stack (the frames of the framework are of no use to the caller), so that it
 * stays far below any frame size.
 */
export function encodeSizeError(codec: Codec, what: string, limit: AnswerLimit): Uint8Array {
  const error = new RpcSerializationError(
    `${what}, over ${limit.whose} maximum frame size of ${limit.maxFrameBytes} bytes.`,
  );
  error.stack = `${error.name}: ${error.message}`;
  return encodeError(codec, error);
}

/**
 * Serializes the arguments of a call to `recipient`.
 * @param overheadBytes - What the message adds to the arguments (for a remote call, its frame's
 *   length prefix and request header; none for a local one).
 * @throws RpcSerializationError naming the call if the codec refuses them, or if they and the
 *   overhead take more than `maxBytes` (nothing is sent then).
 */
export function encodeArguments(
  codec: Codec,
  args: unknown[],
  target: string,
  recipient: string,
  maxBytes: number,
  overheadBytes = 0,
): Uint8Array {
  const encoded = tryEncodeArguments(codec, args, target, recipient, maxBytes, overheadBytes);
  if (!encoded.ok) throw encoded.error;
  return encoded.bytes;
}

/**
 * The arguments of a call serialized, or why they cannot be sent: `error` for the caller of an
 * ask (it names the call and the recipient), `reason` for a log line that names them already
 * (`Dropped tell P.m to <recipient>: <reason>`).
 */
export type ArgumentsEncoding =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly error: RpcSerializationError; readonly reason: string };

/** {@link encodeArguments}, returning the failure instead of throwing it. */
export function tryEncodeArguments(
  codec: Codec,
  args: unknown[],
  target: string,
  recipient: string,
  maxBytes: number,
  overheadBytes = 0,
): ArgumentsEncoding {
  let bytes: Uint8Array;
  try {
    bytes = codec.encode(args);
  } catch (cause) {
    const problem = `${(cause as Error).message ?? String(cause)}`;
    return {
      ok: false,
      reason: `the ${codec.name} codec cannot serialize its arguments: ${problem}`,
      error: new RpcSerializationError(
        `Could not serialize the arguments of ${target} for ${recipient} with the ${codec.name} codec: ${problem}`,
        { cause },
      ),
    };
  }
  const size = bytes.length + overheadBytes;
  if (exceedsMaxFrameSize(size, maxBytes)) {
    const overLimit = `over the maximum frame size of ${maxBytes} bytes`;
    return {
      ok: false,
      reason: `the request is ${size} bytes, ${overLimit}.`,
      error: new RpcSerializationError(
        `The request ${target} to ${recipient} is ${size} bytes, ${overLimit}. Nothing was sent.`,
      ),
    };
  }
  return { ok: true, bytes };
}
