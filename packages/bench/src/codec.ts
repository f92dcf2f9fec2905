/**
 * Codec round trips (encode then decode, through bytes) of a representative payload with a
 * Date, a Map, a nested object, numbers and strings: `codec_json` (JSON over a Buffer; the
 * Date comes back as a string and the Map as `{}`). The rich codecs round-trip the same
 * payload with a Set, a BigInt, an undefined field and an instance of a registered class
 * added (which JSON cannot represent): `codec_superjson` (superjson over a Buffer),
 * `codec_superjson_codec` (nact-rpc's `SuperJsonCodec`: superjson behind its plain-JSON walk)
 * and `codec_typed` (`new TypedCodec()`, the default codec). `codec_default_plain` is the
 * default codec on the plain payload (its JSON fast path), and `codec_plain_check` the walk
 * of that path alone.
 */
import { SuperJsonCodec, TypedCodec } from '@nact-rpc/core';
import { isPlainJson } from '@nact-rpc/core/internal';
import { SuperJSON } from 'superjson';
import { syncLoop } from './measure';
import type { Scenario } from './scenario';

/** The codec payload: about 200 bytes once encoded. */
export function codecPayload(): Record<string, unknown> {
  return {
    id: 48_213,
    name: 'order-48213',
    createdAt: new Date(Date.UTC(2024, 4, 17, 9, 30)),
    amount: 1_234.56,
    quantity: 3,
    status: 'pending',
    tags: new Map([
      ['region', 'eu-west'],
      ['tier', 'gold'],
    ]),
    customer: { id: 'c-42', name: 'Ada Lovelace', address: { city: 'London', zip: 'NW1 6XE' } },
    scores: [0.5, 0.25, 0.125],
  };
}

/** A registered value class of the rich payload. */
export class Price {
  constructor(
    readonly amount: number,
    readonly currency: string,
  ) {}
}

/**
 * The codec payload with what only the rich codecs represent added: a Set, a BigInt, an
 * undefined field and an instance of a registered class. About 300 bytes once encoded.
 */
export function richCodecPayload(): Record<string, unknown> {
  return {
    ...codecPayload(),
    labels: new Set(['priority', 'gift']),
    ledgerId: 9_007_199_254_740_993n,
    note: undefined,
    unitPrice: new Price(411.52, 'EUR'),
  };
}

/**
 * The same payload with only what JSON represents exactly (the Date as a string, the Map as
 * an object): the default codec's fast path writes it as JSON.
 */
export function plainCodecPayload(): Record<string, unknown> {
  const payload = codecPayload();
  return {
    ...payload,
    createdAt: (payload['createdAt'] as Date).toISOString(),
    tags: Object.fromEntries(payload['tags'] as Map<string, string>),
  };
}

/** One way to turn the payload into bytes and back. */
interface RoundTrip {
  encode(value: unknown): Uint8Array;
  decode(bytes: Uint8Array): unknown;
}

const json: RoundTrip = {
  encode: (value) => Buffer.from(JSON.stringify(value), 'utf8'),
  decode: (bytes) =>
    JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as unknown,
};

function superjson(): RoundTrip {
  const serializer = new SuperJSON();
  serializer.registerClass(Price, { identifier: 'Price' });
  return {
    encode: (value) => Buffer.from(serializer.stringify(value), 'utf8'),
    decode: (bytes) => serializer.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')),
  };
}

/**
 * A scenario that runs an operation on a payload in a loop. `prepare` makes the operation at
 * open; each run of it returns `each`, and the scenario fails at close if the sum says a run
 * did not.
 */
function loopScenario(
  name: string,
  payloadOf: () => Record<string, unknown>,
  prepare: () => (payload: Record<string, unknown>) => number,
  each: number,
  failure: string,
): Scenario {
  return {
    name,
    unit: 'ops/s',
    open() {
      const operation = prepare();
      const payload = payloadOf();
      let sink = 0;
      let ops = 0;
      return {
        run: (durationMs) =>
          syncLoop(
            durationMs,
            () => {
              ops++;
              sink += operation(payload);
            },
            100,
          ),
        close() {
          if (sink !== ops * each) throw new Error(`${name}: ${failure}`);
        },
      };
    },
  };
}

/** Round trips of the payload through the codec `make` returns. */
function codecScenario(
  name: string,
  make: () => RoundTrip,
  payloadOf: () => Record<string, unknown> = codecPayload,
): Scenario {
  const roundTrip = (): ((payload: Record<string, unknown>) => number) => {
    const codec = make();
    return (payload) => (codec.decode(codec.encode(payload)) as { id: number }).id;
  };
  return loopScenario(name, payloadOf, roundTrip, 48_213, 'the round trip changed the payload');
}

/** nact-rpc's SuperJsonCodec, with the payload's class registered. */
const superJsonCodec = (): SuperJsonCodec => new SuperJsonCodec().registerClass(Price);
/** The typed codec (the default), with the payload's class registered. */
const typedCodec = (): TypedCodec => new TypedCodec().registerClass(Price);

/**
 * The encoded size of each codec's payload, in bytes: the codec payload with JSON, the rich
 * payload with the others.
 */
export function codecPayloadBytes(): Record<string, number> {
  const rich = richCodecPayload();
  return {
    codec_json_bytes: json.encode(codecPayload()).byteLength,
    codec_superjson_bytes: superjson().encode(rich).byteLength,
    codec_superjson_codec_bytes: superJsonCodec().encode(rich).byteLength,
    codec_typed_bytes: typedCodec().encode(rich).byteLength,
  };
}

/** JSON.stringify / JSON.parse over a Buffer. */
export const codecJson = codecScenario('codec_json', () => json);
/** superjson stringify / parse over a Buffer, on the rich payload. */
export const codecSuperjson = codecScenario('codec_superjson', superjson, richCodecPayload);
/** nact-rpc's SuperJsonCodec, on the rich payload. */
export const codecSuperjsonCodec = codecScenario('codec_superjson_codec', superJsonCodec, richCodecPayload);
/** The typed codec, on the rich payload: figure `codec_typed_per_s`. */
export const codecTyped = codecScenario('codec_typed', typedCodec, richCodecPayload);
/** JSON on the plain payload. */
export const codecJsonPlain = codecScenario('codec_json_plain', () => json, plainCodecPayload);
/** nact-rpc's default codec (TypedCodec) on the plain payload: its JSON fast path. */
export const codecDefaultPlain = codecScenario('codec_default_plain', () => new TypedCodec(), plainCodecPayload);

/**
 * `codec_plain_check`: the walk alone by which the default codec decides that the plain
 * payload is plain JSON (no Date, Map, `undefined`, class instance or shared reference, which
 * JSON would lose). JSON does not make it, so `codec_default_plain` costs a JSON round trip
 * plus this walk, and cannot run faster than JSON by more than its encoding and decoding
 * around JSON save; the ratio `codec_plain_check_vs_json_plain` says how much the walk costs
 * against JSON's round trip.
 */
export const codecPlainCheck = loopScenario(
  'codec_plain_check',
  plainCodecPayload,
  () => (payload) => (isPlainJson(payload) ? 1 : 0),
  1,
  'the plain payload was not found plain',
);
