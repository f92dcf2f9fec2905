import { EndpointNotStartedError, FencingTokenError, HandshakeError, RecipientUnreachableError, RpcConnectionError, RpcError, RpcInvalidStateError, RpcSerializationError, type RpcEndpoint } from '@nact-rpc/core';
import { type CallAsyncMessage, type ControlMessage, type EndpointHooks, type FenceableMessage, type HandshakeMessage, type InvocationMessage, type Outcome, RPC_VERSION, type ReplyTo, type RpcMessage, describeProtocolMismatch, encodeOutcome, protocolIdentity } from '@nact-rpc/core/internal';
import { isPromiseLike } from './isPromiseLike';
import { enterTurn, exitTurn, runInTurn } from './mainThread';
import type { RuntimeContext } from './RuntimeContext';

/** The lifecycle states of an endpoint's actor. */
export type EndpointState = 'STOPPED' | 'STARTED' | 'TERMINATING' | 'TERMINATED';

/** What an {@link EndpointActor} needs from the server that owns it. */
export interface EndpointActorHost {
  /** The endpoint's address, for messages. */
  readonly address: string;
  /** Called once, when the endpoint has terminated; `failure` is undefined on success. */
  terminated(failure: unknown): void;
}

type RpcFunction = (...args: unknown[]) => unknown;

const ACK: Outcome = { ok: true, value: undefined };

/**
 * Processes the messages of one endpoint, one at a time: the endpoint's main thread. It owns
 * the lifecycle state machine
 *
 *     STOPPED --start--> STARTED --terminate--> TERMINATING --(onStop settled)--> TERMINATED
 *        ^                  |
 *        +------stop--------+
 *
 * (terminate from STOPPED goes to TERMINATING too, calling `onStop` only if the endpoint was
 * ever started), checks fencing tokens, calls RPC methods and answers their callers.
 * Handshakes are answered in every state; other messages only while STARTED or TERMINATING.
 */
export class EndpointActor {
  private state: EndpointState = 'STOPPED';
  private startedOnce = false;
  /** Protocol name → method name → the endpoint's function; built at the first start. */
  private methods: Map<string, Map<string, RpcFunction>> | undefined;

  constructor(
    private readonly endpoint: RpcEndpoint,
    private readonly hooks: EndpointHooks,
    private readonly context: RuntimeContext,
    private readonly host: EndpointActorHost,
    /** The object whose turns are this endpoint's main thread. */
    private readonly turnOwner: object,
  ) {}

  /** The current lifecycle state. */
  getState(): EndpointState {
    return this.state;
  }

  /**
   * Handles one message. Returns a promise only while the mailbox must stay closed: during
   * an asynchronous `onStart`.
   */
  receive(message: RpcMessage): void | Promise<void> {
    switch (message.kind) {
      case 'control':
        return this.control(message);
      case 'handshake':
        this.handshake(message);
        return;
      case 'invoke':
      case 'runAsync':
      case 'callAsync':
      case 'fenced':
      case 'unfenced':
        this.deliver(message);
        return;
      default:
        this.context.logger.warn(`${this.describe()} dropped a message of unknown kind`, { message });
    }
  }

  // ---------------------------------------------------------------------------------------
  // Lifecycle

  private control(message: ControlMessage): void | Promise<void> {
    switch (message.command) {
      case 'start':
        return this.start(message.replyTo);
      case 'stop':
        if (this.state === 'STARTED' || this.state === 'STOPPED') {
          this.state = 'STOPPED';
          this.answer(message.replyTo, ACK);
        } else {
          this.answer(message.replyTo, { ok: false, error: this.invalidTransition('STOPPED') });
        }
        return;
      case 'terminate':
        this.terminate();
        this.answer(message.replyTo, ACK);
        return;
    }
  }

