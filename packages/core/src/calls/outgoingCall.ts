import type { Clock } from '../scheduling/Clock';
import type { OutgoingCallInfo } from './CallInfo';
import type { CallOptions } from './CallOptions';
import { inheritedDeadline } from './servedCall';

/**
 * What a call made now with `options` carries: its signal, its metadata, and its deadline, the
 * earliest of `options.deadline`, now plus `options.timeoutMs`, and the deadline of the call
 * being served, unless `options.inheritDeadline` is `false`. `undefined` when it carries
 * nothing: a plain call, which costs nothing more.
 */
export function outgoingCall(options: CallOptions | undefined, clock: Clock): OutgoingCallInfo | undefined {
  const inherited = options?.inheritDeadline === false ? undefined : inheritedDeadline();
  if (options === undefined) return inherited === undefined ? undefined : { deadline: inherited };
  let deadline = options.deadline;
  if (options.timeoutMs !== undefined) deadline = earlier(deadline, clock.now() + options.timeoutMs);
  if (inherited !== undefined) deadline = earlier(deadline, inherited);
  return { signal: options.signal, deadline, metadata: options.metadata };
}

/** What a call made now without options carries: the deadline of the call being served, if it has one. */
export function inheritedCall(): OutgoingCallInfo | undefined {
  const deadline = inheritedDeadline();
  return deadline === undefined ? undefined : { deadline };
}

function earlier(a: number | undefined, b: number): number {
  return a === undefined || b < a ? b : a;
}
