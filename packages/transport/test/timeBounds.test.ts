import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { RecipientUnreachableError } from '@nact-rpc/core';
import { resolveTransportOptions } from '@nact-rpc/transport/internal';
import { AssociationHeartbeat, type HeartbeatTarget } from '../src/association/AssociationHeartbeat';
import { FrameWriter } from '../src/framing/FrameWriter';
import { RecordingLogger } from '@nact-rpc/testing';
import { AssociationFixture, listeningHost, rawFrame, sendAsk } from './support/associationFixture';
import { peerEnded } from '../../../test/support/peerEnded';

/** A heartbeat on a recording target, driven by jest's fake clock. */
function heartbeatUnderTest(options: Parameters<typeof resolveTransportOptions>[0]): {
  heartbeat: AssociationHeartbeat;
  close: jest.Mock<void, [string, boolean]>;
  protocolError: jest.Mock<void, [string]>;
  logger: RecordingLogger;
} {
  const close = jest.fn<void, [string, boolean]>();
  const protocolError = jest.fn<void, [string]>();
  const logger = new RecordingLogger();
  const target: HeartbeatTarget = { describePeer: () => 'peer P', close, protocolError, asksInFlight: () => 0 };
  const writer = new FrameWriter({ write: () => true });
  const heartbeat = new AssociationHeartbeat(target, writer, resolveTransportOptions(options), logger);
  close.mockImplementation(() => heartbeat.stop());
  protocolError.mockImplementation(() => heartbeat.stop());
  return { heartbeat, close, protocolError, logger };
}

