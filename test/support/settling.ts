/** What {@link track} knows about a promise. */
export interface Tracked<T> {
  settled: boolean;
  value?: T;
  error?: unknown;
}

/** Follows a promise so that a test can tell whether (and how) it has settled. */
export function track<T>(promise: Promise<T>): Tracked<T> {
  const state: Tracked<T> = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

/**
 * Lets the event loop run `turns` turns: each waits for a `setImmediate`, so the microtasks,
 * I/O callbacks and immediates queued before it have run.
 */
export async function eventLoopTurns(turns = 1): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Lets the actors process what is in their mailboxes: a few turns of the event loop, enough
 * for deliveries in microtasks and in nact's macrotasks alike.
 */
export function flushMailboxes(turns = 10): Promise<void> {
  return eventLoopTurns(turns);
}
