import { RecipientUnreachableError, RpcInvalidOptionError } from '@nact-rpc/core';
import type { PendingCalls, RpcMessage } from '@nact-rpc/core/internal';
import type { SelfFence } from './scheduledWork';

/** Where a `callAsync` goes: the endpoint's server. */
export interface CallAsyncHost {
  readonly address: string;
  /** Posts a message to the endpoint's mailbox; `false` if the endpoint has terminated. */
  post(message: RpcMessage): boolean;
}

/**
 * Runs `fn` in the endpoint's main thread (fenced by `fence`) and returns its result, or fails
 * with `RpcTimeoutError` after `timeoutMs` (the call is tracked in `pendingCalls`), or at once
 * with `RecipientUnreachableError` if the endpoint has terminated.
 */
export function callAsyncIn<TResult>(
  host: CallAsyncHost,
  pendingCalls: PendingCalls,
  fn: () => TResult | PromiseLike<TResult>,
  timeoutMs: number,
  fence: SelfFence,
): Promise<TResult> {
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
    return Promise.reject(
      RpcInvalidOptionError.forValue('timeoutMs', timeoutMs, 'a number of milliseconds from 0', 'callAsync'),
    );
  }
  const { callId, promise } = pendingCalls.register({ target: 'callAsync', recipient: host.address, timeoutMs });
  if (!host.post(fence({ kind: 'callAsync', fn, replyTo: { sink: pendingCalls, callId } }))) {
    pendingCalls.fail(
      callId,
      new RecipientUnreachableError(`Could not run callAsync: the endpoint at ${host.address} has terminated.`),
    );
  }
  return promise as Promise<TResult>;
}
