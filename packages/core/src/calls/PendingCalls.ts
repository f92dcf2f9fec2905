import { systemClock, type Clock } from '../scheduling/Clock';
import type { Codec } from '../codec/Codec';
import { fromErrorEnvelope, type ErrorEnvelope } from '../codec/errorEnvelope';
import { checkErrorEnvelope } from '../codec/checkErrorEnvelope';
import { RpcDecodeLimitError } from '../errors/RpcDecodeLimitError';
import { RpcSerializationError } from '../errors/RpcSerializationError';
import { RpcTimeoutError } from '../errors/RpcTimeoutError';
import type { Outcome, ReplySink, ReplyTo } from '../messages/RpcMessage';
import { DeadlineLists, type DeadlineEntry } from './DeadlineLists';

/** The longest delay a timer supports (about 24.8 days); longer timeouts are clamped to it. */
export const MAX_DELAY_MS = 2_147_483_647;

/** Call ids fit in 32 bits, the width they have on the wire. */
const MAX_CALL_ID = 0xffff_ffff;

/**
 * Where a sent ask is tracked besides the pending-call table: the association that carries it
 * (see {@link PendingCalls.carry}).
 */
export interface CallCarrier {
  /**
   * Ask `callId`, carried here, ended without its answer coming through this carrier (it timed
   * out, or failed otherwise): forget it as in flight. The peer may still answer it, so its id
   * stays reserved until the carrier calls {@link PendingCalls.release}: when the late answer
   * arrives, or when the connection ends.
   */
  abandon(callId: number): void;
}

/** A registered call: its id, the promise its answer settles, and the reply address of its answer. */
export interface RegisteredCall extends ReplyTo {
  readonly promise: Promise<unknown>;
}

/** One ask waiting for its answer. It is also the reply address of its answer. */
class PendingCall implements DeadlineEntry, RegisteredCall {
  done = false;
  /** The deadline list the call is in. */
  list: object | undefined;
  /** The association that carries the call once it is sent, if any. */
  carrier: CallCarrier | undefined = undefined;
  resolve!: (value: unknown) => void;
  reject!: (error: unknown) => void;
  readonly promise: Promise<unknown>;

  constructor(
    readonly sink: PendingCalls,
    readonly callId: number,
    readonly deadline: number,
    /** What was called, e.g. `HelloGateway.hello`. */
    readonly target: string,
    /** The address of the endpoint that was called. */
    readonly recipient: string,
    readonly timeoutMs: number,
    /** Holds the caller's stack, captured when the call was made. */
    readonly callerStack: { stack?: string } | undefined,
    /** Set when the answer arrives serialized and must be decoded with this codec. */
    readonly codec: Codec | undefined,
  ) {
    this.promise = new Promise<unknown>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

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
}

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
  private readonly calls = new Map<number, PendingCall>();
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
    const id = this.allocateId();
    const timeoutMs = Math.min(call.timeoutMs ?? this.defaultTimeoutMs, MAX_DELAY_MS);
    let callerStack: { stack?: string } | undefined;
    if (this.captureCallerStack) {
      callerStack = {};
      // The method is not called: it names the frame where the captured stack starts.
      // eslint-disable-next-line @typescript-eslint/unbound-method
      Error.captureStackTrace(callerStack, this.register);
    }
    const pending = new PendingCall(
      this,
      id,
      this.clock.now() + timeoutMs,
      call.target,
      call.recipient,
      timeoutMs,
      callerStack,
      call.codec,
    );
    pending.list = this.deadlines.add(pending, timeoutMs);
    this.calls.set(id, pending);
    return pending;
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
    this.completeEncoded(call, call.codec, outcome);
  }

  /**
   * Fails call `callId` with `error`, if it is still pending.
   * @param from - The carrier that fails it, if any: it forgot the call already.
   */
  fail(callId: number, error: unknown, from?: CallCarrier): void {
    this.complete(callId, { ok: false, error }, from);
  }

  /** Fails every pending call with the error `errorFor` makes for it. */
  failAll(errorFor: (target: string, recipient: string) => Error): void {
    const calls = [...this.calls.values()];
    this.calls.clear();
    this.deadlines.clear();
    for (const call of calls) {
      call.done = true;
      this.abandon(call);
      call.reject(errorFor(call.target, call.recipient));
    }
  }

  /** Removes a call from the table and its deadline list. */
  private end(call: PendingCall): void {
    this.calls.delete(call.callId);
    call.done = true;
    this.deadlines.finish(call.list as object);
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
    // Before the first wrap every id is new; after it, pending and reserved ids are skipped.
    if (this.wrapped) while (this.calls.has(id) || this.reserved.has(id)) id = id === MAX_CALL_ID ? 1 : id + 1;
    if (id === MAX_CALL_ID) {
      this.nextId = 1;
      this.wrapped = true;
    } else {
      this.nextId = id + 1;
    }
    return id;
  }

  private completeEncoded(call: PendingCall, codec: Codec, outcome: Outcome): void {
    const payload = outcome.ok ? outcome.value : outcome.error;
    if (!(payload instanceof Uint8Array)) {
      // Errors raised on the caller's side (e.g. an unreachable recipient) are never encoded.
      if (outcome.ok) call.resolve(payload);
      else call.reject(payload);
      return;
    }
    let decoded: unknown;
    try {
      decoded = codec.decode(payload);
    } catch (cause) {
      // Over the decode budget: the ask fails with the limit's error, which keeps its fields.
      const errorClass = cause instanceof RpcDecodeLimitError ? RpcDecodeLimitError : RpcSerializationError;
      call.reject(
        new errorClass(
          `Could not deserialize the ${outcome.ok ? 'result' : 'error'} of ${call.target} from ${call.recipient}: ` +
            `${(cause as Error).message ?? String(cause)}`,
          { cause },
        ),
      );
      return;
    }
    if (outcome.ok) {
      call.resolve(decoded);
      return;
    }
    // An error answer comes from the peer: a malformed envelope fails the call, never this code.
    const problem = checkErrorEnvelope(decoded);
    if (problem === undefined)
      call.reject(fromErrorEnvelope(decoded as ErrorEnvelope, (name) => codec.errorClass(name)));
    else {
      call.reject(
        new RpcSerializationError(
          `The error answer of ${call.target} from ${call.recipient} is malformed: ${problem}.`,
        ),
      );
    }
  }

  private timeOut(call: PendingCall): void {
    this.calls.delete(call.callId);
    call.done = true;
    this.abandon(call);
    call.reject(timeoutError(call));
  }
}

function timeoutError(call: PendingCall): RpcTimeoutError {
  return new RpcTimeoutError(
    `Invocation of ${call.target} at recipient ${call.recipient} timed out after ${call.timeoutMs} ms. ` +
      `The endpoint may be busy or overloaded, its method may not have settled, or the recipient may be ` +
      `gone. Raise the timeout with the method's timeout argument or the service's askTimeoutMs option.`,
    { timeoutMs: call.timeoutMs, callerStack: call.callerStack?.stack },
  );
}
