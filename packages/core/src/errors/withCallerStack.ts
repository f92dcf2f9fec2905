import { lacksRemoteStack, useCallerFrames } from '../codec/errorEnvelope';
import { RpcTimeoutError } from './RpcTimeoutError';

/**
 * Returns `call`'s outcome; if it is an {@link RpcTimeoutError} without the caller's frames,
 * gives it the stack of the code awaiting the call. A timeout fires from a timer, whose stack
 * says nothing about the caller; but the rejection handler below runs as a reaction of the
 * promise the caller awaits, and there V8's async stack traces name every async function up
 * the chain that awaits the call. This costs one promise reaction per call and nothing more
 * until a call fails, unlike capturing the stack at every call (the `captureAskCallStack`
 * option), which also shows synchronous callers.
 *
 * An error from another process that arrived without its stack (the service that threw it
 * does not send stacks to this caller) gets the same frames, after its own `name: message`.
 */
export function withCallerStack<TResult>(call: Promise<TResult>): Promise<TResult> {
  return call.then(undefined, addCallerStack);
}

/** Gives a failed call's error the frames of the code awaiting it, where it lacks them; rethrows it. */
function addCallerStack(error: unknown): never {
  if (error instanceof RpcTimeoutError && !error.hasCallerStack) {
    const here: { stack?: string } = {};
    Error.captureStackTrace(here, addCallerStack);
    if (here.stack !== undefined) error.useCallerStack(here.stack);
  } else if (lacksRemoteStack(error)) {
    const here: { stack?: string } = {};
    Error.captureStackTrace(here, addCallerStack);
    if (here.stack !== undefined) useCallerFrames(error, here.stack);
  }
  throw error;
}
