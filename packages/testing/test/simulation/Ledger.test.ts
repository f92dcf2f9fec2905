import { FencingTokenError, RpcTimeoutError } from '@nact-rpc/core';
import { VirtualClock } from '@nact-rpc/testing';
import { Ledger, type InvariantContext } from './support/Ledger';
import { workAnswer } from './support/leaderEndpoints';

/** A context with the given connection closes between w and s, pending counts, and tells w#1's transport dropped. */
function context(
  closes: number[] = [],
  pending: [string, number, number, number][] = [],
  dropped = 0,
): InvariantContext {
  return {
    closesBetween: (a, b) => ([a, b].sort().join() === 's,w' ? closes : []),
    pending: new Map(pending.map(([host, waiting, reserved, served]) => [host, { waiting, reserved, served }])),
    droppedTells: (worker) => (worker === 'w#1' ? dropped : 0),
  };
}

/** Lets promise callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("the fenced-leader scenario's invariants", () => {
  let clock: VirtualClock;
  let ledger: Ledger;
  beforeEach(() => {
    clock = new VirtualClock({ startMs: 0 });
    ledger = new Ledger(clock);
  });

  test('hold for calls that ran under their token and were answered once, and tells that all arrived in order', async () => {
    ledger.ran({ host: 'l', worker: 'w#1', call: 1, token: 't1', current: 't1' });
    ledger.track({ kind: 'work', worker: 'w#1', call: 1, token: 't1' }, Promise.resolve(workAnswer('t1', 'w#1', 1)));
    ledger.track({ kind: 'work', worker: 'w#1', call: 2, token: 't0' }, Promise.reject(new FencingTokenError('stale')));
    for (const seq of [1, 2, 3]) ledger.sent('w#1', 'w', 's', seq);
    await clock.advance(10);
    for (const seq of [1, 2, 3]) ledger.received('w#1', 's', seq);
    await settle();
    expect(ledger.violations(context())).toEqual([]);
  });

  test('see a call that ran under a stale token', () => {
    ledger.ran({ host: 'l', worker: 'w#1', call: 1, token: 't1', current: 't2' });
    expect(ledger.violations(context())).toEqual(['w#1/1 ran on l with stale token t1; the leader held t2']);
  });

  test('see an ask that never settled, one that failed untyped, one answered without running, and one refused that ran', async () => {
    ledger.track({ kind: 'work', worker: 'w#1', call: 1, token: 't' }, new Promise(() => undefined));
    ledger.track({ kind: 'work', worker: 'w#1', call: 2, token: 't' }, Promise.reject(new Error('plain')));
    ledger.track({ kind: 'work', worker: 'w#1', call: 3, token: 't' }, Promise.resolve(workAnswer('t', 'w#1', 3)));
    ledger.ran({ host: 'l', worker: 'w#1', call: 4, token: 't', current: 't' });
    ledger.track({ kind: 'work', worker: 'w#1', call: 4, token: 't' }, Promise.reject(new FencingTokenError('stale')));
    await settle();
    expect(ledger.violations(context())).toEqual([
      'work w#1/1 (token t) settled 0 times',
      'work w#1/2 (token t) failed with an untyped error: Error: plain',
      'work w#1/3 (token t) was answered but ran 0 times',
      'work w#1/4 (token t) was refused for its token but ran',
    ]);
  });

  test('see a call that ran twice, though it timed out', async () => {
    ledger.ran({ host: 'l', worker: 'w#1', call: 1, token: 't', current: 't' });
    ledger.ran({ host: 'l', worker: 'w#1', call: 1, token: 't', current: 't' });
    ledger.track(
      { kind: 'work', worker: 'w#1', call: 1, token: 't' },
      Promise.reject(new RpcTimeoutError('late', { timeoutMs: 1 })),
    );
    await settle();
    expect(ledger.violations(context())).toEqual(['work w#1/1 (token t) ran 2 times']);
  });

  test('see tells lost, doubled or out of order on a connection that stayed up, and excuse them when one ended', async () => {
    for (const seq of [1, 2, 3, 4]) ledger.sent('w#1', 'w', 's', seq);
    await clock.advance(100);
    for (const seq of [3, 2, 2]) ledger.received('w#1', 's', seq);
    ledger.received('w#9', 's', 1);
    const found = ledger.violations(context());
    expect(found).toEqual([
      'tell w#9>s #1 arrived but was never sent',
      'tell w#1>s #2 arrived after #3, on a connection that stayed up',
      'tell w#1>s #2 arrived twice',
      'tell w#1>s #2 arrived after #3, on a connection that stayed up',
      'w#1 lost 2 tells on connections that stayed up, and its transport counted 0 dropped: ' +
        'tell w#1>s #1, sent at 0; tell w#1>s #4, sent at 0',
    ]);
    // A connection between the two hosts that ended after they were sent excuses the losses and the order.
    expect(ledger.violations(context([50]))).toEqual([
      'tell w#9>s #1 arrived but was never sent',
      'tell w#1>s #2 arrived twice',
    ]);
    // So do as many drops counted by the worker's transport (they never reached a connection); fewer do not.
    expect(ledger.violations(context([], [], 2))).toHaveLength(4);
    expect(ledger.violations(context([], [], 1))).toHaveLength(5);
  });

  test('see a service that leaks pending calls, reserved ids or asks it serves', () => {
    expect(
      ledger.violations(
        context(
          [],
          [
            ['w', 0, 0, 0],
            ['l', 2, 1, 0],
            ['s', 0, 0, 3],
          ],
        ),
      ),
    ).toEqual([
      'l leaks 2 pending calls, 1 reserved ids and 0 asks served',
      's leaks 0 pending calls, 0 reserved ids and 3 asks served',
    ]);
  });
});
