import { type ProtocolIdentity, encodeError } from '@nact-rpc/core/internal';
import { RecipientUnreachableError, RpcConnectionError, RpcSerializationError } from '@nact-rpc/core';
import { VirtualClock } from '@nact-rpc/testing';
import {
  decodeWireMessage,
  encodeRequestHeader,
  encodeSignal,
  FrameDecoder,
  WIRE_VERSION,
  WireKind,
} from '@nact-rpc/transport/internal';
import {
  AssociationFixture,
  rawFrame,
  rawHelloAccept,
  registerAsk,
  sendAsk,
  type Side,
} from './support/associationFixture';

let fixture: AssociationFixture;
beforeEach(() => {
  fixture = new AssociationFixture();
});
afterEach(() => fixture.cleanUp());

/** Expects `promise` to reject with a RecipientUnreachableError; returns its message. */
async function expectUnreachable(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(RecipientUnreachableError);
  expect((error as RecipientUnreachableError).code).toBe('RECIPIENT_UNREACHABLE');
  return (error as Error).message;
}

function warningsAndErrors(side: Side): string[] {
  return side.logger.entries
    .filter((entry) => entry.level === 'warn' || entry.level === 'error')
    .map((entry) => entry.message);
}

describe('Association', () => {
  describe('the hello exchange', () => {
    test('opens both sides, each knowing the other', async () => {
      const { a, b } = await fixture.openPair();
      expect(a.association.getState()).toBe('open');
      expect(b.association.getState()).toBe('open');
      expect(a.association.getPeer()).toMatchObject({ serviceName: 'B', incarnation: 'B-run-1', codec: 'superjson' });
      expect(b.association.getPeer()).toMatchObject({
        serviceName: 'A',
        incarnation: 'A-run-1',
        address: { port: 50_001 },
      });
      expect(a.association.describePeer()).toBe('service B at 127.0.0.1:50002');
      expect(a.opened).toHaveBeenCalledWith(a.association);
      expect(b.opened).toHaveBeenCalledWith(b.association);
      expect(a.association.role).toBe('outbound');
      expect(b.association.role).toBe('inbound');
    });

    test.each([
      ['another codec', { codec: 'msgpack' }, 'codec'],
      ['another wire version', { wireVersion: WIRE_VERSION + 1 }, `wire version ${WIRE_VERSION + 1}`],
      [
        'the older wire version 1',
        { wireVersion: 1 },
        `wire version 1 differs from this side's ${WIRE_VERSION}: upgrade the older side (version 1)`,
      ],
      ['another magic string', { magic: 'http' }, 'not a nact-rpc peer'],
    ])('refuses a peer with %s: HelloReject, both sides closed', async (_, hello, reasonPart) => {
      const [client, server] = await fixture.socketPair();
      const a = fixture.side('A', 'outbound', client, { hello });
      const b = fixture.side('B', 'inbound', server);
      const reasonA = await a.association.whenOpen().then(
        () => 'opened',
        (error: Error) => error.message,
      );
      const reasonB = await b.association.whenOpen().then(
        () => 'opened',
        (error: Error) => error.message,
      );
      // Only a HelloReject frame produces "refused the association" on the connecting side.
      expect(reasonA).toContain('refused the association');
      expect(reasonA).toContain(reasonPart);
      expect(reasonB).toContain('refused');
      expect(reasonB).toContain(reasonPart);
      expect(a.association.getState()).toBe('closed');
      expect(b.association.getState()).toBe('closed');
      expect(b.logger.find('warn', 'Refused an association')).toHaveLength(1);
      await expect(a.association.whenOpen()).rejects.toThrow(new RpcConnectionError(reasonA));
      await expect(a.association.whenOpen()).rejects.toBeInstanceOf(RpcConnectionError);
      expect(a.association.getCloseReason()).toBe(reasonA);
      expect(a.opened).not.toHaveBeenCalled();
      expect(b.opened).not.toHaveBeenCalled();
    });

    test('refuses a peer its validator refuses', async () => {
      const [client, server] = await fixture.socketPair();
      const a = fixture.side('A', 'outbound', client);
      const b = fixture.side('B', 'inbound', server, { validatePeer: (peer) => `${peer.serviceName} is not welcome` });
      await expect(a.association.whenOpen()).rejects.toThrow('A is not welcome');
      await expect(b.association.whenOpen()).rejects.toThrow('A is not welcome');
    });

    test('closes an inbound connection that sends no hello within connectTimeoutMs', async () => {
      const [, server] = await fixture.socketPair();
      const b = fixture.side('B', 'inbound', server, { transport: { connectTimeoutMs: 50 } });
      await expect(b.association.whenOpen()).rejects.toThrow('no hello within 50 ms (connectTimeoutMs)');
      expect(b.association.getState()).toBe('closed');
    });
  });

  describe('requests and answers', () => {
    test('delivers an ask to onRequest on the other side', async () => {
      const { a, b } = await fixture.openPair();
      const { callId } = registerAsk(a, 'JobMaster.submit');
      const args = a.codec.encode(['job-1', { parallelism: 4 }]);
      a.association.sendRequest(
        callId,
        encodeRequestHeader(callId, 'jm-ëndpoint', 'JobMaster', 'submit', 7n),
        args,
        'JobMaster.submit',
      );
      const request = await b.requests.next();
      expect(callId).toBeGreaterThan(0);
      expect(request).toMatchObject({
        kind: WireKind.Request,
        callId,
        endpointId: 'jm-ëndpoint',
        protocol: 'JobMaster',
        method: 'submit',
        fencingToken: 7n,
      });
      expect(b.codec.decode(request.args)).toEqual(['job-1', { parallelism: 4 }]);
      expect(b.onRequest).toHaveBeenCalledWith(b.association, request);
    });

    test('delivers a tell (call id 0) without tracking it', async () => {
      const { a, b } = await fixture.openPair();
      a.association.sendRequest(0, encodeRequestHeader(0, 'e', 'P', 'tell', undefined), a.codec.encode([]), 'P.tell');
      expect(await b.requests.next()).toMatchObject({ callId: 0, method: 'tell' });
      // Closing the connection has nothing to fail.
      a.association.close('done', false);
      expect(a.pendingCalls.size).toBe(0);
    });

    test('an answer through encodedReplies completes the caller’s pending call, decoded', async () => {
      const { a, b } = await fixture.openPair();
      b.onRequest.mockImplementation((association, request) => {
        const [text] = b.codec.decode(request.args) as [string];
        association.encodedReplies.complete(request.callId, {
          ok: true,
          value: b.codec.encode({ echo: text, at: new Date(0) }),
        });
      });
      await expect(sendAsk(a, 'echo', ['hi'])).resolves.toEqual({ echo: 'hi', at: new Date(0) });
      expect(a.pendingCalls.size).toBe(0);
    });

    test('an encoded error through encodedReplies rejects the caller’s call with the rebuilt error', async () => {
      const { a, b } = await fixture.openPair();
      b.onRequest.mockImplementation((association, request) => {
        association.encodedReplies.complete(request.callId, {
          ok: false,
          error: encodeError(b.codec, new RangeError('out of range')),
        });
      });
      const error = await sendAsk(a, 'fail').catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toBe('out of range');
    });

    test('a plain value or error through plainReplies is encoded for the caller', async () => {
      const { a, b } = await fixture.openPair();
      b.onRequest.mockImplementation((association, request) => {
        if (request.method === 'good')
          association.plainReplies.complete(request.callId, { ok: true, value: new Map([['k', 1n]]) });
        else association.plainReplies.complete(request.callId, { ok: false, error: new TypeError('bad input') });
      });
      await expect(sendAsk(a, 'good')).resolves.toEqual(new Map([['k', 1n]]));
      const error = await sendAsk(a, 'bad').catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toBe('bad input');
    });

    test('a handshake reaches onHandshake, and its plain answer completes the caller’s call', async () => {
      const { a, b } = await fixture.openPair();
      const protocol: ProtocolIdentity = { name: 'JobMaster', fingerprint: 'f1', methods: { submit: { kind: 'ask' } } };
      b.onHandshake.mockImplementation((association, handshake) => {
        association.plainReplies.complete(handshake.callId, {
          ok: true,
          value: { accepted: handshake.problem ?? handshake.protocol.name },
        });
      });
      const { callId, promise } = registerAsk(a, 'handshake JobMaster');
      a.association.sendHandshake(callId, 'jm', { protocol, rpcVersion: 1, fenced: true });
      await expect(promise).resolves.toEqual({ accepted: 'JobMaster' });
      expect(b.onHandshake).toHaveBeenCalledWith(
        b.association,
        expect.objectContaining({
          kind: WireKind.Handshake,
          callId,
          endpointId: 'jm',
          protocol,
          rpcVersion: 1,
          fenced: true,
        }),
      );
    });

    test('refuses to send a request over the peer’s maximum frame size: the ask fails, nothing is sent', async () => {
      const { a, b } = await fixture.openPair({}, { transport: { maxFrameSize: 1024 } });
      expect(a.association.peer.maxFrameSize()).toBe(1024);
      const error = await sendAsk(a, 'upload', ['x'.repeat(2000)]).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(RpcSerializationError);
      expect((error as RpcSerializationError).code).toBe('RPC_SERIALIZATION');
      expect((error as Error).message).toContain('Protocol.upload');
      expect((error as Error).message).toContain('1024');
      expect((error as Error).message).toContain('service B');
      // A later small request is the first thing B receives: the big one was never sent.
      void sendAsk(a, 'small');
      expect(await b.requests.next()).toMatchObject({ method: 'small' });
      expect(b.onRequest).toHaveBeenCalledTimes(1);
      expect(b.association.getState()).toBe('open');
    });

    test('sends a request of exactly the peer’s maximum frame size', async () => {
      const { a, b } = await fixture.openPair({}, { transport: { maxFrameSize: 1024 } });
      const { callId } = registerAsk(a, 'P.exact');
      const header = encodeRequestHeader(callId, 'e', 'P', 'exact', undefined);
      a.association.sendRequest(callId, header, Buffer.alloc(1024 - 4 - header.length, 1), 'P.exact');
      expect(await b.requests.next()).toMatchObject({ method: 'exact' });
    });

    test('drops and logs a tell over the peer’s maximum frame size', async () => {
      const { a, b } = await fixture.openPair({}, { transport: { maxFrameSize: 1024 } });
      a.association.sendRequest(
        0,
        encodeRequestHeader(0, 'e', 'P', 'bigTell', undefined),
        Buffer.alloc(2000),
        'P.bigTell',
      );
      expect(a.logger.find('error', 'Dropped tell P.bigTell')).toHaveLength(1);
      void sendAsk(a, 'small');
      expect(await b.requests.next()).toMatchObject({ method: 'small' });
    });

    test.each([
      ['a roomy', 64 * 1024],
      // The replacement error itself (an envelope with a stack) must fit the limit too.
      ['a small', 1024],
    ])(
      'replaces an answer over the caller’s maximum frame size (%s one) with an RpcSerializationError',
      async (_, max) => {
        const { a, b } = await fixture.openPair({ transport: { maxFrameSize: max } });
        b.onRequest.mockImplementation((association, request) => {
          association.encodedReplies.complete(request.callId, {
            ok: true,
            value: b.codec.encode('y'.repeat(max + 100)),
          });
        });
        const error = await sendAsk(a, 'big').catch((reason: unknown) => reason);
        expect(error).toBeInstanceOf(RpcSerializationError);
        expect((error as Error).message).toContain(`over the caller's maximum frame size of ${max} bytes`);
        expect(a.association.getState()).toBe('open');
        expect(warningsAndErrors(a)).toEqual([]);
      },
    );
  });

  describe('when the connection ends', () => {
    test('fails every ask in flight at once with RecipientUnreachableError when the peer’s socket is destroyed', async () => {
      const { a, b } = await fixture.openPair();
      const first = sendAsk(a, 'slow1');
      const second = sendAsk(a, 'slow2');
      await b.requests.next();
      await b.requests.next();
      b.socket.destroy();
      // The asks' timeouts are 60 s: they fail because the connection ended, not by timing out.
      for (const message of [await expectUnreachable(first), await expectUnreachable(second)]) {
        expect(message).toContain('service B');
        expect(message).toContain('was lost');
      }
      expect(a.pendingCalls.size).toBe(0);
      expect(await a.whenClosedEvent).toMatchObject({ clean: false });
      expect(a.association.getState()).toBe('closed');
    });

    test('fails the asks in flight synchronously when this side closes without goodbye', async () => {
      const { a, b } = await fixture.openPair();
      const pending = sendAsk(a, 'slow');
      await b.requests.next();
      a.association.close('shutting down', false);
      expect(a.pendingCalls.size).toBe(0);
      expect(await expectUnreachable(pending)).toContain('shutting down');
      expect(await a.whenClosedEvent).toEqual({ reason: 'shutting down', clean: false, undeliveredTells: 0 });
      expect(await b.whenClosedEvent).toMatchObject({ clean: false });
    });

    test('a goodbye fails the asks in flight on the other side and is a clean close on both sides', async () => {
      const { a, b } = await fixture.openPair();
      const fromA = sendAsk(a, 'slow');
      await b.requests.next();
      b.association.close('service B is closing', true);
      expect(await expectUnreachable(fromA)).toContain('closed the connection');
      expect(await a.whenClosedEvent).toEqual({
        reason: 'service B at 127.0.0.1:50002 closed the connection',
        clean: true,
        undeliveredTells: 0,
      });
      expect(await b.whenClosedEvent).toEqual({ reason: 'service B is closing', clean: true, undeliveredTells: 0 });
      // The Association logs nothing itself on a clean close (the TcpTransport logs it at info).
      expect(warningsAndErrors(a)).toEqual([]);
      expect(warningsAndErrors(b)).toEqual([]);
      await a.association.whenSocketClosed();
      await b.association.whenSocketClosed();
    });

    test('a goodbye sends what was queued before it', async () => {
      const { a, b } = await fixture.openPair();
      b.onRequest.mockImplementation((association, request) => {
        association.plainReplies.complete(request.callId, { ok: true, value: 'last answer' });
        association.close('closing right after answering', true);
      });
      await expect(sendAsk(a, 'last')).resolves.toBe('last answer');
      expect(await a.whenClosedEvent).toMatchObject({ clean: true });
    });

    test('drops an answer for a closed connection and logs it at debug', async () => {
      const { a, b } = await fixture.openPair();
      b.association.close('gone', false);
      b.association.plainReplies.complete(5, { ok: true, value: 1 });
      expect(b.logger.find('debug', 'Dropped the answer to call 5')).toHaveLength(1);
      await a.whenClosedEvent;
    });
  });

  describe('heartbeats', () => {
    const heartbeats = { heartbeatIntervalMs: 20, heartbeatTimeoutMs: 100 };

    test('keep an idle, healthy pair open', async () => {
      const clock = new VirtualClock();
      const { a, b } = await fixture.openPair({ transport: heartbeats, clock }, { transport: heartbeats, clock });
      // Three heartbeat timeouts of idleness, on the clock both sides share.
      await clock.advance(3 * heartbeats.heartbeatTimeoutMs);
      expect(a.association.getState()).toBe('open');
      expect(b.association.getState()).toBe('open');
      expect(a.closed).not.toHaveBeenCalled();
      expect(b.closed).not.toHaveBeenCalled();
      expect(warningsAndErrors(a)).toEqual([]);
    });

    test('answer a Ping with a Pong, except a Ping that crossed their own', async () => {
      const [client, raw] = await fixture.socketPair();
      // The peer answers the hello by hand and records the kinds of the frames it receives.
      const decoder = new FrameDecoder(1024 * 1024);
      const received: number[] = [];
      const waiters: Array<{ kind: number; count: number; resolve: () => void }> = [];
      const count = (kind: number): number => received.filter((each) => each === kind).length;
      raw.on('data', (chunk: Buffer) =>
        decoder.push(chunk, (payload) => {
          const { kind } = decodeWireMessage(payload);
          if (kind === WireKind.Hello) raw.write(rawHelloAccept('B'));
          received.push(kind);
          for (const waiter of waiters) if (waiter.kind === kind && count(kind) === waiter.count) waiter.resolve();
        }),
      );
      /** Resolves once the peer has received `n` frames of `kind` in all. */
      const framesOf = (kind: number, n: number): Promise<void> =>
        count(kind) >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ kind, count: n, resolve }));
      const ping = rawFrame(encodeSignal(WireKind.Ping));
      const pong = rawFrame(encodeSignal(WireKind.Pong));
      const clock = new VirtualClock();
      const a = fixture.side('A', 'outbound', client, { transport: heartbeats, clock });
      await a.association.whenOpen();

      // A has sent no Ping: a Ping of the peer's is answered.
      raw.write(ping);
      await framesOf(WireKind.Pong, 1);
      /**
       * Lets A write its `nth` Ping, then writes `frames` and a last Ping in one go, and waits
       * for `pongs` Pongs in all: A reads the frames together and writes its answers together,
       * so any Pong too many arrives with them. Resolves with the Pongs counted then.
       */
      const afterPingOfA = async (nth: number, frames: Buffer[], pongs: number): Promise<number> => {
        await clock.advance(heartbeats.heartbeatIntervalMs + heartbeats.heartbeatIntervalMs / 4);
        await framesOf(WireKind.Ping, nth);
        raw.write(Buffer.concat([...frames, ping]));
        await framesOf(WireKind.Pong, pongs);
        return count(WireKind.Pong);
      };
      // The peer's Ping is the first thing A reads after its own: not answered; the two after it are.
      expect(await afterPingOfA(1, [ping, ping], 3)).toBe(3);
      // A Pong reaches A first, so the Pings after it did not cross A's: both answered.
      expect(await afterPingOfA(2, [pong, ping], 5)).toBe(5);
      expect(count(WireKind.Ping)).toBe(2);
      expect(a.association.getState()).toBe('open');
    });

    test('declare a silent peer dead after heartbeatTimeoutMs and fail its asks in flight', async () => {
      const [client, raw] = await fixture.socketPair();
      // The peer answers the hello by hand, then reads everything and answers nothing.
      const decoder = new FrameDecoder(1024 * 1024);
      const received: number[] = [];
      raw.on('data', (chunk: Buffer) =>
        decoder.push(chunk, (payload) => {
          const { kind } = decodeWireMessage(payload);
          if (kind === WireKind.Hello) raw.write(rawHelloAccept('B'));
          received.push(kind);
        }),
      );
      const clock = new VirtualClock();
      const a = fixture.side('A', 'outbound', client, { transport: heartbeats, clock });
      await a.association.whenOpen();
      const pending = sendAsk(a, 'neverAnswered');
      await clock.advance(heartbeats.heartbeatTimeoutMs - 1);
      expect(a.closed).not.toHaveBeenCalled();
      // With an ask waiting, the probe timeout applies (here the same 100 ms), counted from the
      // tick of the wheel (a quarter interval) that saw the ask; the verdict comes a tick later.
      await clock.advance(heartbeats.heartbeatIntervalMs / 2);
      expect(a.closed).toHaveBeenCalledTimes(1);
      const closed = await a.whenClosedEvent;
      expect(closed.clean).toBe(false);
      expect(closed.reason).toMatch(/no heartbeat for 10\d ms/);
      expect(await expectUnreachable(pending)).toContain('no heartbeat');
      expect(a.logger.find('warn', 'declaring it dead')).toHaveLength(1);
      // The association did ping the silent peer before giving up.
      expect(received).toContain(WireKind.Ping);
    });
  });

  describe('protocol errors', () => {
    test('a frame declaring more than maxFrameSize closes the connection and is logged at error', async () => {
      const { a, b } = await fixture.openPair({ transport: { maxFrameSize: 1024 } });
      const pending = sendAsk(a, 'inFlight');
      await b.requests.next();
      const header = Buffer.alloc(4);
      header.writeUInt32BE(1025, 0);
      b.socket.write(header);
      const closed = await a.whenClosedEvent;
      expect(closed).toMatchObject({ clean: false });
      expect(closed.reason).toContain('protocol error');
      const [entry, ...others] = a.logger.find('error', 'Protocol error');
      expect(others).toEqual([]);
      expect(entry?.message).toContain('service B');
      expect(entry?.message).toContain('1025');
      expect(await expectUnreachable(pending)).toContain('protocol error');
      expect(await b.whenClosedEvent).toMatchObject({ clean: false });
    });

    test('a malformed frame closes the connection and is logged at error', async () => {
      const { a, b } = await fixture.openPair();
      b.socket.write(rawFrame(Buffer.of(99)));
      expect((await a.whenClosedEvent).reason).toContain('unknown frame kind 99');
      expect(a.logger.find('error', 'Protocol error')).toHaveLength(1);
    });
  });
});
