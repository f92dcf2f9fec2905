import type { Codec } from '../codec/Codec';
import { fromErrorEnvelope, type ErrorEnvelope } from '../codec/errorEnvelope';
import { RpcSerializationError } from '../errors/RpcSerializationError';
import { RpcTimeoutError } from '../errors/RpcTimeoutError';
import type { Outcome, ReplySink, ReplyTo } from '../messages/RpcMessage';
import { DeadlineLists, type DeadlineEntry } from './DeadlineLists';

/** The longest delay a timer supports (about 24.8 days); longer timeouts are clamped to it. */
export const MAX_DELAY_MS = 2_147_483_647;

/** Call ids fit in 32 bits, the width they have on the wire. */
const MAX_CALL_ID = 0xffff_ffff;

/** A registered call: its id, the promise its answer settles, and the reply address of its answer. */
export interface RegisteredCall extends ReplyTo {
  readonly promise: Promise<unknown>;
}

/** One ask waiting for its answer. It is also the reply address of its answer. */
class PendingCall implements DeadlineEntry, RegisteredCall {
  done = false;
  /** The deadline list the call is in. */
  list: object | undefined;
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
 * counter per service that skips ids still pending) instead of nact's `query()`. Every way
 * a call can end (answer, timeout, lost recipient, shutdown) goes through this table and
 * removes the entry, so no call is answered twice and none is left behind.
 */
export class PendingCalls implements ReplySink {
  private nextId = 1;
  /** Whether ids have wrapped around once: only then can a new id collide with a pending one. */
  private wrapped = false;
  private readonly calls = new Map<number, PendingCall>();
  private readonly deadlines = new DeadlineLists<PendingCall>((call) => this.timeOut(call));

  constructor(
    private readonly defaultTimeoutMs: number,
    private readonly captureCallerStack: boolean,
  ) {}

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
      Date.now() + timeoutMs,
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

  /** Whether call `callId` is still waiting for its answer. */
  has(callId: number): boolean {
    return this.calls.has(callId);
  }

  /** Delivers the answer of call `callId`. Answers of calls that already ended are ignored. */
  complete(callId: number, outcome: Outcome): void {
    const call = this.calls.get(callId);
    if (call === undefined) return;
    this.end(call);
    if (call.codec === undefined) {
      if (outcome.ok) call.resolve(outcome.value);
      else call.reject(outcome.error);
      return;
    }
    this.completeEncoded(call, call.codec, outcome);
  }

  /** Fails call `callId` with `error`, if it is still pending. */
  fail(callId: number, error: unknown): void {
    this.complete(callId, { ok: false, error });
  }

  /** Fails every pending call with the error `errorFor` makes for it. */
  failAll(errorFor: (target: string, recipient: string) => Error): void {
    const calls = [...this.calls.values()];
    this.calls.clear();
    this.deadlines.clear();
    for (const call of calls) {
      call.done = true;
      call.reject(errorFor(call.target, call.recipient));
    }
  }

  /** Removes a call from the table and its deadline list. */
  private end(call: PendingCall): void {
    this.calls.delete(call.callId);
    call.done = true;
    this.deadlines.finish(call.list as object);
  }

  private allocateId(): number {
    let id = this.nextId;
    if (this.wrapped) while (this.calls.has(id)) id = id === MAX_CALL_ID ? 1 : id + 1;
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
      call.reject(
        new RpcSerializationError(
          `Could not deserialize the ${outcome.ok ? 'result' : 'error'} of ${call.target} from ${call.recipient}: ` +
            `${(cause as Error).message ?? String(cause)}`,
          { cause },
        ),
      );
      return;
    }
    if (outcome.ok) call.resolve(decoded);
    else call.reject(fromErrorEnvelope(decoded as ErrorEnvelope, (name) => codec.errorClass(name)));
  }

  private timeOut(call: PendingCall): void {
    this.calls.delete(call.callId);
    call.done = true;
    call.reject(
      new RpcTimeoutError(
        `Invocation of ${call.target} at recipient ${call.recipient} timed out after ${call.timeoutMs} ms. ` +
          `The endpoint may be busy or overloaded, its method may not have settled, or the recipient may be ` +
          `gone. Raise the timeout with the method's timeout argument or the service's askTimeoutMs option.`,
        { timeoutMs: call.timeoutMs, callerStack: call.callerStack?.stack },
      ),
    );
  }
}
