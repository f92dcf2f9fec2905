/**
 * What the fuzzed service's answers to asks of `echo` say, read with the test's own copy of its
 * codec: a readable description of an answer, the error class and code of a refusal, and, for
 * the typed codec, whether the answer is the one the codec predicts for the arguments sent.
 */
import type { Codec } from '@nact-rpc/core';
import { WireKind } from '@nact-rpc/transport/internal';
import type { ReceivedFrame } from './rawConnection';

/** Where an answer's encoded body starts in a response payload: after kind (1) and call id (4). */
const BODY_AT = 5;

/** A readable account of a response payload: ok or error, and its decoded value (cut short). */
export function describeAnswer(codec: Codec, payload: Buffer): string {
  try {
    const value = codec.decode(payload.subarray(BODY_AT));
    const text = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
    return `${payload[0] === WireKind.ResponseOk ? 'ok' : 'error'} ${text.slice(0, 1_000)}`;
  } catch (error) {
    return `with undecodable bytes (${String(error)})`;
  }
}

/** The name, code and start of the message of the error a ResponseError payload carries. */
export function errorName(codec: Codec, payload: Buffer): string {
  try {
    const envelope = codec.decode(payload.subarray(BODY_AT)) as { name?: unknown; code?: unknown; message?: unknown };
    return `${String(envelope.name)} (${String(envelope.code)}): ${String(envelope.message).slice(0, 80)}`;
  } catch (error) {
    return `an undecodable error (${String(error)})`;
  }
}

/** What the service must answer an ask of `echo` with: the result's bytes, or the error refusing the arguments. */
type ExpectedAnswer =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly name: string; readonly message: string };

/** The service's refusal of arguments that decode to something other than an array. */
const NOT_AN_ARRAY = 'its arguments are not an array.';

/**
 * A refusal that says what was wrong: malformed input named by the codec (what it found where,
 * or that the bytes end early), a format byte it does not know, or the decode limit exceeded.
 */
const CLEAR_REFUSAL =
  /^(Cannot deserialize: (malformed typed input \(.+\)|unknown format byte \d+|malformed JSON \(.+\))|Refused to decode: .+ is over the decode limit (maxBigIntDigits|maxDepth|maxStringLength|maxCollectionSize) \(\d+\))$/s;

/**
 * What the fuzzed service must answer an ask of `echo(...args)` with, found by decoding `args`
 * with `codec`, the test's copy of the service's: the encoding of the first argument (echo
 * answers it), or the refusal of the arguments.
 */
function expectedAnswer(codec: Codec, args: Uint8Array): ExpectedAnswer {
  let decoded: unknown;
  try {
    decoded = codec.decode(args);
  } catch (error) {
    return { ok: false, name: (error as Error).name, message: (error as Error).message };
  }
  if (!Array.isArray(decoded)) return { ok: false, name: 'RpcSerializationError', message: NOT_AN_ARRAY };
  return { ok: true, bytes: codec.encode(decoded[0]) };
}

/**
 * Checks the answer to an ask of `echo` with `args` against {@link expectedAnswer}: the same
 * result bytes, or an error of the same class whose message holds the codec's refusal, and a
 * refusal that says clearly what was wrong ({@link CLEAR_REFUSAL}). Counts the outcome, by
 * kind, in `outcomes`. Returns the problems found (none if the answer is right).
 */
export function checkTypedAnswer(
  codec: Codec,
  args: Uint8Array,
  answer: ReceivedFrame,
  outcomes: Map<string, number>,
): string[] {
  const expected = expectedAnswer(codec, args);
  const key = expected.ok
    ? 'ok'
    : `${expected.name}: ${expected.message
        .replace(/"[^"]*"/g, '"…"')
        .replace(/\d+/g, 'N')
        .slice(0, 100)}`;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  const problems: string[] = [];
  if (!expected.ok && expected.message !== NOT_AN_ARRAY && !CLEAR_REFUSAL.test(expected.message)) {
    problems.push(
      `the codec refuses the arguments without saying clearly what is wrong: ${expected.name}: ${expected.message}`,
    );
  }
  const body = answer.payload.subarray(BODY_AT);
  if (expected.ok) {
    if (answer.kind !== WireKind.ResponseOk) {
      problems.push(`arguments the codec decodes were answered ${describeAnswer(codec, answer.payload)}`);
    } else if (Buffer.compare(body, expected.bytes) !== 0) {
      problems.push(
        `echo answered ${body.toString('hex').slice(0, 400)}, not the argument it was sent (${Buffer.from(expected.bytes).toString('hex').slice(0, 400)})`,
      );
    }
    return problems;
  }
  if (answer.kind !== WireKind.ResponseError) {
    problems.push(
      `arguments the codec refuses (${expected.message}) were answered ${describeAnswer(codec, answer.payload)}`,
    );
    return problems;
  }
  const envelope = codec.decode(body) as { name?: unknown; message?: unknown };
  if (envelope.name !== expected.name || !String(envelope.message).includes(expected.message)) {
    problems.push(
      `arguments refused locally with ${expected.name}: ${expected.message} were answered ${describeAnswer(codec, answer.payload)}`,
    );
  }
  return problems;
}
