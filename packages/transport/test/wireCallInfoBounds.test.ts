import {
  checkCallMetadata,
  encodeCancel,
  MAX_METADATA_ENTRIES,
  WireKind,
  type WireCallInfo,
} from '@nact-rpc/transport/internal';
import { decodeWireMessage } from '../src/wire/decodeWireMessage';
import { encodeRequestHeader } from '../src/wire/wireFormat';
import { WireFormatError } from '../src/wire/WireFormatError';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** A string as the wire writes it: its byte length (u16), then its UTF-8. */
function str(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length, 0);
  return Buffer.concat([length, bytes]);
}

/** A request built by hand: a header without call info whose flags byte is `flags`, then `sections` and args. */
function rawRequest(flags: number, ...sections: Buffer[]): Buffer {
  const header = encodeRequestHeader(3, 'e', 'P', 'm', undefined);
  return Buffer.concat([header.subarray(0, header.length - 1), Buffer.of(flags), ...sections, Buffer.from('[]')]);
}

/** The metadata section of `entries`, as a peer might write it, bounds or not. */
function metadataSection(entries: readonly (readonly [string, string])[]): Buffer {
  return Buffer.concat([Buffer.of(entries.length), ...entries.flatMap(([key, value]) => [str(key), str(value)])]);
}

