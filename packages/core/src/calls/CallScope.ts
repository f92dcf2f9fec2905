import type { EncodedOutcome, InvocationMessage, ReplyTo } from '../messages/RpcMessage';
import { keepHiddenClass } from '../util/keepHiddenClass';
import type { CallContext } from './CallContext';
import { NO_METADATA } from './CallInfo';

/** A signal that never aborts: a tell's, and that of a call answered before its method read it. */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;

/**
 * What a call with a deadline leaves in the async scope of its method (see `runInCallScope`):
 * the deadline, which calls made in that scope inherit, and the call's context, for a method
 * that reads it after an `await`.
 *
 * The context's signal is made only when the method reads it: an `AbortController` costs more
 * than the rest of a local call. Until then the scope holds the call's reply address, where the
 * signal comes from, and lets go of it when the method ends ({@link release}): the scope can
 * outlive the call (a timer the method started keeps it), and the reply address of a local call
 * keeps its answer.
 */
export class CallScope {
  readonly deadline: number | undefined;
  private readonly protocol: string;
  private readonly method: string;
  private readonly kind: 'ask' | 'tell';
  private readonly metadata: Readonly<Record<string, string>>;
  private source: ReplyTo | ReplyTo<EncodedOutcome> | undefined;
  private signal: AbortSignal | undefined;

  constructor(message: InvocationMessage) {
    this.deadline = message.call?.deadline;
    this.protocol = message.protocol;
    this.method = message.method;
    this.kind = message.replyTo === undefined ? 'tell' : 'ask';
    this.metadata = message.call?.metadata ?? NO_METADATA;
    this.source = message.replyTo;
  }

  /** The call's context, as its method sees it; its signal is made now if it was not yet. */
  context(): CallContext {
    return {
      protocol: this.protocol,
      method: this.method,
      kind: this.kind,
      signal: this.readSignal(),
      deadline: this.deadline,
      metadata: this.metadata,
    };
  }

  /**
   * The method has ended, its answer not sent yet: the scope lets go of the reply address. A
   * signal not read so far is, from now on, aborted if the caller gave up on the call already,
   * and otherwise one that never aborts (the call is being answered).
   */
  release(): void {
    const source = this.source;
    if (source === undefined) return;
    this.source = undefined;
    this.signal ??= source.done === true ? (source.abortSignal?.() ?? NEVER_ABORTED) : NEVER_ABORTED;
  }

  private readSignal(): AbortSignal {
    if (this.signal === undefined) {
      this.signal = this.source?.abortSignal?.() ?? NEVER_ABORTED;
      this.source = undefined;
    }
    return this.signal;
  }
}

// A scope lives for one call: one kept for good keeps their hidden class (see `keepHiddenClass`).
keepHiddenClass(
  new CallScope({ kind: 'invoke', protocol: '', method: '', args: [], replyTo: undefined, call: undefined }),
);
