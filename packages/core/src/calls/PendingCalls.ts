import { systemClock, type Clock } from '../scheduling/Clock';
import type { Codec } from '../codec/Codec';
import type { Outcome, ReplySink } from '../messages/RpcMessage';
import { DeadlineLists } from './DeadlineLists';
import { PendingCall, type CallCarrier, type RegisteredCall } from './PendingCall';
import { settleEncoded } from './settleEncoded';
import { CallTable } from './CallTable';
import { cancelledError, lateError, timeoutError } from './callErrors';

export type { CallCarrier, RegisteredCall } from './PendingCall';

/** The longest delay a timer supports (about 24.8 days); longer timeouts are clamped to it. */
export const MAX_DELAY_MS = 2_147_483_647;

/** Call ids fit in 32 bits, the width they have on the wire. */
const MAX_CALL_ID = 0xffff_ffff;

/** What {@link PendingCalls.register} needs to know about a call. */
export interface CallDescription {
  /** What is called, e.g. `HelloGateway.hello`, for error messages. */
  readonly target: string;
  /** The address of the endpoint called. */
  readonly recipient: string;
  /** The call's timeout; the service default when `undefined`. */
  readonly timeoutMs: number | undefined;
  /** The codec that decodes the answer, if it arrives serialized. */
  readonly codec?: Codec | undefined;
  /**
   * The call's deadline, in milliseconds of the clock: the call times out then, or after
   * `timeoutMs` if that comes first (without a deadline, `timeoutMs` or the default counts).
   */
  readonly deadline?: number | undefined;
  /** Cancels the call when it aborts (see {@link PendingCalls.cancel}). */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Timeouts that come from a deadline differ from call to call; they are rounded up to this many
 * milliseconds for the deadline lists, which keep one list and one timer per timeout length, so
 * that such calls share lists. A call's own deadline stays exact.
 */
const DEADLINE_ROUNDING_MS = 16;

/**
 * The table of asks waiting for an answer: the framework's own correlation ids (a 32-bit
 * counter per service) instead of nact's `query()`. Every way a call can end (answer, timeout,
 * lost recipient, shutdown) goes through this table and removes the entry, and the entry of
 * its {@link CallCarrier}, so no call is answered twice and none is left behind.
 *
 * A call id is never reused while any side may still answer it. Before the counter wraps,
 * every id is new. After, an id is skipped while its call is pending, and while it is
 * _reserved_: a sent ask that ended without its answer (it timed out) may still be answered
 * by the peer on the association that carried it, so its id stays reserved until that answer
 * arrives or that association ends (and the peer can no longer answer).
 */
export class PendingCalls implements ReplySink {
  private nextId = 1;
  /** Whether ids have wrapped around once: only then can a new id collide with a pending one. */
  private wrapped = false;
  /** Not a `Map`: see {@link CallTable} for what a `Map` with an entry per call costs the collector. */
  private readonly calls = new CallTable<PendingCall>();
  /** Ids of sent asks that ended unanswered and that their carrier's peer may still answer. */
  private readonly reserved = new Set<number>();
  private readonly deadlines: DeadlineLists<PendingCall>;

  /** @param clock - Where call deadlines are read and timed; default the system clock. */
  constructor(
    private readonly defaultTimeoutMs: number,
    private readonly captureCallerStack: boolean,
    private readonly clock: Clock = systemClock,
  ) {
    this.deadlines = new DeadlineLists<PendingCall>((call) => this.timeOut(call), clock);
  }

  /** The number of calls waiting for an answer. */
  get size(): number {
    return this.calls.size;
  }

  /**
   * Registers a call and starts its timeout.
   * @returns The call: its correlation id, the promise its answer settles, and (being a
   *   {@link ReplyTo}) the reply address to put in the message.
   */
  register(call: CallDescription): RegisteredCall {
    const { target, recipient, timeoutMs, codec, deadline, signal } = call;
    // eslint-disable-next-line @typescript-eslint/unbound-method
    return this.add(this.register, target, recipient, timeoutMs, codec, deadline, signal);
  }

  /**
   * {@link register}, with the description's fields as arguments: the hot paths' form, which
   * allocates no description object per call.
   */
  registerCall(
    target: string,
    recipient: string,
    timeoutMs: number | undefined,
    codec: Codec | undefined,
    deadline: number | undefined,
    signal: AbortSignal | undefined,
  ): RegisteredCall {
    // eslint-disable-next-line @typescript-eslint/unbound-method
    return this.add(this.registerCall, target, recipient, timeoutMs, codec, deadline, signal);
  }

  /** Registers a call; a caller's stack, if captured, starts below the frame of `entry`. */
  private add(
    entry: (...args: never[]) => RegisteredCall,
    target: string,
    recipient: string,
    callTimeoutMs: number | undefined,
    codec: Codec | undefined,
    deadline: number | undefined,
    signal: AbortSignal | undefined,
  ): RegisteredCall {
    const id = this.allocateId();
    const now = this.clock.now();
    const timeoutMs = this.timeoutOf(callTimeoutMs, deadline, now);
    let callerStack: { stack?: string } | undefined;
    if (this.captureCallerStack) {
      callerStack = {};
      // `entry` is not called: it names the frame where the captured stack starts.
      Error.captureStackTrace(callerStack, entry);
    }
    const pending = new PendingCall(this, id, now + timeoutMs, target, recipient, timeoutMs, callerStack, codec);
    if (signal?.aborted === true || (deadline !== undefined && deadline <= now)) {
      // Cancelled, or out of time, before it was made: it is not sent at all.
      pending.done = true;
      pending.reject(signal?.aborted === true ? cancelledError(pending, signal.reason) : lateError(pending));
      return pending;
    }
    pending.list = this.deadlines.add(
      pending,
      deadline === undefined ? timeoutMs : Math.ceil(timeoutMs / DEADLINE_ROUNDING_MS) * DEADLINE_ROUNDING_MS,
    );
    this.calls.add(pending);
    if (signal !== undefined) {
      pending.signal = signal;
      pending.onAbort = () => this.cancel(id, signal.reason);
      signal.addEventListener('abort', pending.onAbort, { once: true });
    }
    return pending;
  }

