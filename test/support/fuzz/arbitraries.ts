/**
 * fast-check arbitraries of hostile input for the fuzz tests: each yields bytes (or the parts to
 * build them) that test/remote/fuzz.test.ts writes to a live service.
 */
import fc from 'fast-check';
import type { FencingToken } from '@nact-rpc/core';
import { WireKind } from '@nact-rpc/transport/internal';
import { cancelPayloads, rawCallSection, validCallInfo } from './callInfoArbitraries';
import {
  codec,
  codecBytes,
  echoAsk,
  FORMAT_JSON,
  FORMAT_SUPERJSON,
  frame,
  FUZZ_MAX_FRAME_SIZE,
  handshakePayload,
  requestPayload,
  requestPayloadWithCallSection,
  responsePayload,
  validHandshakeDetails,
  validHelloBody,
  validHelloFrame,
} from './frames';

/** Call ids the properties use; the checks' own asks use ids above this range. */
export const MAX_FUZZ_CALL_ID = 0xbfff_ffff;

/** Names that reach a lookup by name: real ones, prototype keys, and random text. */
const names = (real: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...real) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ''),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  );

/**
 * Endpoints, protocols and methods that a mutated request may name. The admin endpoint and the
 * fixture methods that never answer or throw by design (`hang`, `big`, `fail`, `take`,
 * `roundTrip`, `local`) are left out, so that what the service logs comes from the framework.
 */
export const endpointIds = names(['echo', 'hello', 'hi', 'leader', 'ephemeral', 'nobody']);
export const protocolNames = names(['EchoGateway', 'HelloGateway', 'HiGateway', 'LeaderGateway']);
export const methodNames = names(['echo', 'note', 'notes', 'hello', 'hi', 'token', 'bump', 'bumps', 'handOver']);

const callIds = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000 }), fc.constant(MAX_FUZZ_CALL_ID));

const tokens: fc.Arbitrary<FencingToken | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom<FencingToken>('session-1', '', '__proto__') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.bigInt() },
);

