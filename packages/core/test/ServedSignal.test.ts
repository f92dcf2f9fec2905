import { ServedSignal } from '@nact-rpc/core/internal';

describe('ServedSignal', () => {
  test('is made on first use, not aborted, and the same signal at every later use', () => {
    const served = new ServedSignal();
    const signal = served.signal();
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal.aborted).toBe(false);
    expect(served.signal()).toBe(signal);
  });

  test('a signal made before the call is given up on aborts then, with the reason, once', () => {
    const served = new ServedSignal();
    const signal = served.signal();
    const heard: unknown[] = [];
    signal.addEventListener('abort', () => heard.push(signal.reason));
    const reason = new Error('cancelled');
    served.abort(reason);
    served.abort(new Error('later'));
    expect(signal.aborted).toBe(true);
    expect(heard).toEqual([reason]);
  });

  test('a signal first read after the call was given up on is made aborted, with the first reason', () => {
    const served = new ServedSignal();
    const reason = new Error('timed out');
    served.abort(reason);
    served.abort(new Error('later'));
    const signal = served.signal();
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
    expect(served.signal()).toBe(signal);
  });
});
