import { isRpcError } from '@nact-rpc/core';
import { rejectionOf, VirtualClock } from '@nact-rpc/testing';

describe('VirtualClock', () => {
  test('fires timers in order of deadline, and timers of one deadline in the order they were set', async () => {
    const clock = new VirtualClock({ startMs: 1000 });
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 30);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`b1@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`b2@${clock.now()}`), 20);
    await clock.advance(25);
    expect(fired).toEqual(['a@1010', 'b1@1020', 'b2@1020']);
    expect(clock.now()).toBe(1025);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.nextTimerAt()).toBe(1030);
    await clock.advance(5);
    expect(fired).toEqual(['a@1010', 'b1@1020', 'b2@1020', 'c@1030']);
  });

  test('a timer set by a timer fires in the same advance when it falls due before its end', async () => {
    const clock = new VirtualClock({ startMs: 0 });
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 5);
    }, 10);
    await clock.advance(15);
    expect(fired).toEqual([10, 15]);
  });

  test("lets the promise callbacks a timer starts run at the timer's time, before later timers", async () => {
    const clock = new VirtualClock({ startMs: 0 });
    const seen: string[] = [];
    clock.setTimeout(() => {
      void Promise.resolve()
        .then(() => Promise.resolve())
        .then(() => seen.push(`chain@${clock.now()}`));
    }, 10);
    clock.setTimeout(() => seen.push(`later@${clock.now()}`), 11);
    await clock.advance(20);
    expect(seen).toEqual(['chain@10', 'later@11']);
  });

  test('clears one-shot timers and intervals; an interval may clear itself', async () => {
    const clock = new VirtualClock({ startMs: 0 });
    const fired: number[] = [];
    const cleared = clock.setTimeout(() => fired.push(-1), 5);
    clock.clearTimeout(cleared);
    clock.clearTimeout(undefined);
    const interval = clock.setInterval(() => {
      fired.push(clock.now());
      if (fired.length === 3) clock.clearTimeout(interval);
    }, 10);
    await clock.advance(100);
    expect(fired).toEqual([10, 20, 30]);
    expect(clock.pendingTimers).toBe(0);
  });

  test('ignores timers of another clock', async () => {
    const clock = new VirtualClock();
    const other = new VirtualClock();
    let fired = false;
    const timer = clock.setTimeout(() => (fired = true), 1);
    other.clearTimeout(timer);
    await clock.advance(1);
    expect(fired).toBe(true);
  });

  test('runToNextTimer jumps to the next deadline, and says false when none is waiting', async () => {
    const clock = new VirtualClock({ startMs: 0 });
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 600_000);
    await expect(clock.runToNextTimer()).resolves.toBe(true);
    expect(fired).toEqual([600_000]);
    expect(clock.now()).toBe(600_000);
    await expect(clock.runToNextTimer()).resolves.toBe(false);
    expect(clock.now()).toBe(600_000);
  });

  test('runAll fires everything, and stops an interval that never ends with a typed error', async () => {
    const clock = new VirtualClock({ startMs: 0 });
    let count = 0;
    for (let i = 0; i < 5; i++) clock.setTimeout(() => count++, i * 100);
    await expect(clock.runAll()).resolves.toBe(5);
    expect(count).toBe(5);
    clock.setInterval(() => count++, 1);
    const error: unknown = await rejectionOf(clock.runAll(50));
    expect(isRpcError(error, 'RPC_INVALID_STATE')).toBe(true);
    expect(count).toBe(55);
  });

  test('refuses invalid options and amounts with an error naming them', async () => {
    expect(() => new VirtualClock({ startMs: Number.NaN })).toThrow(/startMs/);
    expect(() => new VirtualClock({ settleTurns: 0 })).toThrow(/settleTurns/);
    await expect(new VirtualClock().advance(-1)).rejects.toMatchObject({ code: 'RPC_INVALID_OPTION', option: 'ms' });
  });

  test('runs while jest fake timers are installed, without them advancing', async () => {
    jest.useFakeTimers();
    try {
      const clock = new VirtualClock({ startMs: 0 });
      let fired = false;
      clock.setTimeout(() => (fired = true), 60_000);
      await clock.advance(60_000);
      expect(fired).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