  private start(replyTo: ReplyTo | undefined): void | Promise<void> {
    if (this.state === 'STARTED') {
      this.answer(replyTo, ACK);
      return;
    }
    if (this.state !== 'STOPPED') {
      this.answer(replyTo, { ok: false, error: this.invalidTransition('STARTED') });
      return;
    }
    try {
      this.methods ??= this.buildMethodTable();
    } catch (error) {
      // The endpoint class lacks a method of a protocol it serves: not an onStart failure.
      this.answer(replyTo, { ok: false, error });
      this.finishTermination(error);
      return;
    }
    let onStartResult: unknown;
    try {
      this.hooks.setRunning(true);
      onStartResult = runInTurn(this.turnOwner, () => this.hooks.onStart());
    } catch (error) {
      this.failStart(error, replyTo);
      return;
    }
    if (!isPromiseLike(onStartResult)) {
      this.started(replyTo);
      return;
    }
    // Keep the mailbox closed until onStart settles: no RPC runs before the endpoint is ready.
    return Promise.resolve(onStartResult).then(
      () => this.started(replyTo),
      (error: unknown) => this.failStart(error, replyTo),
    );
  }

  private started(replyTo: ReplyTo | undefined): void {
    this.state = 'STARTED';
    this.startedOnce = true;
    this.answer(replyTo, ACK);
  }

  private failStart(cause: unknown, replyTo: ReplyTo | undefined): void {
    this.hooks.setRunning(false);
    const failure = new RpcError(`Could not start ${this.describe()}: ${messageOf(cause)}`, { cause });
    this.answer(replyTo, { ok: false, error: failure });
    this.finishTermination(failure);
  }

  private terminate(): void {
    if (this.state === 'TERMINATING' || this.state === 'TERMINATED') return;
    if (!this.startedOnce) {
      this.state = 'TERMINATING';
      this.finishTermination(undefined);
      return;
    }
    this.state = 'TERMINATING';
    this.hooks.setRunning(false);
    let onStopResult: unknown;
    try {
      onStopResult = runInTurn(this.turnOwner, () => this.hooks.onStop());
    } catch (error) {
      this.finishTermination(error);
      return;
    }
    if (!isPromiseLike(onStopResult)) {
      this.finishTermination(undefined);
      return;
    }
    // Messages keep being processed while onStop is pending.
    Promise.resolve(onStopResult).then(
      () => this.finishTermination(undefined),
      (error: unknown) => this.finishTermination(error),
    );
  }

  private finishTermination(failure: unknown): void {
    this.state = 'TERMINATED';
    this.host.terminated(failure);
  }

  private invalidTransition(target: EndpointState): RpcInvalidStateError {
    return new RpcInvalidStateError(`${this.describe()} is ${this.state} and cannot go into state ${target}.`);
  }

  /** Looks up every method of every served protocol; a missing one fails the start. */
  private buildMethodTable(): Map<string, Map<string, RpcFunction>> {
    const table = new Map<string, Map<string, RpcFunction>>();
    const target = this.endpoint as unknown as Record<string, unknown>;
    for (const protocol of this.hooks.protocols) {
      const methods = new Map<string, RpcFunction>();
      for (const name of Object.keys(protocol.methods)) {
        const fn = target[name];
        if (typeof fn !== 'function') {
          throw new RpcInvalidStateError(
            `${this.hooks.className} serves protocol ${protocol.name} but has no method ${name}.`,
          );
        }
        methods.set(name, fn as RpcFunction);
      }
      table.set(protocol.name, methods);
    }
    return table;
  }

  // ---------------------------------------------------------------------------------------
  // Handshake

  private handshake(message: HandshakeMessage): void {
    this.answer(message.replyTo, this.checkHandshake(message));
  }

