import { CallScope, NEVER_ABORTED, type InvocationMessage, type ReplyTo } from '@nact-rpc/core/internal';
import { sharesKeptHiddenClass } from '../../../test/support/hiddenClasses';

/** A reply address that counts the signals made from it and can be given up on. */
class RecordingReplyTo implements ReplyTo {
  readonly sink = { complete: (): void => undefined };
  readonly callId = 1;
  done = false;
  made = 0;
  private readonly controller = new AbortController();

  abortSignal(): AbortSignal {
    this.made++;
    return this.controller.signal;
  }

  giveUp(reason: unknown): void {
    this.done = true;
    this.controller.abort(reason);
  }
}

/** An ask with a deadline and metadata, as a served call's message. */
function ask(replyTo: ReplyTo | undefined): InvocationMessage {
  return {
    kind: 'invoke',
    protocol: 'Echo',
    method: 'echo',
    args: ['hello'],
    replyTo,
    call: { deadline: 1_000.5, metadata: { tenant: 'blue' } },
  };
}

describe('CallScope', () => {
  test('its context names the call, with its deadline and metadata', () => {
    const context = new CallScope(ask(new RecordingReplyTo())).context();
    expect(context).toEqual({
      protocol: 'Echo',
      method: 'echo',
      kind: 'ask',
      signal: expect.any(AbortSignal) as unknown,
      deadline: 1_000.5,
      metadata: { tenant: 'blue' },
    });
  });

  test('makes the signal only when a context is asked for, once', () => {
    const replyTo = new RecordingReplyTo();
    const scope = new CallScope(ask(replyTo));
    expect(scope.deadline).toBe(1_000.5);
    expect(replyTo.made).toBe(0);
    const first = scope.context().signal;
    expect(scope.context().signal).toBe(first);
    expect(replyTo.made).toBe(1);
  });

  test('after its method ends, an unread signal of a call being answered never aborts', () => {
    const replyTo = new RecordingReplyTo();
    const scope = new CallScope(ask(replyTo));
    scope.release();
    replyTo.giveUp(new Error('too late to matter'));
    expect(scope.context().signal).toBe(NEVER_ABORTED);
    expect(NEVER_ABORTED.aborted).toBe(false);
    expect(replyTo.made).toBe(0);
  });

  test('after its method ends, an unread signal of a call given up on already is aborted', () => {
    const replyTo = new RecordingReplyTo();
    const scope = new CallScope(ask(replyTo));
    const reason = new Error('cancelled');
    replyTo.giveUp(reason);
    scope.release();
    const { signal } = scope.context();
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
  });

  test('a signal read before the method ended stays the one read', () => {
    const replyTo = new RecordingReplyTo();
    const scope = new CallScope(ask(replyTo));
    const signal = scope.context().signal;
    scope.release();
    expect(scope.context().signal).toBe(signal);
  });

  test("a tell's signal never aborts", () => {
    const scope = new CallScope(ask(undefined));
    expect(scope.context().kind).toBe('tell');
    expect(scope.context().signal).toBe(NEVER_ABORTED);
  });

  test('a scope has the hidden class of the one kept for good', () => {
    const scope = new CallScope(ask(new RecordingReplyTo()));
    scope.context();
    scope.release();
    expect(sharesKeptHiddenClass(scope)).toBe(true);
  });
});
