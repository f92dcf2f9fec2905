import { RpcCancelledError } from '../errors/RpcCancelledError';
import { RpcDeadlineExceededError } from '../errors/RpcDeadlineExceededError';
import { RpcTimeoutError } from '../errors/RpcTimeoutError';
import type { PendingCall } from './PendingCall';

/*
 * The errors with which a pending call ends without an answer, each naming what was called and
 * where.
 */

/** The call's deadline had passed before it was made: it was not sent. */
export function lateError(call: PendingCall): RpcDeadlineExceededError {
  return new RpcDeadlineExceededError(
    `The deadline of ${call.target} at recipient ${call.recipient} had passed before the call was made; it was not sent.`,
  );
}

/** The call was cancelled; `reason` is its signal's reason. */
export function cancelledError(call: PendingCall, reason: unknown): RpcCancelledError {
  return new RpcCancelledError(`Invocation of ${call.target} at recipient ${call.recipient} was cancelled.`, {
    cause: reason,
  });
}

/** The call timed out; the error carries the caller's stack when it was captured. */
export function timeoutError(call: PendingCall): RpcTimeoutError {
  return new RpcTimeoutError(
    `Invocation of ${call.target} at recipient ${call.recipient} timed out after ${call.timeoutMs} ms. ` +
      `The endpoint may be busy or overloaded, its method may not have settled, or the recipient may be ` +
      `gone. Raise the timeout with the method's timeout argument or the service's askTimeoutMs option.`,
    { timeoutMs: call.timeoutMs, callerStack: call.callerStack?.stack },
  );
}
