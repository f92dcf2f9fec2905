import type { AnyProtocol, AskMethod, FencingToken, Serves, TellMethod } from '@nact-rpc/core';

/** The names of the methods of `TProtocol`. */
export type StubMethodName<TProtocol extends AnyProtocol> = keyof TProtocol['methods'] & string;

/** The arguments of method `TMethodName` of `TProtocol`, as a tuple. */
export type StubCallArgs<TProtocol extends AnyProtocol, TMethodName extends StubMethodName<TProtocol>> =
  TProtocol['methods'][TMethodName] extends AskMethod<infer TArgs, unknown>
    ? TArgs
    : TProtocol['methods'][TMethodName] extends TellMethod<infer TArgs>
      ? TArgs
      : never;

/**
 * What a stub does for some of the methods of `TProtocol`: the same signatures an endpoint
 * serving it has (`Serves<TProtocol>`), each optional. An ask's implementation may answer with
 * a value or a promise, or throw; its outcome is the caller's.
 */
export type StubImplementations<TProtocol extends AnyProtocol> = Partial<Serves<TProtocol>>;

/**
 * One call a stub received: the method and the arguments, in the order the calls were made.
 * The arguments are the caller's own values, not copies.
 */
export type RecordedCall<TProtocol extends AnyProtocol> = {
  [TMethodName in StubMethodName<TProtocol>]: {
    /** The method called. */
    readonly method: TMethodName;
    /** The arguments it was called with. */
    readonly args: StubCallArgs<TProtocol, TMethodName>;
  };
}[StubMethodName<TProtocol>];

/** One call a fenced stub received: a {@link RecordedCall} and the fencing token it carried. */
export type FencedRecordedCall<TProtocol extends AnyProtocol, TToken extends FencingToken> = RecordedCall<TProtocol> & {
  /** The token the call carried; the call ran only if it equalled the stub's token then. */
  readonly fencingToken: TToken | undefined;
};

/** A tell whose implementation threw or rejected: a tell's caller cannot see it, the test can. */
export interface StubTellFailure {
  /** The tell's method name. */
  readonly method: string;
  /** What the implementation threw or rejected with. */
  readonly error: unknown;
}