describe('time bounds of an association (fake clock)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  test('the hello deadline counts from the connection: bytes arriving do not extend it', () => {
    const { heartbeat, close } = heartbeatUnderTest({ connectTimeoutMs: 200, frameTimeoutMs: 10_000 });
    for (let at = 50; at < 200; at += 50) {
      jest.advanceTimersByTime(50);
      heartbeat.received(Date.now());
    }
    jest.advanceTimersByTime(49);
    expect(close).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(close).toHaveBeenCalledTimes(1);
    expect(close).toHaveBeenCalledWith('no hello within 200 ms (connectTimeoutMs)', false);
  });

  test('a frame still partial frameTimeoutMs after its first byte is a protocol error of the association', () => {
    const { heartbeat, close, protocolError, logger } = heartbeatUnderTest({
      connectTimeoutMs: 60_000,
      frameTimeoutMs: 300,
    });
    heartbeat.opened();
    jest.advanceTimersByTime(100);
    heartbeat.frameStarted(Date.now());
    // The frame's deadline, and the heartbeat wheel's timer (the association is open).
    expect(jest.getTimerCount()).toBe(2);
    // Later bytes of the same frame do not move its deadline, and arm no further timer.
    for (let i = 0; i < 29; i++) {
      jest.advanceTimersByTime(10);
      heartbeat.received(Date.now());
      expect(jest.getTimerCount()).toBe(2);
    }
    expect(protocolError).not.toHaveBeenCalled();
    jest.advanceTimersByTime(10);
    expect(protocolError).toHaveBeenCalledTimes(1);
    expect(protocolError.mock.calls[0]?.[0]).toMatch(/^a frame was still incomplete 300 ms .*frameTimeoutMs 300/);
    // The association decides how to log it and closes (see the refusal test below).
    expect(close).not.toHaveBeenCalled();
    expect(logger.entries).toEqual([]);
  });

  test('a frame that completes in time, even in pieces, closes nothing', () => {
    const { heartbeat, close } = heartbeatUnderTest({ connectTimeoutMs: 60_000, frameTimeoutMs: 300 });
    heartbeat.opened();
    for (let frame = 0; frame < 10; frame++) {
      heartbeat.frameStarted(Date.now());
      jest.advanceTimersByTime(250);
      heartbeat.received(Date.now());
      heartbeat.frameEnded();
    }
    jest.advanceTimersByTime(5_000);
    expect(close).not.toHaveBeenCalled();
    heartbeat.stop();
  });

  test('a deadline past the longest timer delay is still kept, without firing early', () => {
    const { close } = heartbeatUnderTest({ connectTimeoutMs: 3_000_000_000 });
    jest.advanceTimersByTime(2_999_999_999);
    expect(close).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(close).toHaveBeenCalledWith('no hello within 3000000000 ms (connectTimeoutMs)', false);
  });

  test('runs on one timer, which never keeps the process alive and stops with the association', () => {
    const { heartbeat } = heartbeatUnderTest({ frameTimeoutMs: 100 });
    expect(jest.getTimerCount()).toBe(1);
    for (let i = 0; i < 1_000; i++) {
      heartbeat.received(Date.now());
      heartbeat.frameStarted(Date.now());
      heartbeat.frameEnded();
    }
    expect(jest.getTimerCount()).toBe(1);
    heartbeat.stop();
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('time bounds on real connections', () => {
  let fixture: AssociationFixture;
  beforeEach(() => {
    fixture = new AssociationFixture();
  });
  afterEach(() => fixture.cleanUp());

  test('a raw client that drips bytes of a frame before its hello is closed at the hello deadline, from connect', async () => {
    const logger = new RecordingLogger();
    const { port } = await fixture.listening(listeningHost(logger), { connectTimeoutMs: 200, frameTimeoutMs: 60_000 });
    const client: Socket = connect(port, '127.0.0.1');
    fixture.track(client);
    await once(client, 'connect');
    const connectedAt = Date.now();
    // A frame of 1,000 bytes is declared, then one byte every 40 ms: more often than the deadline.
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(1_000, 0);
    client.write(prefix);
    const drip = setInterval(() => client.write(Buffer.of(1)), 40);
    try {
      // Cut while it writes, the client may see a reset rather than a close: either ends it.
      await peerEnded(client);
    } finally {
      clearInterval(drip);
    }
    const elapsed = Date.now() - connectedAt;
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(1_500);
    expect(logger.entries.filter((entry) => entry.level === 'error')).toEqual([]);
  });

  test('strangers that stall a frame before their hello are refused, as refusals the log counts, not errors', async () => {
    const logger = new RecordingLogger();
    const { transport, port } = await fixture.listening(listeningHost(logger), {
      connectTimeoutMs: 60_000,
      frameTimeoutMs: 100,
    });
    // More strangers than the refusal log writes lines for in one window (10).
    const strangers = 12;
    const answers = await Promise.all(
      Array.from({ length: strangers }, async () => {
        const client: Socket = connect(port, '127.0.0.1');
        fixture.track(client);
        const received: Buffer[] = [];
        client.on('data', (chunk: Buffer) => received.push(chunk));
        await once(client, 'connect');
        // Two bytes of a length prefix, and nothing more.
        client.write(Buffer.of(0, 0));
        await peerEnded(client);
        return Buffer.concat(received).toString('latin1');
      }),
    );
    await transport.close();
    // Each is told why (a HelloReject), and the connection ends.
    for (const answer of answers)
      expect(answer).toMatch(/protocol error: a frame was still incomplete \d+ ms .*frameTimeoutMs 100/);
    expect(logger.entries.filter((entry) => entry.level === 'error')).toEqual([]);
    const refusals = logger.find('warn', 'Refused an association');
    expect(refusals).toHaveLength(10);
    expect(refusals[0]?.message).toContain('frameTimeoutMs 100');
  });

  test('a partial frame past frameTimeoutMs closes the connection and fails the asks in flight on it at once', async () => {
    const { a, b } = await fixture.openPair({ transport: { frameTimeoutMs: 200 } });
    const pending = sendAsk(a, 'inFlight');
    pending.catch(() => {});
    await b.requests.next();
    // The peer begins a 100-byte frame, then drips the rest too slowly: later bytes do not help.
    const frame = rawFrame(Buffer.alloc(100, 20));
    const startedAt = Date.now();
    b.socket.write(frame.subarray(0, 10));
    let sent = 10;
    const drip = setInterval(() => {
      if (sent < frame.length - 1) b.socket.write(frame.subarray(sent, ++sent));
    }, 30);
    let closed;
    try {
      closed = await a.whenClosedEvent;
    } finally {
      clearInterval(drip);
    }
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(190);
    expect(closed).toMatchObject({ clean: false });
    expect(closed.reason).toContain('frameTimeoutMs 200');
    const error = await pending.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(RecipientUnreachableError);
    expect((error as Error).message).toContain('frameTimeoutMs 200');
    expect(a.logger.find('error', 'Protocol error')).toHaveLength(1);
    expect(a.association.askCounts()).toEqual({ inFlight: 0, abandoned: 0, served: 0 });
    expect(a.pendingCalls.size).toBe(0);
  });
});
