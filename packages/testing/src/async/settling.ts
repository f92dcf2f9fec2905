/** What {@link track} knows about a promise, read at any time. */
export interface Tracked<T> {
  /** Whether the promise has settled. */
  settled: boolean;
  /** What it resolved with, once it has. */
  value?: T;
  /** What it rejected with, once it has. */
  error?: unknown;
}

/**
 * Follows a promise so that a test can read whether (and how) it has settled without awaiting
 * it: what tests on virtual or fake time check after moving time. The rejection is read, so a
 * tracked promise that rejects is not an unhandled rejection.
 *
 * @example
 * ```ts
 * const answer = track(gateway.status('job-1'));
 * await clock.advance(9_999);
 * expect(answer.settled).toBe(false);
 * ```
 */
export function track<T>(promise: Promise<T>): Tracked<T> {
  const state: Tracked<T> = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

/**
 * Lets the event loop run `turns` turns: each waits for a `setImmediate`, so the microtasks, I/O
 * callbacks and immediates queued before it have run. It uses the global `setImmediate`, which
 * fake timers replace: under them, prefer a `VirtualClock`'s `settle()`.
 */
export async function eventLoopTurns(turns = 1): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Lets actors process what their mailboxes hold: `turns` turns of the event loop (10 by
 * default), enough for deliveries in microtasks and in nact's macrotasks alike. It counts
 * turns; it does not know whether the mailboxes are empty, so a test that waits for an event
 * should await that event instead.
 */
export function flushMailboxes(turns = 10): Promise<void> {
  return eventLoopTurns(turns);
}
