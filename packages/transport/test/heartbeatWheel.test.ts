import type { AssociationHeartbeat } from '../src/association/AssociationHeartbeat';
import { AssociationInbound, type InboundWiring } from '../src/association/AssociationInbound';
import { HeartbeatWheel, heartbeatTickMs, type WheelMember } from '../src/association/HeartbeatWheel';
import { encodeSignal } from '../src/wire/wireFormat';
import { WireKind } from '../src/wire/WireMessage';
import { rawFrame } from './support/associationFixture';
import { eventLoopTurns } from '@nact-rpc/testing';
import { heartbeatUnderTest, type HeartbeatUnderTest } from './support/heartbeatUnderTest';

const INTERVAL_MS = 40;
const TIMEOUT_MS = 200;
const TICK_MS = heartbeatTickMs(INTERVAL_MS);
const PONG = encodeSignal(WireKind.Pong);

/** The heartbeats a test made: every one is stopped after the test, so none is left in the wheel. */
const made: AssociationHeartbeat[] = [];

/** An open association's heartbeat on a recording target; `pings` counts the Pings it sent. */
function openHeartbeat(): HeartbeatUnderTest {
  const underTest = heartbeatUnderTest({ heartbeatIntervalMs: INTERVAL_MS, heartbeatTimeoutMs: TIMEOUT_MS });
  made.push(underTest.heartbeat);
  underTest.heartbeat.opened();
  return underTest;
}

function wheel(): HeartbeatWheel {
  return HeartbeatWheel.withTick(TICK_MS);
}

afterEach(() => {
  for (const heartbeat of made.splice(0)) heartbeat.stop();
  jest.useRealTimers();
});

