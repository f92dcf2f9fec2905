import { lacksRemoteStack, useCallerFrames } from '../codec/errorEnvelope';
import { RpcTimeoutError } from './RpcTimeoutError';

/**
 * Rejects a call's promise with `error`, through `resolve` and `reject`, its resolving
 * functions. A timeout without the caller's frames, or an error from another process that
 * arrived without its stack, first gets the stack of the code awaiting the call: a timer's
 * stack says nothing about the caller, and neither does the socket's that brought the error.
 *
 * How: the call's promise is resolved with a promise that a handler below rejects. V8 runs that
 * handler as a reaction whose promise the call's promise follows, so its async stack trace names
 * every async function up the chain that awaits the call. This costs nothing until a call fails
 * (no promise or reaction per call), unlike capturing the stack at every call (the
 * `captureAskCallStack` option), which also shows synchronous callers. The awaiting code must
 * await the call when it fails, as it does with `await`; the error reaches it a few microtasks
 * after a plain rejection would.
 */
export function rejectWithCallerFrames(
  resolve: (value: unknown) => void,
  reject: (error: unknown) => void,
  error: unknown,
): void {
  if (!lacksCallerFrames(error)) {
    reject(error);
    return;
  }
  let fail!: (error: unknown) => void;
  const failing = new Promise<never>((_resolve, rejectFailing) => {
    fail = rejectFailing;
  });
  // The call's promise follows the handler's from the next microtask on; `failing` rejects now,
  // and its reaction is queued after the one that links the two, so it sees the awaiting code.
  resolve(failing.then(undefined, addCallerStack));
  fail(error);
}

/** Whether `error` is one whose frames would say nothing of the caller. */
function lacksCallerFrames(error: unknown): boolean {
  return (error instanceof RpcTimeoutError && !error.hasCallerStack) || lacksRemoteStack(error);
}

/** Gives a failed call's error the frames of the code awaiting it; rethrows it. */
function addCallerStack(error: unknown): never {
  const here: { stack?: string } = {};
  Error.captureStackTrace(here, addCallerStack);
  if (here.stack !== undefined) {
    if (error instanceof RpcTimeoutError) error.useCallerStack(here.stack);
    else useCallerFrames(error as Error, here.stack);
  }
  throw error;
}