  private checkHandshake(message: HandshakeMessage): Outcome {
    const refuse = (reason: string): Outcome => ({
      ok: false,
      error: new HandshakeError(`Handshake with ${this.describe()} failed: ${reason}`),
    });
    if (this.state === 'TERMINATED') {
      return { ok: false, error: new RecipientUnreachableError(`${this.describe()} has terminated.`) };
    }
    if (message.rpcVersion !== RPC_VERSION) {
      return refuse(`the caller speaks RPC version ${message.rpcVersion}, the endpoint version ${RPC_VERSION}.`);
    }
    const requested = message.protocol;
    const served = this.hooks.protocols.find((protocol) => protocol.name === requested.name);
    if (served === undefined) {
      const names = this.hooks.protocols.map((protocol) => protocol.name).join(', ') || 'none';
      return refuse(`it does not implement protocol ${requested.name} (it serves: ${names}).`);
    }
    const mismatch = describeProtocolMismatch(requested, protocolIdentity(served));
    if (mismatch !== undefined) return refuse(`${mismatch}.`);
    if (message.fenced && !this.hooks.fenced) {
      return refuse('the endpoint is not fenced; connect without a fencing token.');
    }
    if (!message.fenced && this.hooks.fenced) {
      return refuse('the endpoint is fenced; connect with { fencingToken }.');
    }
    return ACK;
  }

  // ---------------------------------------------------------------------------------------
  // RPCs and main-thread work

  private deliver(message: Exclude<RpcMessage, ControlMessage | HandshakeMessage>): void {
    if (this.state === 'STOPPED') {
      this.refuse(message, 'the endpoint has not been started (or was stopped).', EndpointNotStartedError, 'warn');
      return;
    }
    if (this.state === 'TERMINATED') {
      this.refuse(message, 'the endpoint has terminated.', RecipientUnreachableError, 'warn');
      return;
    }
    const payload = this.checkFencing(message);
    if (payload === undefined) return;
    switch (payload.kind) {
      case 'invoke':
        this.invoke(payload);
        return;
      case 'runAsync':
        this.runAsync(payload.fn);
        return;
      case 'callAsync':
        this.callAsync(payload);
        return;
    }
  }

  /** Returns the message to process, or `undefined` if fencing refused it (and told the caller). */
  private checkFencing(message: Exclude<RpcMessage, ControlMessage | HandshakeMessage>): FenceableMessage | undefined {
    if (message.kind === 'unfenced') return message.payload;
    if (message.kind !== 'fenced') {
      if (!this.hooks.fenced) return message;
      this.refuse(message, 'the call carries no fencing token, but the endpoint is fenced.', FencingTokenError, 'info');
      return undefined;
    }
    if (!this.hooks.fenced) {
      this.refuse(message, 'the call carries a fencing token, but the endpoint is not fenced.', FencingTokenError, 'info');
      return undefined;
    }
    const current = this.hooks.fencingToken();
    if (message.self === true) {
      if (current === message.token) return message.payload;
      this.refuse(
        message,
        `the work was scheduled under fencing token ${String(message.token)}, but the endpoint now holds ${String(current)}.`,
        FencingTokenError,
        'debug',
      );
      return undefined;
    }
    if (current === undefined) {
      this.refuse(message, 'the endpoint holds no fencing token (it is not the leader).', FencingTokenError, 'info');
      return undefined;
    }
    if (current !== message.token) {
      this.refuse(
        message,
        `the call's fencing token ${String(message.token)} does not match the endpoint's token ${String(current)}.`,
        FencingTokenError,
        'info',
      );
      return undefined;
    }
    return message.payload;
  }

  private invoke(message: InvocationMessage): void {
    const fn = this.methods?.get(message.protocol)?.get(message.method);
    if (fn === undefined) {
      this.refuse(message, 'the endpoint has no such RPC method.', RpcConnectionError, 'warn');
      return;
    }
    let args = message.args;
    if (args === undefined) {
      try {
        args = this.context.codec.decode(message.encodedArgs as Uint8Array) as unknown[];
      } catch (cause) {
        this.refuse(message, `could not deserialize its arguments: ${messageOf(cause)}`, RpcSerializationError, 'warn', cause);
        return;
      }
    }
    let result: unknown;
    const previous = enterTurn(this.turnOwner);
    try {
      result = fn.apply(this.endpoint, args as unknown[]);
    } catch (error) {
      this.answerInvocation(message, { ok: false, error });
      return;
    } finally {
      exitTurn(previous);
    }
    if (isPromiseLike(result)) {
      result.then(
        (value) => this.answerInvocation(message, { ok: true, value }),
        (error: unknown) => this.answerInvocation(message, { ok: false, error }),
      );
    } else {
      this.answerInvocation(message, { ok: true, value: result });
    }
  }

