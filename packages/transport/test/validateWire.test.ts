import { WIRE_MAGIC, WIRE_VERSION, WireKind, type HelloBody } from '@nact-rpc/transport/internal';
import { decodeWireMessage } from '../src/wire/decodeWireMessage';
import { encodeHandshake, encodeHello, encodeSignal } from '../src/wire/wireFormat';
import { validateHandshakeDetails, validateHelloBody } from '../src/wire/validateWire';
import { WireFormatError } from '../src/wire/WireFormatError';

const HELLO: HelloBody = {
  magic: WIRE_MAGIC,
  wireVersion: WIRE_VERSION,
  serviceName: 'jobmanager',
  incarnation: 'run-1',
  address: { host: '127.0.0.1', port: 50_123 },
  codec: 'superjson',
  maxFrameSize: 1024,
};

const PROTOCOL = {
  name: 'P',
  fingerprint: 'f1',
  methods: { submit: { kind: 'ask', timeoutArg: 1 }, ping: { kind: 'tell' } },
};

function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('nothing was thrown');
}

describe('validateHelloBody', () => {
  test('accepts a well-formed hello, with or without an address', () => {
    expect(validateHelloBody(HELLO)).toBe(HELLO);
    const { address: _unused, ...withoutAddress } = HELLO;
    expect(validateHelloBody(withoutAddress)).toBe(withoutAddress);
  });

  test.each<[string, unknown, string]>([
    ['null', null, 'the body is null'],
    ['an array', [], 'the body is an array'],
    ['a string', 'hello', 'the body is "hello"'],
    ['no magic', { ...HELLO, magic: undefined }, 'magic is missing'],
    ['a numeric magic', { ...HELLO, magic: 7 }, 'magic is 7'],
    ['no service name', { ...HELLO, serviceName: undefined }, 'serviceName is missing'],
    ['a huge service name', { ...HELLO, serviceName: 'x'.repeat(2000) }, 'serviceName is a string of 2000 characters'],
    ['a null incarnation', { ...HELLO, incarnation: null }, 'incarnation is null'],
    ['an object codec', { ...HELLO, codec: {} }, 'codec is a value of type object'],
    ['a string wire version', { ...HELLO, wireVersion: '1' }, 'wireVersion is "1"'],
    ['a fractional wire version', { ...HELLO, wireVersion: 1.5 }, 'wireVersion is 1.5'],
    ['no maximum frame size', { ...HELLO, maxFrameSize: undefined }, 'maxFrameSize is missing'],
    ['a zero maximum frame size', { ...HELLO, maxFrameSize: 0 }, 'maxFrameSize is 0'],
    ['a negative maximum frame size', { ...HELLO, maxFrameSize: -5 }, 'maxFrameSize is -5'],
    ['a null address', { ...HELLO, address: null }, 'address is null'],
    ['an address without host', { ...HELLO, address: { port: 1 } }, 'address.host is missing'],
    ['an address with an empty host', { ...HELLO, address: { host: '', port: 1 } }, 'address.host is ""'],
    ['an address with port 0', { ...HELLO, address: { host: 'h', port: 0 } }, 'address.port is 0'],
    ['an address with port 70000', { ...HELLO, address: { host: 'h', port: 70_000 } }, 'address.port is 70000'],
    ['an address with a string port', { ...HELLO, address: { host: 'h', port: '80' } }, 'address.port is "80"'],
  ])('refuses %s with a WireFormatError naming the field', (_, body, expected) => {
    const error = thrownBy(() => validateHelloBody(body));
    expect(error).toBeInstanceOf(WireFormatError);
    expect(error.message).toContain(`malformed hello: ${expected}`);
  });

  test('decodeWireMessage refuses a malformed hello frame with the same error', () => {
    const payload = encodeHello(WireKind.Hello, { ...HELLO, maxFrameSize: 'big' } as unknown as HelloBody);
    const error = thrownBy(() => decodeWireMessage(payload));
    expect(error).toBeInstanceOf(WireFormatError);
    expect(error.message).toContain('malformed hello: maxFrameSize is "big", not a positive integer');
  });
});

