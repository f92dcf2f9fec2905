import { type PendingCall, PendingCalls } from '@nact-rpc/core/internal';
import { VirtualClock } from '@nact-rpc/testing';
import { sharesKeptHiddenClass, staysOptimizedThroughFullCollections } from '../../../test/support/hiddenClasses';

/**
 * A call registered and answered, as a local ask's call ends up, in a table of its own on a
 * clock of its own (whose time is a fraction of a millisecond, as `performance.now()` is).
 */
function answeredCall(): PendingCall {
  const calls = new PendingCalls(10_000, false, new VirtualClock({ startMs: 1_000.25 }));
  const call = calls.registerCall('Echo.echo', 'rpc://s/e', undefined, undefined, undefined, undefined) as PendingCall;
  calls.complete(call.callId, { ok: true, value: 1 });
  return call;
}

describe('the hidden class of pending calls', () => {
  test('an answered call has the hidden class of the call kept for good', async () => {
    const call = answeredCall();
    await expect(call.promise).resolves.toBe(1);
    expect(sharesKeptHiddenClass(call)).toBe(true);
  });

  test('code optimized for calls stays optimized through full collections while no call is left', () => {
    expect(
      staysOptimizedThroughFullCollections(answeredCall, '(call) => call.done === true && call.deadline > call.callId'),
    ).toBe(true);
  });
});
