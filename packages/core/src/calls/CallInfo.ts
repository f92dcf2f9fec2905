/**
 * What a call carries besides its arguments, when it carries anything: its deadline, its
 * metadata and its trace context. Calls without any carry none (`undefined`), and pay nothing.
 * The wire carries the same (a deadline as the time left, so that clocks need not agree).
 */
export interface CallInfo {
  /** When the call's deadline passes, in milliseconds of the serving service's clock. */
  readonly deadline?: number | undefined;
  /** The caller's metadata (see `CallOptions.metadata`). */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
  /** The W3C `traceparent` of the caller's span. */
  readonly traceparent?: string | undefined;
  /** The W3C `tracestate` that goes with {@link traceparent}. */
  readonly tracestate?: string | undefined;
  /**
   * Set by the serving side when it traces calls: when the call joined the endpoint's mailbox
   * (`performance.timeOrigin + performance.now()` milliseconds) and who sent it.
   */
  readonly queuedAt?: number | undefined;
  /** Set by the serving side when it traces calls: the peer the call came from, if remote. */
  readonly peer?: string | undefined;
}

/** A call as its caller makes it: what it carries, and the signal that cancels it. */
export interface OutgoingCallInfo extends CallInfo {
  /** Cancels the call (see `CallOptions.signal`). */
  readonly signal?: AbortSignal | undefined;
}

/** Metadata of a call that carries none: one frozen empty object. */
export const NO_METADATA: Readonly<Record<string, string>> = Object.freeze({});

/**
 * What an outgoing call carries to its endpoint: all but its signal, which stays with the
 * caller; `undefined` when it carries no deadline, metadata or trace context.
 */
export function callInfoOf(call: OutgoingCallInfo | undefined): CallInfo | undefined {
  if (call === undefined) return undefined;
  const { deadline, metadata, traceparent, tracestate, queuedAt } = call;
  if (deadline === undefined && metadata === undefined && traceparent === undefined) return undefined;
  return { deadline, metadata, traceparent, tracestate, queuedAt };
}
