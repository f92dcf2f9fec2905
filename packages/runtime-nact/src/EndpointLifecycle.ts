import { RpcError, RpcInvalidStateError } from '@nact-rpc/core';
import type { ControlMessage, EndpointHooks, ReplyTo } from '@nact-rpc/core/internal';
import { ACK, answer } from './answer';
import { describeEndpoint } from './describeEndpoint';
import type { EndpointActorHost } from './EndpointActorHost';
import { isPromiseLike } from './isPromiseLike';
import { runInTurn } from './mainThread';
import { messageOf } from './messageOf';

/** The lifecycle states of an endpoint's actor. */
export type EndpointState = 'STOPPED' | 'STARTED' | 'TERMINATING' | 'TERMINATED';

/**
 * The lifecycle state machine of an endpoint's actor, driven by control messages:
 *
 *     STOPPED --start--> STARTED --terminate--> TERMINATING --(onStop settled)--> TERMINATED
 *        ^                  |
 *        +------stop--------+
 *
 * Terminate from STOPPED goes to TERMINATING too, calling `onStop` only if the endpoint was
 * ever started. An invalid transition is answered with `RpcInvalidStateError`. `onStart` and
 * `onStop` run as turns of the endpoint's main thread.
 *
 * The endpoint's actor extends it (`EndpointActor`), so that the two are one object: a service
 * may hold a hundred thousand endpoints. The actor says what must be ready before a start
 * ({@link prepareStart}).
 */
export abstract class EndpointLifecycle {
  private state: EndpointState = 'STOPPED';
  private startedOnce = false;
  /** Whether an asynchronous `onStop` has been called and has not settled yet. */
  private stopPending = false;

  constructor(
    protected readonly hooks: EndpointHooks,
    protected readonly host: EndpointActorHost,
    /** The object whose turns are this endpoint's main thread. */
    readonly turnOwner: object,
  ) {}

  /** The current state. */
  getState(): EndpointState {
    return this.state;
  }

  /**
   * Makes the transition `message` asks for and answers it. Returns a promise only while the
   * mailbox must stay closed: during an asynchronous `onStart`.
   */
  control(message: ControlMessage): void | Promise<void> {
    switch (message.command) {
      case 'start':
        return this.start(message.replyTo);
      case 'stop':
        if (this.state === 'STARTED' || this.state === 'STOPPED') {
          this.state = 'STOPPED';
          answer(message.replyTo, ACK);
        } else {
          answer(message.replyTo, { ok: false, error: this.invalidTransition('STOPPED') });
        }
        return;
      case 'terminate':
        this.terminate();
        answer(message.replyTo, ACK);
        return;
    }
  }

  private start(replyTo: ReplyTo | undefined): void | Promise<void> {
    if (this.state === 'STARTED') {
      answer(replyTo, ACK);
      return;
    }
    if (this.state !== 'STOPPED') {
      answer(replyTo, { ok: false, error: this.invalidTransition('STARTED') });
      return;
    }
    try {
      this.prepareStart();
    } catch (error) {
      // The endpoint class lacks a method of a protocol it serves: not an onStart failure.
      answer(replyTo, { ok: false, error });
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
    answer(replyTo, ACK);
  }

  private failStart(cause: unknown, replyTo: ReplyTo | undefined): void {
    this.hooks.setRunning(false);
    const failure = new RpcError(`Could not start ${this.describe()}: ${messageOf(cause)}`, { cause });
    answer(replyTo, { ok: false, error: failure });
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
    // Messages keep being processed while onStop is pending (see awaitingStop).
    this.stopPending = true;
    Promise.resolve(onStopResult).then(
      () => this.finishTermination(undefined),
      (error: unknown) => this.finishTermination(error),
    );
  }

  private finishTermination(failure: unknown): void {
    this.stopPending = false;
    this.state = 'TERMINATED';
    this.host.terminated(failure);
  }

  private invalidTransition(target: EndpointState): RpcInvalidStateError {
    return new RpcInvalidStateError(`${this.describe()} is ${this.state} and cannot go into state ${target}.`);
  }

  /**
   * Whether an asynchronous `onStop` is still pending. A message delivered meanwhile may be
   * the one that lets it settle, and the endpoint terminates when it does: not one message
   * later. So the actor lets the promise callbacks run before it delivers the next message.
   */
  protected get awaitingStop(): boolean {
    return this.stopPending;
  }

  /** The endpoint's id. */
  get endpointId(): string {
    return this.hooks.endpointId;
  }

  /** Names the endpoint in log and error messages. */
  describe(): string {
    return describeEndpoint(this.hooks, this.host.address);
  }

  /**
   * Called before each start from STOPPED; throws if the endpoint cannot serve (it lacks a
   * method of a protocol it serves), which fails the start and terminates the endpoint
   * without calling `onStart`.
   */
  protected abstract prepareStart(): void;
}
