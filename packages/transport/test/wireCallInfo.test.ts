import fc from 'fast-check';
import type { FencingToken } from '@nact-rpc/core';
import {
  MAX_DEADLINE_MS,
  MAX_METADATA_ENTRIES,
  MAX_METADATA_VALUE_BYTES,
  TRACEPARENT_PATTERN,
  WireKind,
  type WireCallInfo,
} from '@nact-rpc/transport/internal';
import { decodeWireMessage } from '../src/wire/decodeWireMessage';
import { encodeRequestHeader, stampCallId } from '../src/wire/wireFormat';
import { WireFormatError } from '../src/wire/WireFormatError';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const ARGS = Buffer.from('["args"]');

/** Encodes a request with `call`, followed by {@link ARGS}, and decodes it. */
function roundTrip(call: WireCallInfo | undefined, token?: FencingToken): ReturnType<typeof decodeWireMessage> {
  return decodeWireMessage(
    Buffer.concat([encodeRequestHeader(7, 'endpoint', 'Protocol', 'method', token, call), ARGS]),
  );
}

/** The call info a request decodes to, given the call info it was encoded with. */
function decodedCall(call: WireCallInfo | undefined): WireCallInfo | undefined {
  const decoded = roundTrip(call);
  if (decoded.kind !== WireKind.Request) throw new Error('not a request');
  expect(decoded.args).toEqual(ARGS);
  return decoded.call;
}

