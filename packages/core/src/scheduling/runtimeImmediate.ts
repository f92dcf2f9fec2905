import {
  clearImmediate as nodeClearImmediate,
  setImmediate as nodeSetImmediate,
  setTimeout as nodeSetTimeout,
} from 'node:timers';

/**
 * The macrotask the runtime uses for its own plumbing: delivering mailboxes past the
 * per-turn budget and flushing written frames. It is `node:timers`' `setImmediate`, not the
 * global one, because test frameworks' fake timers (jest's `useFakeTimers`, which also fakes
 * `queueMicrotask` and `process.nextTick`) replace the globals: plumbing scheduled through
 * them would wait for the test to advance a clock it knows nothing about, and hang. jest
 * leaves the `node:timers` module alone.
 *
 * Timers a user expects to control (ask and `callAsync` timeouts, `scheduleRunAsync`,
 * heartbeats, reconnection backoff) use the global timers, so fake time drives them.
 */
export const runtimeImmediate: (callback: () => void) => NodeJS.Immediate = nodeSetImmediate;

/**
 * Runs `callback` in the timers phase of a later turn of the event loop (after at least 1 ms),
 * without keeping the process alive: runtime plumbing, like {@link runtimeImmediate}, that
 * fake timers do not hold back.
 */
export function runtimeNextTimers(callback: () => void): void {
  nodeSetTimeout(callback, 0).unref();
}

/** Cancels a {@link runtimeImmediate}. */
export const cancelRuntimeImmediate: (immediate: NodeJS.Immediate) => void = nodeClearImmediate;

/** A settled promise: `.then` on it is a microtask that fake timers cannot hold back. */
const settled = Promise.resolve();

/**
 * Runs `callback` in a microtask. `queueMicrotask` is replaced by jest's fake timers; a
 * promise reaction is not.
 */
export function runtimeMicrotask(callback: () => void): void {
  void settled.then(callback);
}
