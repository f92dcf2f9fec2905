import { dispatch, type Ref } from 'nact';
import {
  RecipientUnreachableError,
  RpcConnectionError,
  RpcInvalidOptionError,
  type AnyProtocol,
  type FencingToken,
  type Logger,
} from '@nact-rpc/core';
import {
  isFencingToken,
  type LocalInvocationMessage,
  type Outcome,
  type ReplySink,
  type RpcMessage,
} from '@nact-rpc/core/internal';
import {
  ACTOR_INVOCATION,
  ACTOR_INVOCATION_FAILURE,
  ACTOR_INVOCATION_RESULT,
  type ActorInvocationReply,
  type CorrelationId,
} from './ActorInvocation';

/** The endpoint an {@link ActorInvocation} is for, as the function below needs it. */
export interface ActorInvocationTarget {
  readonly address: string;
  /** Every protocol the endpoint serves, including those they extend. */
  readonly protocols: readonly AnyProtocol[];
  /** Puts a message into the endpoint's mailbox; `false` if the endpoint has terminated. */
  post(message: RpcMessage): boolean;
}

/** Where a refused invocation's failure goes: the caller's actor, or the log. */
interface Caller {
  readonly what: string;
  readonly protocol: string;
  readonly method: string;
  readonly replyTo: Ref<ActorInvocationReply> | undefined;
  readonly correlationId: CorrelationId | undefined;
}

/**
 * Turns an {@link ActorInvocation} that a plain nact actor dispatched to an endpoint's actor
 * into an invocation in the endpoint's mailbox, so that it runs like a gateway's call: in
 * the main thread, in order, refused when the endpoint is not started, fenced differently or
 * terminated. What the mailbox cannot check is checked here, before posting: the shape of the
 * message, and that the endpoint serves the protocol and the protocol has the method (a
 * gateway's handshake checks that once, at `connect`; a message has no handshake).
 *
 * @returns `false` if `message` is not an invocation at all, for the caller to report.
 */
export function receiveActorInvocation(message: unknown, target: ActorInvocationTarget, logger: Logger): boolean {
  if (typeof message !== 'object' || message === null) return false;
  const fields = message as Record<string, unknown>;
  if (fields['type'] !== ACTOR_INVOCATION) return false;
  const { protocol, method } = fields;
  const caller: Caller = {
    what: `${String(protocol)}.${String(method)}`,
    protocol: String(protocol),
    method: String(method),
    // Not checked here: a replyTo that is not a nact actor is reported when the reply is sent.
    replyTo: fields['replyTo'] as Ref<ActorInvocationReply> | undefined,
    correlationId: fields['correlationId'] as CorrelationId | undefined,
  };
  const checked = checkFields(fields);
  if (!checked.ok) {
    const where = `The invocation of ${caller.what} at ${target.address}`;
    refuse(
      caller,
      RpcInvalidOptionError.forValue(checked.option, fields[checked.option], checked.accepted, where),
      logger,
    );
    return true;
  }
  const served = target.protocols.find((candidate) => candidate.name === protocol);
  const methods = served?.methods;
  const declared = methods !== undefined && Object.hasOwn(methods, caller.method) ? methods[caller.method] : undefined;
  if (declared === undefined) {
    const names = target.protocols.map((candidate) => candidate.name).join(', ') || 'none';
    const reason =
      served === undefined
        ? `the endpoint at ${target.address} does not serve protocol ${caller.protocol} (it serves: ${names})`
        : `protocol ${caller.protocol} has no method ${caller.method}`;
    refuse(caller, new RpcConnectionError(`Could not invoke ${caller.what}: ${reason}; it did not run.`), logger);
    return true;
  }
  // A tell is never answered, whatever the message says.
  const sink =
    declared.kind === 'ask' && caller.replyTo !== undefined
      ? new ActorReplySink(caller, caller.replyTo, logger)
      : undefined;
  const invocation: LocalInvocationMessage = {
    kind: 'invoke',
    protocol: caller.protocol,
    method: caller.method,
    args: checked.args,
    replyTo: sink === undefined ? undefined : { sink, callId: 0 },
  };
  const token = checked.fencingToken;
  if (target.post(token === undefined ? invocation : { kind: 'fenced', token, payload: invocation })) return true;
  const error = new RecipientUnreachableError(
    `The endpoint at ${target.address} has terminated; ${caller.what} did not run.`,
  );
  if (sink === undefined) logger.warn(`Dropped ${caller.what} from a nact actor: ${error.message}`);
  else sink.complete(0, { ok: false, error });
  return true;
}

/** The fields of an invocation that the endpoint uses, typed; or the first malformed one and what it should be. */
type CheckedFields =
  | { readonly ok: true; readonly args: readonly unknown[]; readonly fencingToken: FencingToken | undefined }
  | { readonly ok: false; readonly option: string; readonly accepted: string };

function checkFields(fields: Record<string, unknown>): CheckedFields {
  if (typeof fields['protocol'] !== 'string')
    return { ok: false, option: 'protocol', accepted: 'the name of a protocol' };
  if (typeof fields['method'] !== 'string') return { ok: false, option: 'method', accepted: 'the name of a method' };
  const args = fields['args'];
  if (!Array.isArray(args)) return { ok: false, option: 'args', accepted: 'an array of the arguments' };
  const fencingToken = fields['fencingToken'];
  if (fencingToken !== undefined && !isFencingToken(fencingToken)) {
    return { ok: false, option: 'fencingToken', accepted: 'a string, number or bigint' };
  }
  return { ok: true, args, fencingToken };
}

/** Answers the caller's actor, or logs what nobody would be told. */
function refuse(caller: Caller, error: Error, logger: Logger): void {
  if (caller.replyTo === undefined)
    logger.warn(`Dropped ${caller.what} from a nact actor: ${error.message}`, { error });
  else new ActorReplySink(caller, caller.replyTo, logger).complete(0, { ok: false, error });
}

/** Sends the outcome of an ask to the calling actor, as an {@link ActorInvocationReply}. */
class ActorReplySink implements ReplySink {
  constructor(
    private readonly caller: Caller,
    private readonly replyTo: Ref<ActorInvocationReply>,
    private readonly logger: Logger,
  ) {}

  complete(_callId: number, outcome: Outcome): void {
    const { protocol, method, correlationId } = this.caller;
    const echo = correlationId === undefined ? {} : { correlationId };
    const reply: ActorInvocationReply = outcome.ok
      ? { type: ACTOR_INVOCATION_RESULT, ...echo, protocol, method, value: outcome.value }
      : { type: ACTOR_INVOCATION_FAILURE, ...echo, protocol, method, error: outcome.error };
    try {
      // nact drops a message to an actor that has stopped, silently: nothing to do about it here.
      dispatch(this.replyTo, reply);
    } catch (error) {
      this.logger.warn(`Could not reply to ${this.caller.what}: its replyTo is not a nact actor reference.`, { error });
    }
  }
}