/** Decodes and expects a WireFormatError; returns its message. */
function refusal(payload: Buffer): string {
  let thrown: unknown;
  try {
    decodeWireMessage(payload);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(WireFormatError);
  return (thrown as Error).message;
}

/** Metadata entries too many, or too large in all, for the bounds. */
const tooMany = Array.from({ length: MAX_METADATA_ENTRIES + 1 }, (_, index) => [`k${index}`, 'v'] as const);
const tooLargeInAll = Array.from({ length: 8 }, (_, index) => [`k${index}`, 'v'.repeat(1023)] as const);

/** Metadata that breaks a bound, and what the refusal must name. */
const badMetadata: [string, (readonly [string, string])[], string][] = [
  ['an upper-case key', [['Tenant', 'acme']], 'metadata key "Tenant"'],
  ['an empty key', [['', 'x']], 'metadata key ""'],
  ['a key of 65 bytes', [['k'.repeat(65), 'x']], `metadata key "${'k'.repeat(65)}"`],
  ['a key starting with a dash', [['-x', 'x']], 'metadata key "-x"'],
  ['a key starting with a dot', [['.x', 'x']], 'metadata key ".x"'],
  ['a key with a space', [['a b', 'x']], 'metadata key "a b"'],
  ['a key with a colon', [[':path', 'x']], 'metadata key ":path"'],
  ['a key of non-ASCII letters', [['clé', 'x']], 'metadata key "clé"'],
  ['a value of 1025 bytes', [['big', 'v'.repeat(1025)]], 'metadata "big" is 1025 bytes, over the limit of 1024'],
  ['a value of 1026 UTF-8 bytes', [['big', 'é'.repeat(513)]], 'metadata "big" is 1026 bytes'],
  ['33 entries', tooMany, 'metadata has 33 entries, over the limit of 32'],
  ['8,200 bytes in all', tooLargeInAll, 'metadata is 8200 bytes in all, over the limit of 8192'],
];

describe('the bounds of call info', () => {
  describe('checkCallMetadata, for the caller', () => {
    test.each<[string, unknown]>([
      ['undefined', undefined],
      ['an empty object', {}],
      ['an object without a prototype', Object.assign(Object.create(null) as object, { tenant: 'acme' })],
      ['lower-case keys with digits, dots, underscores and dashes', { 'a.b_c-d9': 'x', '9lives': '' }],
    ])('accepts %s', (_, metadata) => {
      expect(checkCallMetadata(metadata)).toBeUndefined();
    });

    test.each(badMetadata)('refuses %s, naming it', (_, entries, named) => {
      expect(checkCallMetadata(Object.fromEntries(entries))).toContain(named);
    });

    test.each<[string, unknown, string]>([
      ['null', null, 'metadata is null, not a plain object'],
      ['an array', [['k', 'v']], 'metadata is an array'],
      ['a string', 'k=v', 'metadata is "k=v"'],
      ['a Map', new Map([['k', 'v']]), 'not a plain object'],
      ['a number value', { retries: 3 }, 'metadata "retries" is 3, not a string'],
      ['an undefined value', { gone: undefined }, 'metadata "gone" is missing, not a string'],
    ])('refuses %s', (_, metadata, named) => {
      expect(checkCallMetadata(metadata)).toContain(named);
    });

    test('a very long key is cut in the problem', () => {
      const problem = checkCallMetadata({ ['k'.repeat(10_000)]: 'v' }) ?? '';
      expect(problem.length).toBeLessThan(400);
    });
  });

  describe('the encoder refuses call info out of bounds, naming what is wrong', () => {
    test.each(badMetadata)('%s', (_, entries, named) => {
      const call: WireCallInfo = { metadata: Object.fromEntries(entries) };
      expect(() => encodeRequestHeader(1, 'e', 'P', 'm', undefined, call)).toThrow(WireFormatError);
      expect(() => encodeRequestHeader(1, 'e', 'P', 'm', undefined, call)).toThrow(named);
    });

    test.each<[string, WireCallInfo, string]>([
      ['a NaN deadline', { deadlineMs: Number.NaN }, 'deadlineMs is NaN'],
      ['an upper-case traceparent', { traceparent: TRACEPARENT.toUpperCase() }, 'traceparent is'],
      ['a traceparent too short', { traceparent: '00-abc-def-01' }, 'traceparent is "00-abc-def-01"'],
      ['a tracestate of 513 bytes', { tracestate: 't'.repeat(513) }, 'tracestate is 513 bytes'],
    ])('%s', (_, call, named) => {
      expect(() => encodeRequestHeader(1, 'e', 'P', 'm', undefined, call)).toThrow(`malformed call info: ${named}`);
    });
  });

  describe('the decoder refuses a request whose call info breaks a bound (WireFormatError, naming it)', () => {
    test.each(badMetadata)('%s', (_, entries, named) => {
      const message = refusal(rawRequest(0x08, metadataSection(entries)));
      expect(message).toContain('malformed call info');
      expect(message).toContain(named);
    });

    test('a metadata key twice', () => {
      const section = metadataSection([
        ['tenant', 'a'],
        ['tenant', 'b'],
      ]);
      expect(refusal(rawRequest(0x08, section))).toBe('malformed call info: metadata key "tenant" appears twice');
    });

    test.each<[string, string]>([
      ['upper-case hex', TRACEPARENT.toUpperCase()],
      ['a missing part', '00-4bf92f3577b34da6a3ce929d0e0e4736-01'],
      ['an empty string', ''],
      ['trailing text', `${TRACEPARENT} `],
    ])('a traceparent with %s', (_, traceparent) => {
      expect(refusal(rawRequest(0x02, str(traceparent)))).toContain('malformed call info: traceparent is');
    });

    test('a tracestate of 513 bytes', () => {
      expect(refusal(rawRequest(0x04, str('t'.repeat(513))))).toBe(
        'malformed call info: tracestate is 513 bytes, over the limit of 512',
      );
    });

    test.each([0x10, 0x20, 0x40, 0x80, 0xff, 0x18])('unknown flag bits in 0x%s', (flags) => {
      const message = refusal(rawRequest(flags, Buffer.alloc(64)));
      expect(message).toContain('malformed call info: unknown flag bits');
      expect(message).toContain((flags & 0xf0).toString(16));
    });

    test('sections past the end of the frame', () => {
      for (const flags of [0x01, 0x02, 0x04, 0x08, 0x0f]) {
        const header = encodeRequestHeader(3, 'e', 'P', 'm', undefined);
        expect(refusal(Buffer.concat([header.subarray(0, header.length - 1), Buffer.of(flags)]))).toBe(
          'truncated frame',
        );
      }
    });

    test('well-formed sections written by hand decode, in flag order', () => {
      const payload = rawRequest(
        0x0f,
        Buffer.of(0, 0, 0x01, 0x00),
        str(TRACEPARENT),
        str('a=b'),
        metadataSection([['k', 'v']]),
      );
      expect(decodeWireMessage(payload)).toMatchObject({
        call: { deadlineMs: 256, traceparent: TRACEPARENT, tracestate: 'a=b', metadata: { k: 'v' } },
        args: Buffer.from('[]'),
      });
    });
  });
});

describe('the Cancel frame', () => {
  test.each([1, 77, 0xffff_ffff])('carries the call id %i', (callId) => {
    const payload = encodeCancel(callId);
    expect(payload.length).toBe(5);
    expect(payload[0]).toBe(WireKind.Cancel);
    expect(payload[0]).toBe(12);
    expect(decodeWireMessage(payload)).toEqual({ kind: WireKind.Cancel, callId });
  });

  test.each([0, 1, 3, 5, 12])('is malformed with %i bytes after its kind', (bytes) => {
    const message = refusal(Buffer.concat([Buffer.of(WireKind.Cancel), Buffer.alloc(bytes)]));
    expect(message).toBe(`a Cancel frame carries ${bytes} bytes after its kind, not 4`);
  });
});
