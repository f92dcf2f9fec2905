import { RecordingLogger } from '@nact-rpc/testing';
import { ThrottledLog } from '../src/ThrottledLog';

const summary = (count: number): string => `${count} more`;

/** The messages `logger` recorded at `level`, in order. */
const at = (logger: RecordingLogger, level: string): string[] =>
  logger.entries.filter((entry) => entry.level === level).map((entry) => entry.message);

describe('ThrottledLog', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('logs its lines one by one up to its limit per window, the rest at debug, then one summary with the count', () => {
    const logger = new RecordingLogger();
    const log = new ThrottledLog(logger, summary, undefined, 3, 1_000);
    for (let i = 0; i < 10; i++) log.write(`line ${i}`);
    expect(at(logger, 'warn')).toEqual(['line 0', 'line 1', 'line 2']);
    // A logger that keeps debug lines sees every line.
    expect(at(logger, 'debug')).toEqual(['line 3', 'line 4', 'line 5', 'line 6', 'line 7', 'line 8', 'line 9']);
    jest.advanceTimersByTime(999);
    expect(at(logger, 'warn')).toHaveLength(3);
    jest.advanceTimersByTime(1);
    expect(at(logger, 'warn')).toEqual(['line 0', 'line 1', 'line 2', '7 more in 1 s (not logged one by one).']);
  });

  test('keeps each line at its level and details; the summary takes the most severe level it counts', () => {
    const logger = new RecordingLogger();
    const log = new ThrottledLog(logger, summary, undefined, 1, 1_000);
    const error = new Error('cause');
    log.write('first', 'info', { error });
    log.write('second', 'error');
    log.write('third', 'warn');
    expect(logger.entries[0]).toMatchObject({ level: 'info', message: 'first', details: { error } });
    jest.advanceTimersByTime(1_000);
    expect(at(logger, 'error')).toEqual(['2 more in 1 s (not logged one by one).']);
    log.write('fourth', 'info');
    log.write('fifth', 'info');
    log.flush();
    expect(at(logger, 'info')).toEqual(['first', 'fourth', '1 more in 1 s (not logged one by one).']);
  });

  test('a new window logs again at once, and a window within the limit needs no summary', () => {
    const logger = new RecordingLogger();
    const log = new ThrottledLog(logger, summary, undefined, 2, 1_000);
    log.write('a');
    log.write('b');
    jest.advanceTimersByTime(1_000);
    log.write('c');
    expect(at(logger, 'warn')).toEqual(['a', 'b', 'c']);
    // Nothing was left out: no timer, no summary.
    expect(jest.getTimerCount()).toBe(0);
    log.flush();
    expect(logger.entries).toHaveLength(3);
  });

  test('flush sums up what was left out at once (the service closes) and stops the timer', () => {
    const logger = new RecordingLogger();
    const log = new ThrottledLog(logger, summary, undefined, 1, 10_000);
    log.write('first');
    log.write('second');
    log.write('third');
    expect(jest.getTimerCount()).toBe(1);
    log.flush();
    expect(at(logger, 'warn')).toEqual(['first', '2 more in 10 s (not logged one by one).']);
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(20_000);
    expect(at(logger, 'warn')).toHaveLength(2);
  });

  test('its timer keeps no process alive', () => {
    const log = new ThrottledLog(new RecordingLogger(), summary, undefined, 1, 60_000);
    jest.useRealTimers();
    const unref = jest.spyOn(Object.getPrototypeOf(setTimeout(() => {}, 0)) as { unref(): unknown }, 'unref');
    log.write('first');
    log.write('second');
    expect(unref).toHaveBeenCalledTimes(1);
    log.flush();
    unref.mockRestore();
  });
});
