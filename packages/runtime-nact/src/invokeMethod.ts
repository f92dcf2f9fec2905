import { RpcDeadlineExceededError, RpcDecodeLimitError, RpcSerializationError } from '@nact-rpc/core';
import {
  enterServedCall,
  exitServedCall,
  type InvocationMessage,
  type SerializedInvocationMessage,
} from '@nact-rpc/core/internal';
import type { ActorScope } from './ActorScope';
import { answerInvocation } from './answerInvocation';
import type { RpcFunction } from './buildMethodTable';
import { isPromiseLike } from './isPromiseLike';
import { enterTurn, exitTurn } from './mainThread';
import { messageOf } from './messageOf';
import { refuse } from './refuse';
import { serveCall } from './serveCall';

// The CommonJS build reads an imported function through two getters at every use; the hot path
// takes these once.
const enterCall = enterServedCall;
const exitCall = exitServedCall;

/**
 * Calls `fn`, the endpoint's method for `message`, as a turn of the endpoint's main thread,
 * and answers the caller with what it returns, throws, or (for a promise) settles to. The
 * mailbox is not held while a returned promise is pending: the answer goes when it settles.
 * Serialized arguments are decoded first; arguments that do not decode to an array are refused
 * with `RpcSerializationError` (`RpcDecodeLimitError` when over the codec's decode budget) and
 * the method does not run. A call whose caller no longer waits is skipped, and one whose
 * deadline has passed is refused with `RpcDeadlineExceededError`, before it starts. A call with
 * a deadline, or in a service with serving interceptors or telemetry, is served by `serveCall`.
 *
 * This is the hot path: no closure or promise of its own for a method that returns a value.
 */
export function invokeMethod(scope: ActorScope, fn: RpcFunction, message: InvocationMessage): void {
  const { replyTo } = message;
  if (message.call !== undefined && pastDeadline(scope, message, message.call.deadline)) return;
  if (replyTo !== undefined && replyTo.done === true) {
    skipAbandoned(scope, message);
    return;
  }
  const args = message.kind === 'invoke' ? message.args : decodeArguments(scope, message);
  if (args === undefined) return;
  if (message.call?.deadline !== undefined || scope.context.serving !== undefined) {
    serveCall(scope, fn, message, args);
    return;
  }
  let result: unknown;
  const previous = enterTurn(scope.turnOwner);
  const previousCall = enterCall(message);
  try {
    result = Reflect.apply(fn, scope.endpoint, args);
  } catch (error) {
    answerInvocation(scope, message, { ok: false, error });
    return;
  } finally {
    exitCall(previousCall);
    exitTurn(previous);
  }
  if (isPromiseLike(result)) {
    result.then(
      (value) => answerInvocation(scope, message, { ok: true, value }),
      (error: unknown) => answerInvocation(scope, message, { ok: false, error }),
    );
  } else {
    answerInvocation(scope, message, { ok: true, value: result });
  }
}

/** Refuses `message` if its `deadline` has passed, with `RpcDeadlineExceededError`; says whether it did. */
function pastDeadline(scope: ActorScope, message: InvocationMessage, deadline: number | undefined): boolean {
  if (deadline === undefined || scope.context.clock.now() < deadline) return false;
  const reason = 'its deadline passed before it started.';
  // A refused tell is logged by `refuse`; an ask is answered, and noted here for its operators.
  if (message.replyTo !== undefined) {
    scope.context.logger.debug(`Refused ask ${message.protocol}.${message.method} to ${scope.describe()}: ${reason}`);
  }
  refuse(scope, message, reason, RpcDeadlineExceededError, 'debug');
  return true;
}

/**
 * A call whose caller no longer waits for it (it was cancelled, timed out, or its connection
 * ended) is not started: nobody would receive its answer.
 */
function skipAbandoned(scope: ActorScope, message: InvocationMessage): void {
  scope.context.logger.debug(
    `Skipped ask ${message.protocol}.${message.method} to ${scope.describe()}: its caller no longer waits for it ` +
      `(it was cancelled, timed out, or its connection ended); it did not run.`,
  );
}

/** The decoded arguments, or `undefined` once the caller has been told why there are none. */
function decodeArguments(scope: ActorScope, message: SerializedInvocationMessage): readonly unknown[] | undefined {
  let decoded: unknown;
  try {
    decoded = scope.context.codec.decode(message.encodedArgs);
  } catch (cause) {
    refuse(
      scope,
      message,
      `could not deserialize its arguments: ${messageOf(cause)}`,
      cause instanceof RpcDecodeLimitError ? RpcDecodeLimitError : RpcSerializationError,
      'warn',
      cause,
    );
    return undefined;
  }
  if (Array.isArray(decoded)) return decoded as unknown[];
  refuse(scope, message, 'its arguments are not an array.', RpcSerializationError, 'warn');
  return undefined;
}
