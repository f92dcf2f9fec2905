import { lacksRemoteStack, useCallerFrames } from '../codec/errorEnvelope';
import { RpcTimeoutError } from './RpcTimeoutError';

/**
 * Returns `call`'s outcome; if it is an {@link RpcTimeoutError} without the caller's frames,
 * gives it the stack of the code awaiting the call. A timeout fires from a timer, whose stack
 * says nothing about the caller; but here, resumed inside an async function, V8's async stack
 * traces name every async function up the chain that awaits the call. This costs nothing
 * until a timeout happens, unlike capturing the stack at every call (the
 * `captureAskCallStack` option), which also shows synchronous callers.
 *
 * An error from another process that arrived without its stack (the service that threw it
 * does not send stacks to this caller) gets the same frames, after its own `name: message`.
 */
export async function withCallerStack<TResult>(call: Promise<TResult>): Promise<TResult> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof RpcTimeoutError && !error.hasCallerStack) {
      const here: { stack?: string } = {};
      Error.captureStackTrace(here);
      if (here.stack !== undefined) error.useCallerStack(here.stack);
    } else if (lacksRemoteStack(error)) {
      const here: { stack?: string } = {};
      Error.captureStackTrace(here);
      if (here.stack !== undefined) useCallerFrames(error, here.stack);
    }
    throw error;
  }
}
