import { AsyncLocalStorage } from 'node:async_hooks';
import type { InvocationMessage } from '../messages/RpcMessage';
import type { CallContext } from './CallContext';
import { CallScope } from './CallScope';

/**
 * Which call an endpoint is serving right now, so that its method can read the call's context
 * and the calls it makes inherit the call's deadline.
 *
 * During the synchronous part of a method the runtime records the invocation here
 * ({@link enterServedCall}): an assignment, nothing allocated. A call that carries a deadline is
 * also served inside an `AsyncLocalStorage` scope ({@link runInCallScope}), so that calls made
 * after the method's `await`s still inherit it; the storage is created with the first such
 * call, and a process that never uses deadlines never pays for it.
 */
let current: InvocationMessage | undefined;
let scope: AsyncLocalStorage<CallScope> | undefined;

/** Marks the start of the synchronous part of serving `message`; give the result to {@link exitServedCall}. */
export function enterServedCall(message: InvocationMessage): InvocationMessage | undefined {
  const previous = current;
  current = message;
  return previous;
}

/** Ends what {@link enterServedCall} began. */
export function exitServedCall(previous: InvocationMessage | undefined): void {
  current = previous;
}

/** Runs `fn(arg)` with `callScope` as the served call of everything it starts, across `await`s. */
export function runInCallScope<TArg, TResult>(callScope: CallScope, fn: (arg: TArg) => TResult, arg: TArg): TResult {
  return (scope ??= new AsyncLocalStorage<CallScope>()).run(callScope, fn, arg);
}

/** The context of the call being served: in a method's synchronous part, or in a deadline's scope. */
export function currentCallContext(): CallContext | undefined {
  if (current !== undefined) return callContextOf(current);
  return scope?.getStore()?.context();
}

/** The deadline the calls made now inherit, if any: the served call's. */
export function inheritedDeadline(): number | undefined {
  if (current !== undefined) return current.call?.deadline;
  return scope?.getStore()?.deadline;
}

/** The context of serving `message`, as its method sees it; its signal is made now. */
export function callContextOf(message: InvocationMessage): CallContext {
  return new CallScope(message).context();
}
