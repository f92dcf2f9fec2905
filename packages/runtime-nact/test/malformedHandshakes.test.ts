import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { HandshakeError } from '@nact-rpc/core';
import { protocolIdentity, RPC_VERSION } from '@nact-rpc/core/internal';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import {
  encodeHello,
  encodeHelloReject,
  encodeRequestHeader,
  encodeSignal,
  FRAME_HEADER_BYTES,
  WireKind,
} from '@nact-rpc/transport/internal';
import { rejectionOf } from '@nact-rpc/testing';
import { RecordingLogger } from '@nact-rpc/testing';
import { Adder, AdderEndpoint, RAW_PEER_HELLO, rawPeer, rawPeerCodec } from './support/rawPeer';
import { peerEnded } from '../../../test/support/peerEnded';

const codec = rawPeerCodec;
const HELLO = RAW_PEER_HELLO;

/** A frame as written: the length prefix, then `payload`. */
function frame(payload: Buffer): Buffer {
  const prefix = Buffer.alloc(FRAME_HEADER_BYTES);
  prefix.writeUInt32BE(payload.length, 0);
  return Buffer.concat([prefix, payload]);
}

/** A bare socket that has said hello and been accepted; the test then writes raw frames on it. */
async function helloSocket(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  // The service may reset the connection it closes; that is expected here.
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.write(frame(encodeHello(WireKind.Hello, HELLO)));
  await once(socket, 'data');
  return socket;
}

const identity = protocolIdentity(Adder);
const { methods: _methods, ...withoutMethods } = identity;
const { fingerprint: _fingerprint, ...withoutFingerprint } = identity;
const malformedHandshakes: [string, object, string][] = [
  ['missing methods', { protocol: withoutMethods, rpcVersion: RPC_VERSION }, 'protocol.methods is missing'],
  ['null methods', { protocol: { ...identity, methods: null }, rpcVersion: RPC_VERSION }, 'protocol.methods is null'],
  [
    'a method set to null',
    { protocol: { ...identity, methods: { add: null } }, rpcVersion: RPC_VERSION },
    'protocol.methods["add"] is null',
  ],
  ['no fingerprint', { protocol: withoutFingerprint, rpcVersion: RPC_VERSION }, 'protocol.fingerprint is missing'],
  ['no protocol', { rpcVersion: RPC_VERSION }, 'protocol is missing'],
  ['a string RPC version', { protocol: identity, rpcVersion: '1' }, 'rpcVersion is "1"'],
  ['a numeric fenced flag', { protocol: identity, rpcVersion: RPC_VERSION, fenced: 1 }, 'fenced is 1'],
];

describe('input that does not follow the protocol', () => {
  let server: NactRpcService;
  let client: NactRpcService;
  let logger: RecordingLogger;
  let endpoint: AdderEndpoint;

  beforeEach(async () => {
    logger = new RecordingLogger();
    server = await NactRpcService.create({ name: 'adder', logger, listen: { port: 0 } });
    endpoint = new AdderEndpoint(server, 'adder-1');
    await endpoint.start();
    client = await NactRpcService.create({ name: 'client', logger: new RecordingLogger() });
  });
  afterEach(async () => {
    await client.closeAsync();
    await server.closeAsync();
  });

  test('every malformed handshake is answered with a HandshakeError naming the field, while other callers are served', async () => {
    const gateway = await client.connect(endpoint.getAddress(), Adder);
    const peer = await rawPeer(server.getPort());
    try {
      for (const [, details, field] of malformedHandshakes) {
        const { callId, promise } = peer.pendingCalls.register({
          target: 'handshake Adder',
          recipient: endpoint.getAddress(),
          timeoutMs: 5_000,
          codec,
        });
        peer.association.sendHandshake(callId, 'adder-1', details);
        const [error, sum] = await Promise.all([rejectionOf(promise), gateway.add(2, 3)]);
        expect(error).toBeInstanceOf(HandshakeError);
        expect((error as Error).message).toContain('the handshake is malformed');
        expect((error as Error).message).toContain(field);
        expect(sum).toBe(5);
      }
      // The raw peer's association survives malformed handshakes: it is still usable.
      expect(peer.association.getState()).toBe('open');
    } finally {
      peer.association.close('test over', true);
    }
    expect(logger.find('error', 'Internal error')).toEqual([]);
    expect(logger.find('warn', 'Refused a malformed handshake')).toHaveLength(malformedHandshakes.length);
  });

  test('a malformed hello is answered with a HelloReject naming the field, and closes only that connection', async () => {
    const gateway = await client.connect(endpoint.getAddress(), Adder);
    const socket = connect(server.getPort(), '127.0.0.1');
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const closed = peerEnded(socket);
    socket.write(frame(encodeHello(WireKind.Hello, { ...HELLO, maxFrameSize: 0 })));
    await closed;
    const reason = 'protocol error: malformed hello: maxFrameSize is 0, not a positive integer';
    expect(Buffer.concat(received)).toEqual(frame(encodeHelloReject(reason)));
    expect(await gateway.add(1, 1)).toBe(2);
    const refusals = logger.find('warn', 'Refused an association');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]?.message).toContain(reason);
    expect(logger.find('error', 'Internal error')).toEqual([]);
  });

  test.each<[string, Buffer, string]>([
    ['a truncated request', encodeRequestHeader(1, 'adder-1', 'Adder', 'add', undefined).subarray(0, 8), 'truncated'],
    [
      'a Ping with trailing bytes',
      Buffer.concat([encodeSignal(WireKind.Ping), Buffer.of(1, 2, 3)]),
      'unexpected bytes',
    ],
    ['a response shorter than its header', Buffer.of(WireKind.ResponseOk, 0, 1), 'truncated'],
    ['an unknown frame kind', Buffer.of(99), 'unknown frame kind 99'],
    ['a hello on an open association', encodeHello(WireKind.Hello, HELLO), 'unexpected frame kind'],
  ])('%s closes only that connection, with one protocol error logged', async (_, payload, reason) => {
    const gateway = await client.connect(endpoint.getAddress(), Adder);
    const socket = await helloSocket(server.getPort());
    const closed = peerEnded(socket);
    socket.write(frame(payload));
    await closed;
    expect(await gateway.add(20, 22)).toBe(42);
    const protocolErrors = logger.find('error', 'Protocol error');
    expect(protocolErrors).toHaveLength(1);
    expect(protocolErrors[0]?.message).toContain(reason);
    expect(logger.find('error', 'Internal error')).toEqual([]);
  });
});