/** A JSON value of arbitrary shape, as text (keys include prototype names). */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('null', 'true', 'false', '0', '-1', '1e308', '""', '"x"'),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
    fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted', 'json', 'meta'),
            fc.string({ maxLength: 8 }),
          ),
          tie('value'),
        ),
        { maxLength: 4 },
      )
      .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`),
  ),
})).value;

/** A prototype-pollution object, as JSON text: `__proto__`, `constructor.prototype` and the like. */
export const pollutionText: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('{"__proto__":{"polluted":"yes"}}', '{"constructor":{"prototype":{"polluted":"yes"}}}'),
    fc.constantFrom('__proto__', 'constructor', 'prototype'),
    jsonText,
  )
  .map(([base, key, value]) => `{"a":${base},${JSON.stringify(key)}:${value},"__proto__":{"isAdmin":true}}`);

/** A superjson meta path through prototype keys, such as `0.__proto__.polluted`. */
const metaPath = fc
  .array(fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted', '0', 'a', 'json'), {
    minLength: 1,
    maxLength: 5,
  })
  .map((segments) => segments.join('.'));

/** A superjson type annotation, valid or not. */
const annotation = fc.constantFrom(
  '["undefined"]',
  '["bigint"]',
  '["Date"]',
  '["regexp"]',
  '["set"]',
  '["map"]',
  '["number"]',
  '["symbol","x"]',
  '["class","Money"]',
  '["class","Object"]',
  '["custom","Buffer"]',
  '["Error"]',
  '"bigint"',
  '[]',
  'null',
  '{"__proto__":["bigint"]}',
);

/** Superjson text (`{"json":…,"meta":…}`) whose meta walks prototype keys. */
export const superjsonPollutionText: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      pollutionText.map((text) => `[${text}]`),
      jsonText,
    ),
    fc.array(fc.tuple(metaPath, annotation), { maxLength: 3 }),
    fc.array(fc.tuple(metaPath, fc.array(metaPath, { maxLength: 2 })), { maxLength: 2 }),
  )
  .map(([json, values, equalities]) => {
    const valuesText = values.map(([path, note]) => `${JSON.stringify(path)}:${note}`).join(',');
    const equalitiesText = equalities
      .map(([path, paths]) => `${JSON.stringify(path)}:${JSON.stringify(paths)}`)
      .join(',');
    return `{"json":${json},"meta":{"values":{${valuesText}},"referentialEqualities":{${equalitiesText}},"__proto__":{"polluted":1}}}`;
  });

/** Request arguments: valid, any JSON, pollution in either codec format, or raw bytes. */
export const argsBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.integer().map((n) => codec.encode([n])),
  jsonText.map((text) => codecBytes(FORMAT_JSON, text)),
  pollutionText.map((text) => codecBytes(FORMAT_JSON, `[${text}]`)),
  superjsonPollutionText.map((text) => codecBytes(FORMAT_SUPERJSON, text)),
  fc.uint8Array({ maxLength: 32 }),
);

/** A request frame's payload with every field drawn at random, with call info or without. */
export const mutatedRequest: fc.Arbitrary<Buffer> = fc
  .tuple(
    callIds,
    endpointIds,
    protocolNames,
    methodNames,
    tokens,
    argsBytes,
    fc.oneof(
      { weight: 3, arbitrary: fc.constant({ call: undefined, section: undefined }) },
      { weight: 2, arbitrary: validCallInfo.map((call) => ({ call, section: undefined })) },
      { weight: 1, arbitrary: rawCallSection.map((section) => ({ call: undefined, section })) },
    ),
  )
  .map(([callId, endpoint, protocol, method, token, args, { call, section }]) =>
    section === undefined
      ? requestPayload(callId, endpoint, protocol, method, token, args, call)
      : requestPayloadWithCallSection(callId, endpoint, protocol, method, token, section, args),
  );

/** A Cancel frame's payload for a call id the fuzz inputs use (a tell's 0 included), or of the wrong length. */
export const cancelFrame: fc.Arbitrary<Buffer> = cancelPayloads(callIds);

/** A weird JSON value to put where a field was. */
const weirdValue = fc.oneof(
  fc.constantFrom<unknown>(null, true, 0, -1, 1.5, '', 'x', [], {}, [null], { kind: 'ask' }, '__proto__'),
  fc.string({ maxLength: 12 }),
  fc.integer(),
);

/** Handshake details mutated from a valid one: a field removed, replaced or added, at any depth. */
export const mutatedHandshakeDetails: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.constantFrom('remove', 'replace', 'add'),
    fc.constantFrom('', 'protocol', 'protocol.methods', 'protocol.methods.echo'),
    fc.constantFrom(
      'protocol',
      'rpcVersion',
      'fenced',
      'name',
      'fingerprint',
      'methods',
      'kind',
      'timeoutArg',
      'local',
      'echo',
      'extra',
      '__proto__',
    ),
    weirdValue,
  )
  .map(([operation, at, field, value]) => {
    const details = JSON.parse(JSON.stringify(validHandshakeDetails())) as Record<string, unknown>;
    let target: Record<string, unknown> = details;
    for (const key of at.split('.').filter((key) => key !== '')) target = target[key] as Record<string, unknown>;
    if (typeof target !== 'object' || target === null) return details;
    if (operation === 'remove') delete target[field];
    else Object.defineProperty(target, field, { value, enumerable: true, writable: true, configurable: true });
    return details;
  });

/** A handshake frame's payload: mutated details, or raw text where the JSON goes. */
export const mutatedHandshake: fc.Arbitrary<Buffer> = fc
  .tuple(
    callIds.filter((id) => id !== 0),
    endpointIds,
    fc.oneof(
      { weight: 3, arbitrary: mutatedHandshakeDetails.map((details) => ({ details, text: undefined })) },
      {
        weight: 1,
        arbitrary: fc
          .oneof(jsonText, pollutionText, fc.string({ maxLength: 30 }))
          .map((text) => ({ details: undefined, text })),
      },
    ),
  )
  .map(([callId, endpoint, { details, text }]) => handshakePayload(callId, endpoint, details, text));

/** One frame's payload on an open association: requests, handshakes, stray answers, signals, unknown kinds. */
export const openAssociationPayload: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 4, arbitrary: mutatedRequest },
  { weight: 3, arbitrary: mutatedHandshake },
  { weight: 1, arbitrary: cancelFrame },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.boolean(),
        fc.integer({ min: 0, max: MAX_FUZZ_CALL_ID }),
        fc.oneof(argsBytes, fc.uint8Array({ maxLength: 16 })),
      )
      .map(([ok, callId, body]) => responsePayload(ok, callId, body)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom<number>(
          WireKind.Ping,
          WireKind.Pong,
          WireKind.Goodbye,
          WireKind.Hello,
          WireKind.HelloAccept,
          WireKind.HelloReject,
          4,
        ),
        fc.uint8Array({ maxLength: 4 }),
      )
      .map(([kind, rest]) => Buffer.concat([Buffer.of(kind), rest])),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 16 }))
      .map(([kind, rest]) => Buffer.concat([Buffer.of(kind), rest])),
  },
);

/** A payload with a few bytes flipped, so that lengths, ids and type bytes inside it go wrong. */
export const withFlippedBytes = (payload: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> =>
  fc
    .tuple(payload, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 3 }))
    .map(([bytes, flips]) => {
      const copy = Buffer.from(bytes);
      for (const [at, xor] of flips) {
        if (copy.length > 0) copy[at % copy.length] = (copy[at % copy.length] ?? 0) ^ xor;
      }
      return copy;
    });

/** A valid frame of each kind the server reads: hello, request, handshake. */
export const validFrame: fc.Arbitrary<{ kind: 'hello' | 'request' | 'handshake'; bytes: Buffer }> = fc.oneof(
  fc.constant(null).map(() => ({ kind: 'hello' as const, bytes: validHelloFrame() })),
  fc.integer({ min: 1, max: 1_000 }).map((callId) => ({ kind: 'request' as const, bytes: echoAsk(callId, callId) })),
  fc.integer({ min: 1, max: 1_000 }).map((callId) => ({
    kind: 'handshake' as const,
    bytes: frame(handshakePayload(callId, 'echo', validHandshakeDetails())),
  })),
);

/** Length prefixes that lie: 0, 1, huge, around the maximum frame size, or more than is sent. */
export const hostileLength = (sent: number): fc.Arbitrary<number> =>
  fc.oneof(
    fc.constantFrom(0, 1, 2, 3, 4, 5, 0xffff_ffff, 0x8000_0000, 0x7fff_ffff),
    fc.constantFrom(
      FUZZ_MAX_FRAME_SIZE - 1,
      FUZZ_MAX_FRAME_SIZE,
      FUZZ_MAX_FRAME_SIZE + 1,
      FUZZ_MAX_FRAME_SIZE + 4,
      FUZZ_MAX_FRAME_SIZE + 5,
    ),
    fc.integer({ min: 1, max: 1_000 }).map((extra) => sent + extra),
    fc.integer({ min: 0, max: 0xffff_ffff }),
  );

/** A hello body with one field removed, replaced or added, as JSON text; or a body that is not an object. */
export const malformedHelloText: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.constantFrom('remove', 'replace', 'add'),
        fc.constantFrom(
          'magic',
          'wireVersion',
          'serviceName',
          'incarnation',
          'codec',
          'maxFrameSize',
          'address',
          'auth',
          'nonce',
          'extra',
          '__proto__',
          'constructor',
        ),
        fc.oneof(
          weirdValue,
          fc.constantFrom<unknown>(
            'nact-rpc',
            'superjson',
            'json',
            2,
            0,
            1e300,
            -5,
            2 ** 53,
            { host: 'localhost', port: 1 },
            { host: '', port: 0 },
            { host: 'x', port: 70_000 },
          ),
          fc.integer({ min: 1_000, max: 200_000 }).map((length) => 'x'.repeat(length)),
        ),
      )
      .map(([operation, field, value]) => {
        const body = { ...validHelloBody() } as Record<string, unknown>;
        if (operation === 'remove') delete body[field];
        else Object.defineProperty(body, field, { value, enumerable: true, writable: true, configurable: true });
        return JSON.stringify(body);
      }),
  },
  { weight: 1, arbitrary: fc.oneof(jsonText, fc.string({ maxLength: 40 })) },
  {
    weight: 1,
    arbitrary: pollutionText.map((text) => JSON.stringify(validHelloBody()).replace(/^\{/, `{"x":${text},`)),
  },
);

/** A size: mostly small, sometimes the largest, so that the full run stays within minutes. */
const size = (small: number, medium: number, large: number): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: small }) },
    { weight: 3, arbitrary: fc.integer({ min: small, max: medium }) },
    { weight: 1, arbitrary: fc.constant(large) },
  );

const repeatJoined = (count: number, item: (i: number) => string): string =>
  Array.from({ length: count }, (_, i) => item(i)).join(',');

/**
 * Arguments that cost the decoder far more than their bytes: a BigInt of up to a million
 * digits, nesting up to 100,000 deep (plain JSON and a superjson meta path), arrays of up to a
 * million items, a million-entry set, referential equalities and wide objects.
 */
export const decodeBudgetArgs: fc.Arbitrary<{ what: string; args: Buffer }> = fc.oneof(
  size(1_000, 100_000, 1_000_000).map((digits) => ({
    what: `a bigint of ${digits} digits`,
    args: codecBytes(FORMAT_SUPERJSON, `{"json":["${'9'.repeat(digits)}"],"meta":{"values":{"0":["bigint"]}}}`),
  })),
  size(100, 1_000, 10_000).map((count) => ({
    what: `${count} bigints of 100 digits`,
    args: codecBytes(
      FORMAT_SUPERJSON,
      `{"json":[[${repeatJoined(count, () => `"${'7'.repeat(100)}"`)}]],"meta":{"values":{"0":[["bigint"]]}}}`,
    ),
  })),
  size(1_000, 10_000, 100_000).map((depth) => ({
    what: `JSON nested ${depth} deep`,
    args: codecBytes(FORMAT_JSON, `[${'['.repeat(depth)}${']'.repeat(depth)}]`),
  })),
  size(1_000, 10_000, 100_000).map((depth) => ({
    what: `superjson nested ${depth} deep with a meta path to the bottom`,
    args: codecBytes(
      FORMAT_SUPERJSON,
      `{"json":[${'['.repeat(depth)}"1"${']'.repeat(depth)}],"meta":{"values":{"0${'.0'.repeat(depth)}":["bigint"]}}}`,
    ),
  })),
  size(10_000, 100_000, 1_000_000).map((length) => ({
    what: `a JSON array of ${length} items`,
    args: codecBytes(FORMAT_JSON, `[[${repeatJoined(length, () => '0')}]]`),
  })),
  size(1_000, 10_000, 100_000).map((length) => ({
    what: `superjson with ${length} meta entries`,
    args: codecBytes(
      FORMAT_SUPERJSON,
      `{"json":[[${repeatJoined(length, () => '"1"')}]],"meta":{"values":{${repeatJoined(length, (i) => `"0.${i}":["bigint"]`)}}}}`,
    ),
  })),
  size(10_000, 100_000, 1_000_000).map((length) => ({
    what: `a superjson set of ${length} items`,
    args: codecBytes(
      FORMAT_SUPERJSON,
      `{"json":[[${repeatJoined(length, (i) => String(i))}]],"meta":{"values":{"0":["set"]}}}`,
    ),
  })),
  size(1_000, 10_000, 100_000).map((length) => ({
    what: `${length} referential equalities`,
    args: codecBytes(
      FORMAT_SUPERJSON,
      `{"json":[[${repeatJoined(length, () => '{}')}]],"meta":{"referentialEqualities":{"0.0":[${repeatJoined(length - 1, (i) => `"0.${i + 1}"`)}]}}}`,
    ),
  })),
  size(1_000, 10_000, 100_000).map((keys) => ({
    what: `an object of ${keys} keys`,
    args: codecBytes(FORMAT_JSON, `[{${repeatJoined(keys, (i) => `"k${i}":${i}`)}}]`),
  })),
);
