import { encodeRequestHeader } from '@nact-rpc/transport/internal';
import { eventLoopTurns } from '@nact-rpc/testing';
import { AssociationFixture, type Side } from './support/associationFixture';
import { heartbeatUnderTest } from './support/heartbeatUnderTest';

/** Sends a tell of `Protocol.method` from `side`. */
function sendTell(side: Side, method: string): void {
  const header = encodeRequestHeader(0, 'endpoint-1', 'Protocol', method, undefined);
  side.association.sendRequest(0, header, side.codec.encode([]), `Protocol.${method}`);
}

describe('the heartbeat while this side does not read (fake clock)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  test('silence while paused is not held against the peer; its clock starts again on resume', () => {
    const { heartbeat, close, pings } = heartbeatUnderTest({ heartbeatIntervalMs: 20, heartbeatTimeoutMs: 100 });
    heartbeat.opened();
    jest.advanceTimersByTime(50);
    heartbeat.readingPaused();
    jest.advanceTimersByTime(1_000); // ten heartbeat timeouts
    expect(close).not.toHaveBeenCalled();
    // Pings still go out: the peer must not think this side is dead.
    expect(pings()).toBeGreaterThanOrEqual(1_000 / 20 - 1);

    heartbeat.readingResumed(Date.now());
    jest.advanceTimersByTime(99);
    expect(close).not.toHaveBeenCalled();
    jest.advanceTimersByTime(21);
    expect(close).toHaveBeenCalledTimes(1);
    expect(close.mock.calls[0]?.[0]).toMatch(/^no heartbeat for 1\d\d ms$/);
  });

  test("a partial frame's deadline waits while paused and counts again from the resume", () => {
    const { heartbeat, close } = heartbeatUnderTest({ frameTimeoutMs: 300, heartbeatTimeoutMs: 60_000 });
    heartbeat.opened();
    heartbeat.readingPaused();
    // The chunk read last ended inside a frame: the rest waits in the socket, unread.
    heartbeat.frameStarted(Date.now());
    jest.advanceTimersByTime(5_000);
    expect(close).not.toHaveBeenCalled();

    heartbeat.readingResumed(Date.now());
    jest.advanceTimersByTime(299);
    expect(close).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(close).toHaveBeenCalledTimes(1);
    expect(close.mock.calls[0]?.[0]).toContain('frameTimeoutMs 300');
  });
});

describe('Association.pauseReading / resumeReading', () => {
  let fixture: AssociationFixture;
  beforeEach(() => {
    fixture = new AssociationFixture();
  });
  afterEach(() => fixture.cleanUp());

  test('nothing is read while paused; reading resumes when every pause is released, and nothing is lost', async () => {
    const { a, b } = await fixture.openPair();
    b.association.pauseReading('endpoint e1 is busy');
    b.association.pauseReading('endpoint e2 is busy');
    expect(b.association.isReadingPaused()).toBe(true);
    expect(b.logger.find('debug', 'Stopped reading from service A')).toHaveLength(1);
    expect(b.logger.find('debug', 'Stopped reading from service A')[0]?.message).toContain('endpoint e1 is busy');

    for (let n = 0; n < 10; n++) sendTell(a, `tell ${n}`);
    // The bytes arrive and wait in the socket, unread.
    for (let turn = 0; turn < 100 && b.socket.readableLength === 0; turn++) await eventLoopTurns();
    expect(b.socket.readableLength).toBeGreaterThan(0);
    expect(b.onRequest).not.toHaveBeenCalled();

    b.association.resumeReading();
    await eventLoopTurns(5);
    expect(b.association.isReadingPaused()).toBe(true);
    expect(b.onRequest).not.toHaveBeenCalled();

    b.association.resumeReading();
    expect(b.association.isReadingPaused()).toBe(false);
    for (let n = 0; n < 10; n++) expect((await b.requests.next()).method).toBe(`tell ${n}`);
    expect(b.logger.find('debug', 'Resumed reading from service A')).toHaveLength(1);
    // A release without a pause is ignored.
    b.association.resumeReading();
    expect(b.association.isReadingPaused()).toBe(false);
  });

  test('a closed association ignores a resume, and its socket still closes', async () => {
    const { a, b } = await fixture.openPair();
    b.association.pauseReading('endpoint e1 is busy');
    a.association.close('done', true);
    b.association.close('done', true);
    await b.whenClosedEvent;
    b.association.resumeReading();
    expect(b.association.isReadingPaused()).toBe(false);
    expect(b.logger.find('debug', 'Resumed reading')).toEqual([]);
    await b.association.whenSocketClosed();
    expect(b.socket.closed).toBe(true);
  });
});
