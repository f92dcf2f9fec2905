/**
 * fast-check arbitraries of the call info a request carries (wire version 2) and of Cancel
 * frames, valid and hostile, for the fuzz tests' requests (see arbitraries.ts).
 */
import fc from 'fast-check';
import { MAX_DEADLINE_MS, TRACEPARENT_PATTERN, WireKind, type WireCallInfo } from '@nact-rpc/transport/internal';
import { cancelPayload } from './frames';

/**
 * Call info within the bounds: deadlines already past, short and long, trace context, and
 * metadata whose keys include the prototype names a key may spell (`constructor`, `prototype`).
 */
export const validCallInfo: fc.Arbitrary<WireCallInfo> = fc.record(
  {
    deadlineMs: fc.oneof(fc.constantFrom(0, 1, 50, 10_000, MAX_DEADLINE_MS), fc.integer({ min: 0, max: 60_000 })),
    traceparent: fc.stringMatching(TRACEPARENT_PATTERN),
    tracestate: fc.string({ maxLength: 64 }),
    metadata: fc.dictionary(
      fc.oneof(
        fc.constantFrom('constructor', 'prototype', 'hasownproperty', 'tenant', '0', 'tostring'),
        fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/),
      ),
      fc.string({ maxLength: 40 }),
      { maxKeys: 8, noNullPrototype: true },
    ),
  },
  { requiredKeys: [] },
);

/**
 * A request's call info as raw bytes, the flags byte first: any flags (unknown bits too) and
 * random sections, or valid flags with sections that break a bound (keys, values, counts).
 */
export const rawCallSection: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 24 }))
    .map(([flags, rest]) => Buffer.concat([Buffer.of(flags), rest])),
  fc
    .tuple(
      fc.integer({ min: 0, max: 255 }),
      fc.array(
        fc.tuple(fc.oneof(fc.string({ maxLength: 70 }), fc.constant('__proto__')), fc.string({ maxLength: 20 })),
        { maxLength: 4 },
      ),
    )
    .map(([count, entries]) => {
      const strings = entries
        .flatMap(([key, value]) => [key, value])
        .map((text) => {
          const bytes = Buffer.from(text, 'utf8');
          const length = Buffer.alloc(2);
          length.writeUInt16BE(bytes.length, 0);
          return Buffer.concat([length, bytes]);
        });
      return Buffer.concat([Buffer.of(0x08, count), ...strings]);
    }),
);

/** Cancel frames' payloads: for one of `callIds`, or of the wrong length. */
export function cancelPayloads(callIds: fc.Arbitrary<number>): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 3, arbitrary: callIds.map((callId) => cancelPayload(callId)) },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 8 })
        .filter((rest) => rest.length !== 4)
        .map((rest) => Buffer.concat([Buffer.of(WireKind.Cancel), rest])),
    },
  );
}
