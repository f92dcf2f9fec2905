import { ClusterUsageError, formatSummary, parseClusterOptions } from '@nact-rpc/examples';

describe('the options of npm start', () => {
  test('defaults, and both spellings of each option', () => {
    expect(parseClusterOptions([])).toEqual({ taskExecutors: 3, seconds: 10 });
    expect(parseClusterOptions(['--task-executors', '5', '--seconds=20'])).toEqual({ taskExecutors: 5, seconds: 20 });
  });

  test('an unknown option, or a value out of range, is refused with the usage', () => {
    expect(() => parseClusterOptions(['--workers', '2'])).toThrow(ClusterUsageError);
    expect(() => parseClusterOptions(['--seconds', '1'])).toThrow(/--seconds takes an integer from 2 to 120, not 1/);
    expect(() => parseClusterOptions(['--task-executors'])).toThrow(/not undefined/);
  });

  test('the summary line', () => {
    expect(formatSummary({ calls: 412, refused: 3, failed: 2, lost: 0, unreported: [] })).toBe(
      'summary: 412 calls, 3 stale-token calls refused, 2 other failures, 0 lost',
    );
    expect(formatSummary({ calls: 9, refused: 0, failed: 0, lost: 1, unreported: ['te-2'] })).toBe(
      'summary: 9 calls, 0 stale-token calls refused, 0 other failures, 1 lost (no final counts from te-2)',
    );
  });
});