describe('the heartbeat wheel (fake clock)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
  });

  test('ticks every quarter heartbeat interval, at least every millisecond', () => {
    expect(heartbeatTickMs(1_000)).toBe(250);
    expect(heartbeatTickMs(2)).toBe(1);
    expect(heartbeatTickMs(10_000_000_000)).toBe(2_147_483_647);
  });

  test('runs one timer for every open association, and pings each one once per interval', () => {
    const sides = Array.from({ length: 100 }, () => openHeartbeat());
    // Open and with no partial frame, an association has no timer of its own.
    expect(jest.getTimerCount()).toBe(1);
    expect(wheel().size).toBe(100);
    jest.advanceTimersByTime(INTERVAL_MS - 1);
    expect(sides.every((side) => side.pings() === 0)).toBe(true);
    jest.advanceTimersByTime(TICK_MS);
    expect(sides.every((side) => side.pings() === 1)).toBe(true);
    jest.advanceTimersByTime(INTERVAL_MS);
    expect(sides.every((side) => side.pings() === 2)).toBe(true);
  });

  test('sends no Ping while this side sends other frames', () => {
    const { heartbeat, pings } = openHeartbeat();
    for (let at = 0; at < 10 * INTERVAL_MS; at += TICK_MS) {
      heartbeat.sent();
      heartbeat.received(Date.now());
      jest.advanceTimersByTime(TICK_MS);
    }
    expect(pings()).toBe(0);
  });

  test('tells whether bytes are the first from the peer since this side wrote a Ping', () => {
    const { heartbeat, pings } = openHeartbeat();
    expect(heartbeat.received(Date.now())).toBe(false);
    jest.advanceTimersByTime(INTERVAL_MS + TICK_MS);
    expect(pings()).toBe(1);
    expect(heartbeat.received(Date.now())).toBe(true);
    expect(heartbeat.received(Date.now())).toBe(false);
  });

  test("answers the peer's Pings with Pongs, except one that crossed this side's Ping", () => {
    const { heartbeat, pings } = openHeartbeat();
    const writer = { write: jest.fn() };
    const protocolError = jest.fn();
    const wiring = {
      association: { getState: () => 'open', protocolError },
      host: { clock: { now: () => Date.now() } },
      writer,
      heartbeat,
      inFlight: { complete: jest.fn() },
      retirement: { retiring: false },
      maxFrameSize: 1024,
    };
    const inbound = new AssociationInbound(wiring as unknown as InboundWiring);
    const frame = (kind: number): Buffer => rawFrame(Buffer.of(kind));
    const pongs = (): number => writer.write.mock.calls.filter(([bytes]) => Buffer.from(bytes).equals(PONG)).length;
    /** Moves the clock a tick at a time until this side has written its next Ping. */
    const pingOfThisSide = (): void => {
      const before = pings();
      for (let ticks = 0; ticks <= INTERVAL_MS / TICK_MS && pings() === before; ticks++)
        jest.advanceTimersByTime(TICK_MS);
      expect(pings()).toBe(before + 1);
    };

    inbound.receive(frame(WireKind.Ping));
    expect(pongs()).toBe(1);
    // The first frame after this side's Ping is a Ping: it crossed, no Pong. The next one gets one.
    pingOfThisSide();
    inbound.receive(Buffer.concat([frame(WireKind.Ping), frame(WireKind.Ping)]));
    expect(pongs()).toBe(2);
    // The same in two chunks.
    pingOfThisSide();
    inbound.receive(frame(WireKind.Ping));
    expect(pongs()).toBe(2);
    inbound.receive(frame(WireKind.Ping));
    expect(pongs()).toBe(3);
    // A Pong came first: the Ping after it did not cross this side's, and is answered.
    pingOfThisSide();
    inbound.receive(Buffer.concat([frame(WireKind.Pong), frame(WireKind.Ping)]));
    expect(pongs()).toBe(4);
    // A Ping cut in two, its first byte read before this side wrote its Ping: the peer wrote it
    // before it could read this side's, so it crossed it too.
    const split = frame(WireKind.Ping);
    inbound.receive(split.subarray(0, 1));
    pingOfThisSide();
    inbound.receive(split.subarray(1));
    expect(pongs()).toBe(4);
    // And a Ping with nothing of this side's to cross is answered.
    inbound.receive(frame(WireKind.Ping));
    expect(pongs()).toBe(5);
    expect(protocolError).not.toHaveBeenCalled();
  });

  test('declares a silent peer dead within the heartbeat timeout plus one tick', () => {
    const { close } = openHeartbeat();
    jest.advanceTimersByTime(TIMEOUT_MS - 1);
    expect(close).not.toHaveBeenCalled();
    jest.advanceTimersByTime(TICK_MS + 1);
    expect(close).toHaveBeenCalledTimes(1);
    expect(close.mock.calls[0]?.[0]).toMatch(/^no heartbeat for \d+ ms$/);
    expect(close.mock.calls[0]?.[1]).toBe(false);
  });

  describe('while asks wait (probes)', () => {
    const PROBE_MS = 1_000;
    const PROBE_TIMEOUT_MS = 3_000;
    const IDLE_INTERVAL_MS = 5_000;
    const IDLE_TIMEOUT_MS = 10_000;
    const PROBE_TICK_MS = heartbeatTickMs(PROBE_MS);

    /** An open association with the default pace: idle 5 s / 10 s, probes 1 s / 3 s. */
    function defaultHeartbeat(): HeartbeatUnderTest {
      const underTest = heartbeatUnderTest({});
      made.push(underTest.heartbeat);
      underTest.heartbeat.opened();
      return underTest;
    }

    test('the defaults: probes every second, a verdict after 3 s; idle, a Ping every 5 s and a verdict after 10 s', () => {
      const { heartbeat, close, pings, setAsksInFlight } = defaultHeartbeat();
      // Idle: only the slow pace.
      jest.advanceTimersByTime(IDLE_INTERVAL_MS - PROBE_TICK_MS);
      expect(pings()).toBe(0);
      heartbeat.received(Date.now());
      heartbeat.sent();
      // An ask starts waiting: nothing arrives for a probe interval, so a probe goes out.
      setAsksInFlight(1);
      jest.advanceTimersByTime(PROBE_MS + PROBE_TICK_MS);
      expect(pings()).toBe(1);
      jest.advanceTimersByTime(PROBE_MS);
      expect(pings()).toBe(2);
      expect(close).not.toHaveBeenCalled();
      // Nothing arrives: dead at the probe timeout (counted from the tick that saw the ask), well
      // before the ask timeout; the verdict itself runs right after the next read of the sockets.
      jest.advanceTimersByTime(PROBE_TIMEOUT_MS - 2 * PROBE_MS - 1);
      expect(close).not.toHaveBeenCalled();
      jest.advanceTimersByTime(2);
      expect(close).toHaveBeenCalledTimes(1);
      expect(close.mock.calls[0]?.[0]).toMatch(/^no heartbeat for 3\d{3} ms$/);
    });

    test('a peer that answers the probes is kept while asks wait, however long', () => {
      const { heartbeat, close, setAsksInFlight } = defaultHeartbeat();
      setAsksInFlight(3);
      for (let at = 0; at < 60_000; at += PROBE_MS) {
        jest.advanceTimersByTime(PROBE_MS);
        heartbeat.received(Date.now()); // the Pong
      }
      expect(close).not.toHaveBeenCalled();
    });

    test('silence from before the asks began does not count against them', () => {
      const { close, setAsksInFlight } = defaultHeartbeat();
      // Idle and silent for 9 s: under the idle timeout.
      jest.advanceTimersByTime(9_000);
      expect(close).not.toHaveBeenCalled();
      setAsksInFlight(1);
      // The asks get their own probe timeout, counted from when they began to wait.
      jest.advanceTimersByTime(PROBE_TIMEOUT_MS - PROBE_TICK_MS);
      expect(close).not.toHaveBeenCalled();
      jest.advanceTimersByTime(2 * PROBE_TICK_MS + 1);
      expect(close).toHaveBeenCalledTimes(1);
    });

    test('an idle association sends no probe, and its peer is judged on the idle timeout', () => {
      const { close, pings } = defaultHeartbeat();
      jest.advanceTimersByTime(IDLE_TIMEOUT_MS - PROBE_TICK_MS);
      expect(pings()).toBe(1);
      expect(close).not.toHaveBeenCalled();
      jest.advanceTimersByTime(2 * PROBE_TICK_MS + 1);
      expect(close).toHaveBeenCalledTimes(1);
    });
  });

  test('keeps a peer that keeps sending, however long', () => {
    const { heartbeat, close } = openHeartbeat();
    for (let at = 0; at < 10 * TIMEOUT_MS; at += INTERVAL_MS) {
      jest.advanceTimersByTime(INTERVAL_MS);
      heartbeat.received(Date.now());
    }
    expect(close).not.toHaveBeenCalled();
  });

  test('a closed association leaves the wheel; the last one out stops the timer', () => {
    const first = openHeartbeat();
    const second = openHeartbeat();
    expect(wheel().size).toBe(2);
    first.heartbeat.stop();
    expect(wheel().size).toBe(1);
    expect(wheel().running).toBe(true);
    jest.advanceTimersByTime(TIMEOUT_MS + TICK_MS);
    // The silent second peer was declared dead, and its close took it out of the wheel.
    expect(second.close).toHaveBeenCalledTimes(1);
    expect(first.close).not.toHaveBeenCalled();
    expect(first.pings()).toBe(0);
    expect(wheel().size).toBe(0);
    expect(wheel().running).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });

  test('its timer never keeps the process alive', () => {
    const unref = jest.fn();
    const interval = jest.spyOn(global, 'setInterval').mockReturnValue({ unref } as unknown as NodeJS.Timeout);
    openHeartbeat();
    expect(interval).toHaveBeenCalledWith(expect.any(Function), TICK_MS);
    expect(unref).toHaveBeenCalledTimes(1);
    made.splice(0).forEach((heartbeat) => heartbeat.stop());
    interval.mockRestore();
  });

  test("one member's failure does not keep the others from their check, and is thrown after", () => {
    const failing: WheelMember = {
      beat: () => {
        throw new Error('boom');
      },
    };
    const beat = jest.fn<void, [number]>();
    const checked: WheelMember = { beat };
    const wheelOfTen = HeartbeatWheel.withTick(10);
    wheelOfTen.add(failing);
    wheelOfTen.add(checked);
    expect(() => jest.advanceTimersByTime(10)).toThrow('boom');
    expect(beat).toHaveBeenCalledTimes(1);
    wheelOfTen.remove(failing);
    wheelOfTen.remove(checked);
    expect(wheelOfTen.running).toBe(false);
  });
});

describe('the heartbeat wheel, with real immediates', () => {
  beforeEach(() => {
    // Immediates are real: the verdict waits for the event loop's next poll of the sockets.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
  });

  test('a busy process that reads its peer’s frames before the verdict does not declare the peer dead', async () => {
    const { heartbeat, close } = openHeartbeat();
    // The thread was busy past the timeout: the tick comes first, the socket read after it.
    jest.advanceTimersByTime(TIMEOUT_MS + TICK_MS);
    heartbeat.received(Date.now());
    await eventLoopTurns(2);
    expect(close).not.toHaveBeenCalled();
    // And the association stays in the wheel, watched as before.
    expect(wheel().size).toBe(1);
    jest.advanceTimersByTime(TIMEOUT_MS + TICK_MS);
    await eventLoopTurns(2);
    expect(close).toHaveBeenCalledTimes(1);
  });

  test('a peer silent when the sockets were read is declared dead', async () => {
    const { close } = openHeartbeat();
    jest.advanceTimersByTime(TIMEOUT_MS + TICK_MS);
    expect(close).not.toHaveBeenCalled(); // the verdict waits for the read
    await eventLoopTurns(2);
    expect(close).toHaveBeenCalledTimes(1);
    expect(wheel().size).toBe(0);
  });
});
