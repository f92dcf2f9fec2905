import type { Codec } from '../codec/Codec';
import { rejectWithCallerFrames } from '../errors/rejectWithCallerFrames';
import type { ReplySink, ReplyTo } from '../messages/RpcMessage';
import type { DeadlineEntry } from './DeadlineLists';
import { ServedSignal } from './ServedSignal';
import { keepHiddenClass } from '../util/keepHiddenClass';

/**
 * Where a sent ask is tracked besides the pending-call table: the association that carries it
 * (see `PendingCalls.carry`).
 */
export interface CallCarrier {
  /**
   * Ask `callId`, carried here, ended without its answer coming through this carrier (it timed
   * out, was cancelled, or failed otherwise): forget it as in flight, and tell the peer, which
   * then drops it if it has not started it and aborts its signal if it has. The peer may still
   * answer it, so its id stays reserved until the carrier calls `PendingCalls.release`: when the
   * late answer arrives, or when the connection ends.
   */
  abandon(callId: number): void;
}

/** A registered call: its id, the promise its answer settles, and the reply address of its answer. */
export interface RegisteredCall extends ReplyTo {
  readonly promise: Promise<unknown>;
}

/**
 * One ask waiting for its answer. It is also the reply address of its answer, and so, for a
 * call within the process, the serving side's view of it: the endpoint skips a call that is
 * `done` before it starts, and a running method's signal ({@link abortSignal}) aborts when the
 * call times out or is cancelled.
 */
export class PendingCall implements DeadlineEntry, RegisteredCall {
  done = false;
  /** The deadline list the call is in. */
  list: object | undefined;
  /** The association that carries the call once it is sent, if any. */
  carrier: CallCarrier | undefined = undefined;
  /** The caller's signal and the listener added to it, removed when the call ends. */
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  resolve!: (value: unknown) => void;
  /** The promise's own reject; {@link reject} goes through it. */
  private rejectPromise!: (error: unknown) => void;
  /** What the caller awaits: the call's answer, or the error it failed with. */
  readonly promise: Promise<unknown>;
  /** The serving method's signal, made when it is read, or when the call is given up on. */
  private served: ServedSignal | undefined;

  constructor(
    readonly sink: ReplySink,
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
      this.rejectPromise = reject;
    });
  }

  /**
   * Fails the call with `error`. A timeout, or an error from another process without its
   * stack, gets the frames of the code awaiting the call first (see `rejectWithCallerFrames`).
   */
  reject(error: unknown): void {
    rejectWithCallerFrames(this.resolve, this.rejectPromise, error);
  }

  /** @see ReplyTo.abortSignal */
  abortSignal(): AbortSignal {
    return (this.served ??= new ServedSignal()).signal();
  }

  /** The call ended without an answer for `reason`: its serving method, if it reads its signal, hears of it. */
  abortServed(reason: unknown): void {
    (this.served ??= new ServedSignal()).abort(reason);
  }

  /** Stops listening to the caller's signal. */
  detachSignal(): void {
    if (this.onAbort === undefined) return;
    (this.signal as AbortSignal).removeEventListener('abort', this.onAbort);
    this.onAbort = undefined;
  }
}

/** The sink of the call kept below: it is never answered. */
const NO_SINK: ReplySink = { complete: () => undefined };

// Every call is short-lived: one kept for good keeps their hidden class (see `keepHiddenClass`).
// Built as `PendingCalls` builds calls, with a deadline that is a fraction of a millisecond.
keepHiddenClass(new PendingCall(NO_SINK, 0, 0.5, '', '', 0, undefined, undefined)).done = true;
