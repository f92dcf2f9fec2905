import type { Logger } from '@nact-rpc/core';
import { ThrottledLog } from '../src/ThrottledLog';

/** A logger that keeps its warnings. */
function warningsLogger(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  return { logger: { warn: (line: string) => warnings.push(line) } as unknown as Logger, warnings };
}

const summary = (count: number, ms: number): string => `${count} more in ${ms} ms`;

describe('ThrottledLog', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('logs its lines one by one up to its limit per window, then one summary with the count at the window end', () => {
    const { logger, warnings } = warningsLogger();
    const log = new ThrottledLog(logger, summary, 3, 1_000);
    for (let i = 0; i < 10; i++) log.write(`line ${i}`);
    expect(warnings).toEqual(['line 0', 'line 1', 'line 2']);
    jest.advanceTimersByTime(999);
    expect(warnings).toHaveLength(3);
    jest.advanceTimersByTime(1);
    expect(warnings).toEqual(['line 0', 'line 1', 'line 2', '7 more in 1000 ms']);
  });

  test('a new window logs again at once, and a window within the limit needs no summary', () => {
    const { logger, warnings } = warningsLogger();
    const log = new ThrottledLog(logger, summary, 2, 1_000);
    log.write('a');
    log.write('b');
    jest.advanceTimersByTime(1_000);
    log.write('c');
    expect(warnings).toEqual(['a', 'b', 'c']);
    // Nothing was left out: no timer, no summary.
    expect(jest.getTimerCount()).toBe(0);
    log.flush();
    expect(warnings).toEqual(['a', 'b', 'c']);
  });

  test('flush sums up what was left out at once (the service closes) and stops the timer', () => {
    const { logger, warnings } = warningsLogger();
    const log = new ThrottledLog(logger, summary, 1, 10_000);
    log.write('first');
    log.write('second');
    log.write('third');
    expect(jest.getTimerCount()).toBe(1);
    log.flush();
    expect(warnings).toEqual(['first', '2 more in 10000 ms']);
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(20_000);
    expect(warnings).toHaveLength(2);
  });

  test('its timer keeps no process alive', () => {
    const { logger } = warningsLogger();
    const log = new ThrottledLog(logger, summary, 1, 60_000);
    jest.useRealTimers();
    const unref = jest.spyOn(Object.getPrototypeOf(setTimeout(() => {}, 0)) as { unref(): unknown }, 'unref');
    log.write('first');
    log.write('second');
    expect(unref).toHaveBeenCalledTimes(1);
    log.flush();
    unref.mockRestore();
  });
});