describe('the call info of a request (wire version 2)', () => {
  describe('without call info', () => {
    test('the header ends with the flags byte 0, one byte more than a version 1 header', () => {
      const header = encodeRequestHeader(1, 'e', 'P', 'm', undefined);
      // kind, call id, three strings of 1 byte, the token type, the flags.
      expect(header.length).toBe(1 + 4 + 3 * 3 + 1 + 1);
      expect(header[header.length - 1]).toBe(0);
      expect(decodedCall(undefined)).toBeUndefined();
    });

    test.each<[string, WireCallInfo]>([
      ['an empty call info', {}],
      ['fields all undefined', { deadlineMs: undefined, traceparent: undefined, tracestate: undefined }],
      ['empty metadata', { metadata: {} }],
    ])('%s encodes as none', (_, call) => {
      const none = encodeRequestHeader(1, 'e', 'P', 'm', 'token');
      expect(encodeRequestHeader(1, 'e', 'P', 'm', 'token', call)).toEqual(none);
      expect(decodedCall(call)).toBeUndefined();
    });
  });

  describe('round trips', () => {
    test.each<[string, WireCallInfo]>([
      ['a deadline', { deadlineMs: 1_500 }],
      ['a deadline of 0 (already past)', { deadlineMs: 0 }],
      ['the longest deadline', { deadlineMs: MAX_DEADLINE_MS }],
      ['a traceparent', { traceparent: TRACEPARENT }],
      ['a tracestate', { tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' }],
      ['an empty tracestate', { tracestate: '' }],
      ['metadata', { metadata: { tenant: 'acme', 'request-id': 'r-1', 'x.y_z': 'ünïcødé 🚀' } }],
      ['metadata whose key is a prototype name', { metadata: { constructor: 'c', tostring: 't' } }],
      ['an empty metadata value', { metadata: { empty: '' } }],
      ['the longest value', { metadata: { big: 'v'.repeat(MAX_METADATA_VALUE_BYTES) } }],
      [
        'every field',
        { deadlineMs: 42, traceparent: TRACEPARENT, tracestate: 'a=b', metadata: { tenant: 'acme', '0': 'zero' } },
      ],
      ['every field but the deadline', { traceparent: TRACEPARENT, tracestate: 'a=b', metadata: { k: 'v' } }],
      ['a deadline and metadata', { deadlineMs: 9, metadata: { k: 'v' } }],
    ])('%s', (_, call) => {
      expect(decodedCall(call)).toEqual(call);
    });

    test('the most metadata entries', () => {
      const metadata = Object.fromEntries(
        Array.from({ length: MAX_METADATA_ENTRIES }, (_, index) => [`key-${index}`, `value ${index}`]),
      );
      expect(decodedCall({ metadata })).toEqual({ metadata });
    });

    test('metadata of exactly the total limit', () => {
      // 8 entries of a 1-byte key and a 1023-byte value: 8,192 bytes.
      const metadata = Object.fromEntries(Array.from({ length: 8 }, (_, index) => [String(index), 'v'.repeat(1023)]));
      expect(decodedCall({ metadata })).toEqual({ metadata });
    });

    test('decoded metadata has no prototype, so that no key reads an inherited property', () => {
      const metadata = decodedCall({ metadata: { tenant: 'acme' } })?.metadata;
      expect(Object.getPrototypeOf(metadata)).toBeNull();
      expect(metadata?.['constructor']).toBeUndefined();
    });

    test.each<[number, number]>([
      [-5, 0],
      [0.2, 1],
      [1.5, 2],
      [2 ** 32, MAX_DEADLINE_MS],
      [Number.POSITIVE_INFINITY, MAX_DEADLINE_MS],
      [Number.NEGATIVE_INFINITY, 0],
    ])('a deadline of %d ms travels as %d', (deadlineMs, sent) => {
      expect(decodedCall({ deadlineMs })).toEqual({ deadlineMs: sent });
    });

    test.each<[string, FencingToken | undefined]>([
      ['no token', undefined],
      ['a string token', 'session-7'],
      ['a bigint token', 2n ** 70n],
    ])('with %s, the token and the call info both survive', (_, token) => {
      const call: WireCallInfo = { deadlineMs: 3, metadata: { k: 'v' } };
      expect(roundTrip(call, token)).toMatchObject({ fencingToken: token, call, args: ARGS });
    });

    test('stampCallId works on a header with call info', () => {
      const call: WireCallInfo = { deadlineMs: 100, traceparent: TRACEPARENT, metadata: { k: 'v' } };
      const header = encodeRequestHeader(0, 'endpoint', 'Protocol', 'method', 5n, call);
      const buffer = Buffer.concat([Buffer.from('xy'), header, ARGS]);
      stampCallId(buffer, 2, 0xfedc_ba98);
      expect(decodeWireMessage(buffer.subarray(2))).toEqual({
        kind: WireKind.Request,
        callId: 0xfedc_ba98,
        endpointId: 'endpoint',
        protocol: 'Protocol',
        method: 'method',
        fencingToken: 5n,
        call,
        args: ARGS,
      });
    });
  });

  describe('any valid call info round-trips (property)', () => {
    const metadataKey = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,63}$/);
    /** Entries within every bound: few with long values, or many with short ones (each under 8 KiB in all). */
    const metadata = fc
      .oneof(
        fc.uniqueArray(fc.tuple(metadataKey, fc.string({ unit: 'binary', maxLength: 200 })), {
          maxLength: 8,
          selector: ([key]) => key,
        }),
        fc.uniqueArray(fc.tuple(metadataKey, fc.string({ maxLength: 50 })), {
          maxLength: MAX_METADATA_ENTRIES,
          selector: ([key]) => key,
        }),
      )
      .map((entries) => Object.fromEntries(entries));
    const callInfo: fc.Arbitrary<WireCallInfo> = fc.record(
      {
        deadlineMs: fc.oneof(
          fc.integer({ min: 0, max: MAX_DEADLINE_MS }),
          fc.double({ noNaN: true, min: -1e12, max: 1e12 }),
        ),
        traceparent: fc.stringMatching(TRACEPARENT_PATTERN),
        tracestate: fc.string({ unit: 'binary', maxLength: 128 }),
        metadata,
      },
      { requiredKeys: [] },
    );

    /** What the peer reads: whole milliseconds within the u32 range, empty metadata left out. */
    function expected(call: WireCallInfo): WireCallInfo | undefined {
      const { deadlineMs, metadata: entries, ...rest } = call;
      const result: WireCallInfo = {
        ...rest,
        ...(deadlineMs === undefined
          ? {}
          : { deadlineMs: Math.min(MAX_DEADLINE_MS, Math.max(0, Math.ceil(deadlineMs))) }),
        ...(entries === undefined || Object.keys(entries).length === 0 ? {} : { metadata: entries }),
      };
      return Object.keys(result).length === 0 ? undefined : result;
    }

    test('encoded, then decoded, with any names, token and arguments around it', () => {
      fc.assert(
        fc.property(
          callInfo,
          fc.integer({ min: 0, max: 0xffff_ffff }),
          fc.string({ maxLength: 20 }),
          fc.option(fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.bigInt()), { nil: undefined }),
          fc.uint8Array({ maxLength: 16 }),
          (call, callId, name, token, args) => {
            const payload = Buffer.concat([encodeRequestHeader(callId, name, name, name, token, call), args]);
            const decoded = decodeWireMessage(payload);
            expect(decoded).toEqual({
              kind: WireKind.Request,
              callId,
              endpointId: name,
              protocol: name,
              method: name,
              fencingToken: token,
              call: expected(call),
              args: Buffer.from(args),
            });
          },
        ),
      );
    });

    test('a request cut anywhere in its call info is refused as truncated, never misread', () => {
      fc.assert(
        fc.property(callInfo, fc.nat(), (call, cut) => {
          const header = encodeRequestHeader(1, 'e', 'P', 'm', undefined, call);
          const length = 1 + (cut % (header.length - 1));
          expect(() => decodeWireMessage(header.subarray(0, length))).toThrow(new WireFormatError('truncated frame'));
        }),
      );
    });
  });
});