  private runAsync(fn: () => unknown): void {
    const report = (error: unknown): void =>
      this.context.logger.error(`Work run with runAsync in ${this.describe()} failed: ${messageOf(error)}`, { error });
    try {
      const result = runInTurn(this.turnOwner, fn);
      if (isPromiseLike(result)) result.then(undefined, report);
    } catch (error) {
      report(error);
    }
  }

  private callAsync(message: CallAsyncMessage): void {
    let result: unknown;
    try {
      result = runInTurn(this.turnOwner, message.fn);
    } catch (error) {
      this.answer(message.replyTo, { ok: false, error });
      return;
    }
    if (isPromiseLike(result)) {
      result.then(
        (value) => this.answer(message.replyTo, { ok: true, value }),
        (error: unknown) => this.answer(message.replyTo, { ok: false, error }),
      );
    } else {
      this.answer(message.replyTo, { ok: true, value: result });
    }
  }

  // ---------------------------------------------------------------------------------------
  // Answers

  private answerInvocation(message: InvocationMessage, outcome: Outcome): void {
    const replyTo = message.replyTo;
    if (replyTo === undefined) {
      if (!outcome.ok) {
        this.context.logger.error(
          `Tell ${message.protocol}.${message.method} failed in ${this.describe()}: ${messageOf(outcome.error)}`,
          { error: outcome.error },
        );
      }
      return;
    }
    const target = `${message.protocol}.${message.method}`;
    replyTo.sink.complete(replyTo.callId, message.encodeResult ? encodeOutcome(this.context.codec, outcome, target, this.context.maxFrameSize) : outcome);
  }

  private answer(replyTo: ReplyTo | undefined, outcome: Outcome): void {
    replyTo?.sink.complete(replyTo.callId, outcome);
  }

  /**
   * Refuses a message for `reason`, which completes "<ask P.m> to <this endpoint>: ". An ask
   * (or callAsync, handshake, control message) fails with an `errorClass` error reading
   * "Refused ask P.m to endpoint … : reason"; a tell or runAsync is logged at `level` as
   * "Dropped tell P.m to endpoint … : reason". Each says what, where and why once.
   */
  private refuse(
    message: RpcMessage,
    reason: string,
    errorClass: new (message: string, options?: { cause?: unknown }) => Error,
    level: 'debug' | 'info' | 'warn',
    cause?: unknown,
  ): void {
    const inner = message.kind === 'fenced' || message.kind === 'unfenced' ? message.payload : message;
    const subject = `${describeMessage(inner)} to ${this.describe()}`;
    const failure = (): Outcome => ({ ok: false, error: new errorClass(`Refused ${subject}: ${reason}`, { cause }) });
    if (inner.kind === 'invoke' && inner.replyTo !== undefined) {
      this.answerInvocation(inner, failure());
    } else if (inner.kind === 'callAsync' || inner.kind === 'handshake' || inner.kind === 'control') {
      this.answer(inner.replyTo, failure());
    } else {
      this.context.logger[level](`Dropped ${subject}: ${reason}`, cause === undefined ? undefined : { error: cause });
    }
  }

  private describe(): string {
    return `endpoint ${this.hooks.endpointId} (${this.hooks.className}) at ${this.host.address}`;
  }
}

function describeMessage(message: RpcMessage): string {
  switch (message.kind) {
    case 'invoke':
      return `${message.replyTo === undefined ? 'tell' : 'ask'} ${message.protocol}.${message.method}`;
    case 'fenced':
    case 'unfenced':
      return describeMessage(message.payload);
    case 'control':
      return `control message ${message.command}`;
    default:
      return message.kind;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