describe('validateHandshakeDetails', () => {
  test('accepts well-formed details; fenced defaults to false', () => {
    expect(validateHandshakeDetails({ protocol: PROTOCOL, rpcVersion: 1, fenced: true })).toEqual({
      protocol: PROTOCOL,
      rpcVersion: 1,
      fenced: true,
    });
    expect(validateHandshakeDetails({ protocol: PROTOCOL, rpcVersion: 1 })).toMatchObject({ fenced: false });
  });

  const { methods: _methods, ...withoutMethods } = PROTOCOL;
  const { fingerprint: _fingerprint, ...withoutFingerprint } = PROTOCOL;
  test.each<[string, unknown, string]>([
    ['null details', null, 'the handshake details are null'],
    ['no protocol', { rpcVersion: 1 }, 'protocol is missing'],
    ['a string protocol', { protocol: 'P', rpcVersion: 1 }, 'protocol is "P"'],
    ['missing methods', { protocol: withoutMethods, rpcVersion: 1 }, 'protocol.methods is missing'],
    ['null methods', { protocol: { ...PROTOCOL, methods: null }, rpcVersion: 1 }, 'protocol.methods is null'],
    ['array methods', { protocol: { ...PROTOCOL, methods: [] }, rpcVersion: 1 }, 'protocol.methods is an array'],
    [
      'a method set to null',
      { protocol: { ...PROTOCOL, methods: { submit: null } }, rpcVersion: 1 },
      'protocol.methods["submit"] is null',
    ],
    [
      'a method of an unknown kind',
      { protocol: { ...PROTOCOL, methods: { submit: { kind: 'call' } } }, rpcVersion: 1 },
      'protocol.methods["submit"].kind is "call"',
    ],
    [
      'a negative timeout position',
      { protocol: { ...PROTOCOL, methods: { submit: { kind: 'ask', timeoutArg: -1 } } }, rpcVersion: 1 },
      'protocol.methods["submit"].timeoutArg is -1',
    ],
    [
      'a string local flag',
      { protocol: { ...PROTOCOL, methods: { submit: { kind: 'ask', local: 'yes' } } }, rpcVersion: 1 },
      'protocol.methods["submit"].local is "yes"',
    ],
    ['no fingerprint', { protocol: withoutFingerprint, rpcVersion: 1 }, 'protocol.fingerprint is missing'],
    ['an empty name', { protocol: { ...PROTOCOL, name: '' }, rpcVersion: 1 }, 'protocol.name is ""'],
    ['no RPC version', { protocol: PROTOCOL }, 'rpcVersion is missing'],
    ['a string RPC version', { protocol: PROTOCOL, rpcVersion: '1' }, 'rpcVersion is "1"'],
    ['a string fenced flag', { protocol: PROTOCOL, rpcVersion: 1, fenced: 'true' }, 'fenced is "true"'],
  ])('describes %s, naming the field', (_, details, expected) => {
    const problem = validateHandshakeDetails(details);
    expect(typeof problem).toBe('string');
    expect(problem).toContain(expected);
  });

  test('decodeWireMessage keeps the call id and endpoint id of a malformed handshake, so it can be answered', () => {
    const payload = encodeHandshake(42, 'jm', { protocol: { ...PROTOCOL, methods: null }, rpcVersion: 1 });
    expect(decodeWireMessage(payload)).toEqual({
      kind: WireKind.Handshake,
      callId: 42,
      endpointId: 'jm',
      problem: 'protocol.methods is null, not an object',
    });
  });
});

describe('signals', () => {
  test.each([WireKind.Ping, WireKind.Pong, WireKind.Goodbye] as const)(
    'signal %i with trailing bytes is a WireFormatError',
    (kind) => {
      const error = thrownBy(() => decodeWireMessage(Buffer.concat([encodeSignal(kind), Buffer.of(1, 2)])));
      expect(error).toBeInstanceOf(WireFormatError);
      expect(error.message).toContain('carries 2 unexpected bytes');
    },
  );
});
