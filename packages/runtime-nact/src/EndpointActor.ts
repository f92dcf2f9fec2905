import {
  EndpointNotStartedError,
  FencingTokenError,
  RecipientUnreachableError,
  RpcConnectionError,
  RpcInvalidStateError,
  type RpcEndpoint,
} from '@nact-rpc/core';
import type {
  CallAsyncMessage,
  ControlMessage,
  EndpointHooks,
  FenceableMessage,
  HandshakeMessage,
  InvocationMessage,
  RpcMessage,
  RunAsyncMessage,
} from '@nact-rpc/core/internal';
import { runtimeImmediate } from '@nact-rpc/core/internal';
import type { ActorScope } from './ActorScope';
import { answer } from './answer';
import { answerHandshake } from './answerHandshake';
import type { MethodTable } from './buildMethodTable';
import type { EndpointActorHost } from './EndpointActorHost';
import { EndpointLifecycle } from './EndpointLifecycle';
import { invokeMethod } from './invokeMethod';
import { isPromiseLike } from './isPromiseLike';
import { runInTurn } from './mainThread';
import { messageOf } from './messageOf';
import { methodTableOf } from './methodTableOf';
import { refuse } from './refuse';
import type { RuntimeContext } from './RuntimeContext';

/** A message that runs in the endpoint's main thread: an RPC, main-thread work, or a fencing wrapper of one. */
export type DeliverableMessage = Exclude<RpcMessage, ControlMessage | HandshakeMessage>;

/**
 * Processes the messages of one endpoint, one at a time: the endpoint's main thread (Flink's
 * `PekkoRpcActor`). Control messages drive its {@link EndpointLifecycle}; handshakes are
 * answered in every state (`answerHandshake`); other messages run only while STARTED or
 * TERMINATING and are refused otherwise (`refuse`). RPCs are called and answered by
 * `invokeMethod`.
 *
 * This class is the actor of an unfenced endpoint: {@link handleRpcMessage} runs everything
 * but a message that carries a fencing token. `FencedEndpointActor` overrides it to check
 * tokens, so that an unfenced endpoint does not pay for fencing.
 *
 * It is its endpoint's {@link EndpointLifecycle} too (one object per endpoint, not two), and
 * its method table is the one its class shares when it can be (`methodTableOf`).
 */
export class EndpointActor extends EndpointLifecycle implements ActorScope {
  private methods: MethodTable | undefined;

  constructor(
    readonly endpoint: RpcEndpoint,
    hooks: EndpointHooks,
    readonly context: RuntimeContext,
    host: EndpointActorHost,
    /** The object whose turns are this endpoint's main thread. */
    turnOwner: object,
  ) {
    super(hooks, host, turnOwner);
  }

  /**
   * Handles one message. Returns a promise only while the mailbox must stay closed: during
   * an asynchronous `onStart`, and after each message delivered while an asynchronous `onStop`
   * is pending, until the next turn of the event loop: if that message let `onStop` settle,
   * the endpoint has terminated before the next one, which is refused (as Flink's actor stops
   * at once when its stop future completes).
   */
  receive(message: RpcMessage): void | Promise<void> {
    switch (message.kind) {
      case 'control':
        return this.control(message);
      case 'handshake':
        answerHandshake(message, this.hooks, this.getState(), this.host.address);
        return;
      case 'invoke':
      case 'invokeSerialized':
      case 'runAsync':
      case 'callAsync':
      case 'fenced':
      case 'unfenced':
        this.deliver(message);
        return this.awaitingStop ? nextTurn() : undefined;
      default:
        this.context.logger.warn(`${this.describe()} dropped a message of unknown kind`, { message });
    }
  }

  /** @see EndpointLifecycle.prepareStart */
  protected prepareStart(): void {
    this.methods ??= methodTableOf(this.endpoint, this.hooks);
  }

  /**
   * Runs what may run of a message that arrived while the endpoint is STARTED or TERMINATING,
   * and refuses the rest. An unfenced endpoint refuses a message that carries a fencing token
   * and runs work its owner scheduled as unfenced like any other.
   */
  protected handleRpcMessage(message: DeliverableMessage): void {
    switch (message.kind) {
      case 'fenced':
        refuse(
          this,
          message,
          'the call carries a fencing token, but the endpoint is not fenced.',
          FencingTokenError,
          'info',
        );
        return;
      case 'unfenced':
        this.run(message.payload);
        return;
      default:
        this.run(message);
    }
  }

  /** Runs an RPC or main-thread work that {@link handleRpcMessage} let through. */
  protected run(message: FenceableMessage): void {
    switch (message.kind) {
      case 'invoke':
      case 'invokeSerialized':
        this.invoke(message);
        return;
      case 'runAsync':
        this.runAsync(message);
        return;
      case 'callAsync':
        this.callAsync(message);
        return;
    }
  }

  private deliver(message: DeliverableMessage): void {
    const state = this.getState();
    if (state === 'STOPPED') {
      refuse(this, message, 'the endpoint has not been started (or was stopped).', EndpointNotStartedError, 'warn');
      return;
    }
    if (state === 'TERMINATED') {
      refuse(this, message, 'the endpoint has terminated.', RecipientUnreachableError, 'warn');
      return;
    }
    this.handleRpcMessage(message);
  }

  private invoke(message: InvocationMessage): void {
    const method = this.methods?.get(message.protocol)?.get(message.method);
    if (method === undefined) {
      refuse(this, message, 'the endpoint has no such RPC method.', RpcConnectionError, 'warn');
      return;
    }
    // Local-only methods are called unserialized; a serialized call of one came off the wire.
    if (method.local && message.kind === 'invokeSerialized') {
      refuse(
        this,
        message,
        'the method is local-only: it cannot be called from another process.',
        RpcInvalidStateError,
        'warn',
      );
      return;
    }
    invokeMethod(this, method.fn, message);
  }

  /** Runs the work; an error it throws (or rejects with) is logged. Its `settled` hears how it ended. */
  private runAsync(message: RunAsyncMessage): void {
    const { settled } = message;
    const report = (error: unknown): void => {
      this.context.logger.error(`Work run with runAsync in ${this.describe()} failed: ${messageOf(error)}`, { error });
      settled?.({ ok: false, error });
    };
    try {
      const result = runInTurn(this.turnOwner, message.fn);
      if (isPromiseLike(result))
        result.then(settled === undefined ? undefined : (value) => settled({ ok: true, value }), report);
      else settled?.({ ok: true, value: result });
    } catch (error) {
      report(error);
    }
  }

  private callAsync(message: CallAsyncMessage): void {
    let result: unknown;
    try {
      result = runInTurn(this.turnOwner, message.fn);
    } catch (error) {
      answer(message.replyTo, { ok: false, error });
      return;
    }
    if (isPromiseLike(result)) {
      result.then(
        (value) => answer(message.replyTo, { ok: true, value }),
        (error: unknown) => answer(message.replyTo, { ok: false, error }),
      );
    } else {
      answer(message.replyTo, { ok: true, value: result });
    }
  }
}

/** Settles in the next turn of the event loop, after every promise callback queued now. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => runtimeImmediate(resolve));
}
