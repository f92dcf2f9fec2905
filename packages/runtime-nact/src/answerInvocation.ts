import { type InvocationMessage, type Outcome, encodeOutcome } from '@nact-rpc/core/internal';
import type { ActorScope } from './ActorScope';
import { messageOf } from './messageOf';

/**
 * Sends the outcome of an invocation to its caller: by reference for a local invocation,
 * serialized for a serialized one (an answer over the maximum frame size, the caller's or
 * this service's, whichever is smaller, becomes an `RpcSerializationError` naming the
 * method, see `encodeOutcome`; errors lose their stacks if the message says
 * so, see `errorStacks`; not at all once the caller's connection has ended, see
 * `ReplySink.ended`). A tell has no caller to answer: its failure
 * is logged instead (at `error`, throttled: see `ServiceLogs.failedTells`), and its success
 * is not reported at all.
 */
export function answerInvocation(scope: ActorScope, message: InvocationMessage, outcome: Outcome): void {
  if (message.replyTo === undefined) {
    if (!outcome.ok) {
      scope.context.logs.failedTells.write(
        `Tell ${message.protocol}.${message.method} failed in ${scope.describe()}: ${messageOf(outcome.error)}`,
        'error',
        { error: outcome.error },
      );
    }
    return;
  }
  if (message.kind === 'invoke') {
    message.replyTo.sink.complete(message.replyTo.callId, outcome);
    return;
  }
  // The caller's connection has ended: encoding the answer would only make garbage.
  if (message.replyTo.sink.ended?.() === true) return;
  const { codec, localAnswerLimit } = scope.context;
  const target = `${message.protocol}.${message.method}`;
  const limit = message.replyTo.sink.answerLimit?.() ?? localAnswerLimit;
  const encoded = encodeOutcome(codec, outcome, target, limit, message.errorStacks ?? true);
  message.replyTo.sink.complete(message.replyTo.callId, encoded);
}
