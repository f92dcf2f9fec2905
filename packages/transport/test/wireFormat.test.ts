import type { FencingToken } from '@nact-rpc/core';
import type { ProtocolIdentity } from '@nact-rpc/core/internal';
import { WIRE_MAGIC, WIRE_VERSION, WireKind, type HelloBody, type WireMessage } from '@nact-rpc/transport/internal';
import { decodeWireMessage } from '../src/wire/decodeWireMessage';
import {
  encodeHandshake,
  encodeHello,
  encodeHelloReject,
  encodeRequestHeader,
  encodeResponseHeader,
  encodeSignal,
  readResponse,
  requestFrameBytes,
  responseFrameBytes,
  stampCallId,
} from '../src/wire/wireFormat';
import { WireFormatError } from '../src/wire/WireFormatError';
import { FrameWriter } from '../src/framing/FrameWriter';

const HELLO: HelloBody = {
  magic: WIRE_MAGIC,
  wireVersion: WIRE_VERSION,
  serviceName: 'jobmanager',
  incarnation: '5f0c6a2e-1d2b-4c3d-9e8f-0123456789ab',
  address: { host: 'höst.example', port: 50_123 },
  codec: 'superjson',
  maxFrameSize: 10 * 1024 * 1024,
};

function request(
  callId: number,
  endpointId: string,
  protocol: string,
  method: string,
  token: FencingToken | undefined,
  args: Buffer,
): Buffer {
  return Buffer.concat([encodeRequestHeader(callId, endpointId, protocol, method, token), args]);
}

