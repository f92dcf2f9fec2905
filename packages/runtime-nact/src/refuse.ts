import type { Outcome, RpcMessage } from '@nact-rpc/core/internal';
import type { ActorScope } from './ActorScope';
import { answer } from './answer';
import { answerInvocation } from './answerInvocation';

/** The class of the error an ask is refused with. */
export type RefusalError = new (message: string, options?: { cause?: unknown }) => Error;

/**
 * Refuses a message for `reason`, which completes "<ask P.m> to <this endpoint>: ". An ask
 * (or callAsync, handshake, control message) fails with an `errorClass` error reading
 * "Refused ask P.m to endpoint … : reason"; a tell or runAsync is logged at `level` as
 * "Dropped tell P.m to endpoint … : reason" (through the service's throttled log of dropped
 * messages, unless at `debug`). Each says what, where and why once.
 */
export function refuse(
  scope: ActorScope,
  message: RpcMessage,
  reason: string,
  errorClass: RefusalError,
  level: 'debug' | 'info' | 'warn',
  cause?: unknown,
): void {
  const inner = message.kind === 'fenced' || message.kind === 'unfenced' ? message.payload : message;
  const subject = `${describeMessage(inner)} to ${scope.describe()}`;
  const failure = (): Outcome => ({ ok: false, error: new errorClass(`Refused ${subject}: ${reason}`, { cause }) });
  if ((inner.kind === 'invoke' || inner.kind === 'invokeSerialized') && inner.replyTo !== undefined) {
    answerInvocation(scope, inner, failure());
  } else if (inner.kind === 'callAsync' || inner.kind === 'handshake' || inner.kind === 'control') {
    answer(inner.replyTo, failure());
  } else {
    const line = `Dropped ${subject}: ${reason}`;
    const details = cause === undefined ? undefined : { error: cause };
    // Peers can send any number of these: throttled, but for debug lines, seldom written.
    if (level === 'debug') scope.context.logger.debug(line, details);
    else scope.context.logs.droppedMessages.write(line, level, details);
    // Scheduled work whose task waits for its outcome: the task's result rejects too.
    if (inner.kind === 'runAsync') inner.settled?.(failure());
  }
}

function describeMessage(message: RpcMessage): string {
  switch (message.kind) {
    case 'invoke':
    case 'invokeSerialized':
      return `${message.replyTo === undefined ? 'tell' : 'ask'} ${message.protocol}.${message.method}`;
    case 'fenced':
    case 'unfenced':
      return describeMessage(message.payload);
    case 'control':
      return `control message ${message.command}`;
    default:
      return message.kind;
  }
}