  /**
   * Cancels call `callId`, if it is still pending: it rejects at once with `RpcCancelledError`
   * (whose `cause` is `reason`), leaves the table, and its carrier tells the peer
   * ({@link CallCarrier.abandon}); a call within the process is skipped by its endpoint if it has
   * not started, and its method's signal aborts if it has.
   */
  cancel(callId: number, reason: unknown): void {
    const call = this.calls.get(callId);
    if (call === undefined) return;
    this.end(call);
    this.abandon(call);
    const error = cancelledError(call, reason);
    call.abortServed(error);
    call.reject(error);
  }

  /** How long a call may take from `now`: its timeout, or less if its deadline comes sooner. */
  private timeoutOf(timeoutMs: number | undefined, deadline: number | undefined, now: number): number {
    if (deadline === undefined) return Math.min(timeoutMs ?? this.defaultTimeoutMs, MAX_DELAY_MS);
    return Math.min(Math.max(0, deadline - now), timeoutMs ?? MAX_DELAY_MS, MAX_DELAY_MS);
  }

  /** The number of ids reserved for asks that ended unanswered but may still be answered. */
  get reservedCount(): number {
    return this.reserved.size;
  }

  /**
   * Records that call `callId` was sent on `carrier`: if it ends other than by an answer
   * through `carrier`, the carrier is told to forget it ({@link CallCarrier.abandon}).
   * @returns Whether the call is still pending; if not, it must not be sent.
   */
  carry(callId: number, carrier: CallCarrier): boolean {
    const call = this.calls.get(callId);
    if (call === undefined) return false;
    call.carrier = carrier;
    return true;
  }

  /** Frees id `callId`, reserved when its ask was abandoned: its peer answered it late or can no longer answer. */
  release(callId: number): void {
    this.reserved.delete(callId);
  }

  /** Whether call `callId` is still waiting for its answer. */
  has(callId: number): boolean {
    return this.calls.has(callId);
  }

  /**
   * Delivers the answer of call `callId`. Answers of calls that already ended are ignored. An
   * answer that comes after the call's deadline fails it with `RpcTimeoutError`, as the timer
   * would have if it had fired first: it did not because the event loop was busy (the method
   * blocked it past the deadline, or the caller's own code did). A deadline holds whatever the
   * thread was doing.
   * @param from - The carrier the answer came through, if any: it forgot the call already.
   */
  complete(callId: number, outcome: Outcome, from?: CallCarrier): void {
    const call = this.calls.get(callId);
    if (call === undefined) return;
    this.end(call);
    if (call.carrier !== from) this.abandon(call);
    if (this.clock.now() > call.deadline) {
      call.reject(timeoutError(call));
      return;
    }
    if (call.codec === undefined) {
      if (outcome.ok) call.resolve(outcome.value);
      else call.reject(outcome.error);
      return;
    }
    settleEncoded(call, call.codec, outcome);
  }

  /**
   * Fails call `callId` with `error`, if it is still pending.
   * @param from - The carrier that fails it, if any: it forgot the call already.
   */
  fail(callId: number, error: unknown, from?: CallCarrier): void {
    const call = this.calls.get(callId);
    this.complete(callId, { ok: false, error }, from);
    call?.abortServed(error);
  }

  /** Fails every pending call with the error `errorFor` makes for it. */
  failAll(errorFor: (target: string, recipient: string) => Error): void {
    const calls = this.calls.values();
    this.calls.clear();
    this.deadlines.clear();
    for (const call of calls) {
      call.done = true;
      call.detachSignal();
      this.abandon(call);
      const error = errorFor(call.target, call.recipient);
      call.abortServed(error);
      call.reject(error);
    }
  }

  /** Removes a call from the table and its deadline list. */
  private end(call: PendingCall): void {
    this.calls.delete(call.callId);
    call.done = true;
    this.deadlines.finish(call.list as object);
    if (call.onAbort !== undefined) call.detachSignal();
  }

  /** A call that was sent ended unanswered: its carrier forgets it, and its id stays reserved. */
  private abandon(call: PendingCall): void {
    const { carrier } = call;
    if (carrier === undefined) return;
    call.carrier = undefined;
    this.reserved.add(call.callId);
    carrier.abandon(call.callId);
  }

  private allocateId(): number {
    let id = this.nextId;
    // An id whose slot in the table is taken is skipped. Before the first wrap every id is
    // new; after it, reserved ids are skipped too.
    while (!this.calls.isFree(id) || (this.wrapped && this.reserved.has(id))) id = this.after(id);
    this.nextId = this.after(id);
    return id;
  }

  /** The id after `id`; past the last, the first again, and ids have wrapped. */
  private after(id: number): number {
    if (id !== MAX_CALL_ID) return id + 1;
    this.wrapped = true;
    return 1;
  }

  private timeOut(call: PendingCall): void {
    this.calls.delete(call.callId);
    call.done = true;
    call.detachSignal();
    this.abandon(call);
    const error = timeoutError(call);
    call.abortServed(error);
    call.reject(error);
  }
}