/** Decodes and expects a WireFormatError; returns it. */
function decodeError(payload: Buffer): WireFormatError {
  let thrown: unknown;
  try {
    decodeWireMessage(payload);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(WireFormatError);
  expect((thrown as Error).name).toBe('WireFormatError');
  return thrown as WireFormatError;
}

/** A request frame whose token is of type `type` with the text `text`, built by hand. */
function requestWithRawToken(type: number, text?: string): Buffer {
  const header = encodeRequestHeader(1, 'e', 'P', 'm', undefined);
  const tokenBytes = text === undefined ? Buffer.alloc(0) : Buffer.from(text, 'utf8');
  const tail = Buffer.alloc(text === undefined ? 0 : 2);
  if (text !== undefined) tail.writeUInt16BE(tokenBytes.length, 0);
  // Replace the "no token" type byte (before the header's last byte, the call-info flags 0) with `type`.
  return Buffer.concat([
    header.subarray(0, header.length - 2),
    Buffer.of(type),
    tail,
    tokenBytes,
    Buffer.of(0),
    Buffer.from('args'),
  ]);
}

describe('the wire format', () => {
  describe('round trips every frame kind', () => {
    test.each([WireKind.Hello, WireKind.HelloAccept] as const)('hello kind %i carries its JSON body', (kind) => {
      const payload = encodeHello(kind, HELLO);
      expect(payload[0]).toBe(kind);
      expect(decodeWireMessage(payload)).toEqual({ kind, body: HELLO });
    });

    test('a hello without an address', () => {
      const { address: _unused, ...body } = HELLO;
      const decoded = decodeWireMessage(encodeHello(WireKind.Hello, body));
      expect(decoded).toEqual({ kind: WireKind.Hello, body });
      expect('body' in decoded && decoded.body.address).toBeUndefined();
    });

    test.each(['', 'codec mismatch', 'wire version 2 differs — ünïcødé 🚀'])(
      'HelloReject carries the reason %j',
      (reason) => {
        expect(decodeWireMessage(encodeHelloReject(reason))).toEqual({ kind: WireKind.HelloReject, reason });
      },
    );

    const tokens: [string, FencingToken | undefined][] = [
      ['no token', undefined],
      ['a string token', 'leader-session-7'],
      ['an empty string token', ''],
      ['a unicode string token', 'sessión-✓'],
      ['a string token that looks like a number', '42'],
      ['the number 0', 0],
      ['a positive integer', 42],
      ['a negative integer', -17],
      ['a float', 3.25],
      ['a negative float', -0.001],
      ['a large number', 1e21],
      ['the largest safe integer', Number.MAX_SAFE_INTEGER],
      ['a small bigint', 7n],
      ['a negative bigint', -123_456_789n],
      ['a large bigint', 2n ** 200n + 1n],
    ];
    test.each(tokens)('Request with %s', (_, token) => {
      const args = Buffer.from([9, 8, 7, 6]);
      const decoded = decodeWireMessage(request(123_456, 'endpoint-1', 'JobMaster', 'submitJob', token, args));
      expect(decoded).toEqual({
        kind: WireKind.Request,
        callId: 123_456,
        endpointId: 'endpoint-1',
        protocol: 'JobMaster',
        method: 'submitJob',
        fencingToken: token,
        args,
      });
      if (decoded.kind !== WireKind.Request) throw new Error('not a request');
      expect(typeof decoded.fencingToken).toBe(typeof token);
      expect(Object.is(decoded.fencingToken, token)).toBe(true);
    });

    test('Request with unicode names, empty args, and the extreme call ids', () => {
      for (const callId of [0, 1, 0xffff_ffff]) {
        const decoded = decodeWireMessage(
          request(callId, 'ёndpöint/仕事', 'Prötocol✓', 'méthod🚀', 'tök', Buffer.alloc(0)),
        );
        expect(decoded).toEqual({
          kind: WireKind.Request,
          callId,
          endpointId: 'ёndpöint/仕事',
          protocol: 'Prötocol✓',
          method: 'méthod🚀',
          fencingToken: 'tök',
          args: Buffer.alloc(0),
        });
      }
    });

    test('Request with empty names', () => {
      expect(decodeWireMessage(request(5, '', '', '', undefined, Buffer.from('x')))).toEqual({
        kind: WireKind.Request,
        callId: 5,
        endpointId: '',
        protocol: '',
        method: '',
        fencingToken: undefined,
        args: Buffer.from('x'),
      });
    });

    test('Request whose args are a view of the payload, not a copy', () => {
      const payload = request(1, 'e', 'P', 'm', undefined, Buffer.from('args'));
      const decoded = decodeWireMessage(payload);
      if (decoded.kind !== WireKind.Request) throw new Error('not a request');
      expect((decoded.args as Buffer).buffer).toBe(payload.buffer);
    });

    test('Handshake', () => {
      const protocol: ProtocolIdentity = {
        name: 'ResourceManagerGateway',
        fingerprint: 'abc123',
        methods: { registerTaskExecutor: { kind: 'ask', timeoutArg: 1 }, heartbeat: { kind: 'tell' } },
      };
      for (const fenced of [true, false]) {
        const decoded = decodeWireMessage(encodeHandshake(77, 'rm-ëndpoint', { protocol, rpcVersion: 3, fenced }));
        expect(decoded).toEqual({
          kind: WireKind.Handshake,
          callId: 77,
          endpointId: 'rm-ëndpoint',
          protocol,
          rpcVersion: 3,
          fenced,
        });
      }
    });

    test('a Handshake without a fenced flag is not fenced', () => {
      const decoded = decodeWireMessage(
        encodeHandshake(1, 'e', { protocol: { name: 'P', fingerprint: 'f', methods: {} }, rpcVersion: 1 }),
      );
      expect(decoded).toMatchObject({ kind: WireKind.Handshake, fenced: false });
    });

    test.each([
      ['ResponseOk', true, WireKind.ResponseOk],
      ['ResponseError', false, WireKind.ResponseError],
    ] as const)('%s carries its call id and codec bytes', (_, ok, kind) => {
      const body = Buffer.from('{"json":"value"}');
      for (const callId of [1, 0xffff_ffff]) {
        const decoded = decodeWireMessage(Buffer.concat([encodeResponseHeader(ok, callId), body]));
        expect(decoded).toEqual({ kind, callId, payload: body });
      }
      expect(decodeWireMessage(encodeResponseHeader(ok, 9))).toEqual({ kind, callId: 9, payload: Buffer.alloc(0) });
    });

    test.each([WireKind.Ping, WireKind.Pong, WireKind.Goodbye] as const)('signal %i is one byte', (kind) => {
      const payload = encodeSignal(kind);
      expect([...payload]).toEqual([kind]);
      expect(decodeWireMessage(payload)).toEqual<WireMessage>({ kind });
    });
  });

  describe('refuses malformed payloads with WireFormatError', () => {
    test('an empty payload', () => {
      expect(decodeError(Buffer.alloc(0)).message).toContain('empty');
    });

    test.each([0, 5, 13, 22, 32, 41, 99, 255])('an unknown frame kind %i', (kind) => {
      expect(decodeError(Buffer.of(kind, 0, 0, 0, 1)).message).toContain(`unknown frame kind ${kind}`);
    });

    test.each<[string, FencingToken | undefined]>([
      ['no token', undefined],
      ['a string token', 'token'],
      ['a bigint token', 12345678901234567890n],
    ])('a request with %s cut at every length of its header', (_, token) => {
      const header = encodeRequestHeader(42, 'endpoint', 'Protocol', 'method', token);
      for (let length = 0; length < header.length; length++) {
        const error = decodeError(header.subarray(0, length));
        expect(error.message).toContain(length === 0 ? 'empty' : 'truncated');
      }
      // The whole header (and no args) is a valid request.
      expect(decodeWireMessage(header)).toMatchObject({ kind: WireKind.Request, fencingToken: token });
    });

    test('a request whose string length runs past the end', () => {
      const payload = Buffer.concat([
        Buffer.of(WireKind.Request, 0, 0, 0, 1),
        Buffer.of(0x00, 0x10),
        Buffer.from('short'),
      ]);
      expect(decodeError(payload).message).toContain('truncated');
    });

    test.each([
      ['Handshake', WireKind.Handshake],
      ['ResponseOk', WireKind.ResponseOk],
      ['ResponseError', WireKind.ResponseError],
    ])('a %s without a complete call id', (_, kind) => {
      expect(decodeError(Buffer.of(kind, 0, 0)).message).toContain('truncated');
    });

    test.each([4, 9, 255])('a request with the unknown token type %i', (type) => {
      expect(decodeError(requestWithRawToken(type, '1')).message).toContain(`unknown fencing token type ${type}`);
    });

    test.each(['12x', '1.5', '0x', 'abc', '--1'])('a request with the malformed bigint token %j', (text) => {
      const error = decodeError(requestWithRawToken(3, text));
      expect(error.message).toContain('malformed bigint');
      expect(error.message).toContain(JSON.stringify(text));
    });

    test('a request with an empty bigint token', () => {
      // BigInt('') is 0n: an empty token must not be read as the token 0n.
      expect(decodeError(requestWithRawToken(3, '')).message).toContain('malformed bigint');
    });

    test.each([
      ['Hello', WireKind.Hello],
      ['HelloAccept', WireKind.HelloAccept],
    ])('a %s whose body is not JSON', (_, kind) => {
      for (const body of ['{"magic":', 'not json', '']) {
        expect(decodeError(Buffer.concat([Buffer.of(kind), Buffer.from(body)])).message).toContain('malformed JSON');
      }
    });

    test('a Handshake whose details are not JSON', () => {
      const valid = encodeHandshake(1, 'e', { protocol: 'x' });
      expect(decodeError(valid.subarray(0, valid.length - 1)).message).toContain('malformed JSON');
    });
  });

  test('refuses to encode a name longer than 65535 bytes', () => {
    expect(() => encodeRequestHeader(1, 'e'.repeat(0x10000), 'P', 'm', undefined)).toThrow(WireFormatError);
    expect(() => encodeRequestHeader(1, 'e', 'P', 'm', 'é'.repeat(0x8000))).toThrow(WireFormatError);
    expect(decodeWireMessage(encodeRequestHeader(1, 'e'.repeat(0xffff), 'P', 'm', undefined))).toMatchObject({
      endpointId: 'e'.repeat(0xffff),
    });
  });

  describe('sizes and call ids, for the modules that frame and read payloads', () => {
    /** The bytes a FrameWriter puts on the wire for one `writeCall`. */
    function written(header: Buffer, callId: number, body: Buffer): Buffer {
      const writes: Buffer[] = [];
      const writer = new FrameWriter({ write: (data) => writes.push(Buffer.from(data)) });
      writer.writeCall(header, callId, body);
      writer.flush();
      return Buffer.concat(writes);
    }

    test('requestFrameBytes and responseFrameBytes are the sizes of the frames as written, length prefix included', () => {
      const args = Buffer.from('["arguments"]');
      const requestHeader = encodeRequestHeader(0, 'endpoint', 'Protocol', 'method', 'token');
      expect(written(requestHeader, 7, args).length).toBe(requestFrameBytes(requestHeader, args));
      const payload = Buffer.from('"result"');
      expect(written(encodeResponseHeader(true, 0), 7, payload).length).toBe(responseFrameBytes(payload));
    });

    test('stampCallId writes the call id that decoding reads back, leaving the rest of the header alone', () => {
      const header = encodeRequestHeader(0, 'endpoint', 'Protocol', 'method', 5n);
      const buffer = Buffer.concat([Buffer.from('xy'), header, Buffer.from('[]')]);
      stampCallId(buffer, 2, 0xfedc_ba98);
      expect(decodeWireMessage(buffer.subarray(2))).toMatchObject({
        kind: WireKind.Request,
        callId: 0xfedc_ba98,
        endpointId: 'endpoint',
        method: 'method',
        fencingToken: 5n,
      });
      expect(buffer.subarray(0, 2).toString()).toBe('xy');
    });

    test('readResponse reads a response in place and leaves every other payload to decodeWireMessage', () => {
      const seen: [boolean, number, string][] = [];
      const onResponse = (ok: boolean, callId: number, body: Buffer): void =>
        void seen.push([ok, callId, body.toString()]);
      expect(readResponse(Buffer.concat([encodeResponseHeader(true, 12), Buffer.from('ok')]), onResponse)).toBe(true);
      expect(readResponse(Buffer.concat([encodeResponseHeader(false, 13), Buffer.from('error')]), onResponse)).toBe(
        true,
      );
      expect(readResponse(encodeResponseHeader(true, 14).subarray(0, 4), onResponse)).toBe(false);
      expect(readResponse(encodeSignal(WireKind.Ping), onResponse)).toBe(false);
      expect(readResponse(encodeRequestHeader(15, 'e', 'P', 'm', undefined), onResponse)).toBe(false);
      expect(seen).toEqual([
        [true, 12, 'ok'],
        [false, 13, 'error'],
      ]);
    });
  });
});
