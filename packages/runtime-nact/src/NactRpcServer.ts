import { stop, type Ref } from 'nact';
import {
  RpcInvalidStateError,
  type AnyProtocol,
  type Clock,
  type FencedGatewayOf,
  type FencingToken,
  type GatewayOf,
  type MainThreadExecutor,
  type RpcEndpoint,
  type RpcServer,
  type ScheduledTask,
  type SelfFencing,
} from '@nact-rpc/core';
import { type EndpointHooks, type RpcMessage, assertServes } from '@nact-rpc/core/internal';
import { gatewayFor } from './gatewayFor';
import type { ActorInvocation } from './ActorInvocation';
import { EndpointActor } from './EndpointActor';
import type { EndpointActorHost } from './EndpointActorHost';
import { FencedEndpointActor } from './FencedEndpointActor';
import { LocalInvoker } from './LocalInvoker';
import { LazyFuture } from './LazyFuture';
import { Mailbox, type MailboxBacklog, type MailboxOwner } from './Mailbox';
import { scheduleDelivery, type DeliveryTarget } from './deliveryScheduler';
import { isInTurnOf } from './mainThread';
import { OneShotReply } from './OneShotReply';
import { ScheduledTimers } from './ScheduledTimers';
import { scheduleOnce, type SelfFence } from './scheduledWork';
import { callAsyncIn } from './callAsyncIn';
import { createMainThreadExecutor } from './createMainThreadExecutor';
import type { RuntimeContext } from './RuntimeContext';
import type { EndpointActorOwner } from './ServiceActors';
import { validateDelay } from './validateDelay';

/**
 * The last message an endpoint's mailbox delivers, posted when the endpoint has terminated: it
 * comes after every message already waiting (each answered with `RecipientUnreachableError`).
 */
const REAP = Symbol('nact-rpc.reap');

/**
 * How many messages one delivery handles before the mailbox is woken again, after the mailboxes
 * woken before it; `deliveryScheduler`'s per-turn budget says whether that is in this turn.
 */
const MAX_BATCH = 256;

type MailboxMessage = RpcMessage | typeof REAP;

/** What a server needs from its service. */
export interface NactRpcServerOptions {
  readonly context: RuntimeContext;
  readonly endpoint: RpcEndpoint;
  readonly hooks: EndpointHooks;
  /** Spawns the endpoint's nact actor, named after its id, under the service's supervisor. */
  readonly spawnActor: (endpointId: string) => Ref<ActorInvocation>;
  readonly address: string;
  readonly hostname: string;
  /** Told when the endpoint's actor has stopped, so that it can release the endpoint's id. */
  readonly owner: { endpointReaped(server: NactRpcServer): void };
}

/**
 * The nact-backed {@link RpcServer} of one endpoint: one nact actor (a child of the service's
 * supervisor) and the endpoint's {@link Mailbox}, whose messages the endpoint's
 * {@link EndpointActor} processes. It is also where messages to the endpoint are posted, so
 * that calls to a terminated endpoint fail at once. What is rarely used (timers, self
 * gateways, executors, the termination promise) is created on first use: a service may hold
 * a hundred thousand endpoints.
 */
export class NactRpcServer
  implements RpcServer, EndpointActorHost, EndpointActorOwner, MailboxOwner<MailboxMessage>, DeliveryTarget
{
  readonly address: string;
  readonly endpointId: string;
  /** The endpoint's nact actor: where plain nact actors send their {@link ActorInvocation}s. */
  readonly actorRef: Ref<ActorInvocation>;
  /** Internal, for `InboundRequests`: how many messages wait in the mailbox, and when it drains. */
  readonly backlog: MailboxBacklog;
  private readonly hostname: string;
  private readonly context: RuntimeContext;
  private readonly hooks: EndpointHooks;
  private readonly actor: EndpointActor;
  private readonly mailbox: Mailbox<MailboxMessage>;
  private readonly owner: { endpointReaped(server: NactRpcServer): void };
  /** Made on first use: the termination promise is asked for, or the endpoint terminates. */
  private termination: LazyFuture | undefined;
  private timers: ScheduledTimers | undefined;
  private selfGateways: Map<AnyProtocol, object> | undefined;
  /** Each executor with the fencing token it was made for (a fenced one serves that token only). */
  private executors: Map<SelfFencing, { token: FencingToken | undefined; executor: MainThreadExecutor }> | undefined;
  private terminationFailure: unknown;
  private closeRequested = false;

  constructor(options: NactRpcServerOptions) {
    this.address = options.address;
    this.endpointId = options.hooks.endpointId;
    this.hostname = options.hostname;
    this.context = options.context;
    this.hooks = options.hooks;
    this.owner = options.owner;
    // As Flink starts a FencedPekkoRpcActor for a FencedRpcEndpoint: only fenced endpoints check tokens.
    const Actor = options.hooks.fenced ? FencedEndpointActor : EndpointActor;
    this.actor = new Actor(options.endpoint, options.hooks, options.context, this, this);
    this.backlog = this.mailbox = new Mailbox<MailboxMessage>(this, MAX_BATCH);
    this.actorRef = options.spawnActor(options.hooks.endpointId);
  }

  /** @see EndpointActorOwner.protocols */
  get protocols(): readonly AnyProtocol[] {
    return this.hooks.protocols;
  }

  /** @see EndpointActorOwner.actorStopped */
  actorStopped(): void {
    this.context.logger.debug(`The nact actor of the endpoint at ${this.address} stopped; the endpoint terminates.`);
    void this.closeAsync();
  }

  /** @see MailboxOwner.wakeUp */
  wakeUp(fromNetwork?: boolean): void {
    scheduleDelivery(this, fromNetwork);
  }

  /** @see MailboxOwner.process */
  process(message: MailboxMessage): void | Promise<void> {
    return this.receive(message);
  }

  /** @see DeliveryTarget.deliverNow */
  deliverNow(): number {
    const before = this.mailbox.delivered;
    try {
      this.mailbox.deliver()?.catch((error: unknown) => this.internalError(error));
    } catch (error) {
      this.internalError(error);
    }
    return this.mailbox.delivered - before;
  }

  /**
   * Puts a message into the endpoint's mailbox; `fromNetwork` for a call from another process.
   * @returns `false` if the endpoint has terminated and the message was not posted.
   */
  post(message: RpcMessage, fromNetwork = false): boolean {
    if (this.actor.getState() === 'TERMINATED') return false;
    this.mailbox.enqueue(message, fromNetwork);
    return true;
  }

  getAddress(): string {
    return this.address;
  }

  getHostname(): string {
    return this.hostname;
  }

  start(): Promise<void> {
    return this.control('start');
  }

  stop(): Promise<void> {
    return this.control('stop');
  }

  closeAsync(): Promise<void> {
    if (!this.closeRequested) {
      this.closeRequested = true;
      this.post({ kind: 'control', command: 'terminate' });
    }
    return this.getTerminationFuture();
  }

  getTerminationFuture(): Promise<void> {
    return (this.termination ??= new LazyFuture()).get();
  }

  getSelfGateway<TProtocol extends AnyProtocol>(
    protocol: TProtocol,
  ): GatewayOf<TProtocol> | FencedGatewayOf<TProtocol, FencingToken> {
    this.selfGateways ??= new Map();
    let gateway = this.selfGateways.get(protocol);
    if (gateway === undefined) {
      assertServes(`${this.hooks.className} at ${this.address}`, this.hooks.protocols, protocol);
      const token = this.hooks.fenced ? () => this.hooks.fencingToken() : undefined;
      gateway = gatewayFor(this.context, protocol, new LocalInvoker(this.context, this, protocol.name, token));
      this.selfGateways.set(protocol, gateway);
    }
    return gateway as GatewayOf<TProtocol>;
  }

  /** @see SchedulingHost.clock */
  get clock(): Clock {
    return this.context.clock;
  }

  /** @see SchedulingHost.scheduleOwner */
  get scheduleOwner(): string {
    return `the endpoint at ${this.address}`;
  }

  runAsync(fn: () => unknown, fencing: SelfFencing): void {
    if (!this.post(this.selfFence(fencing)({ kind: 'runAsync', fn }))) this.droppedAfterTermination('runAsync work');
  }

  /** @see ExecutorHost.droppedAfterTermination */
  droppedAfterTermination(what: string): void {
    this.context.logger.debug(`Dropped ${what}: the endpoint at ${this.address} has terminated.`);
  }

  callAsync<TResult>(
    fn: () => TResult | PromiseLike<TResult>,
    timeoutMs: number,
    fencing: SelfFencing,
  ): Promise<TResult> {
    return callAsyncIn(this, this.context.pendingCalls, fn, timeoutMs, this.selfFence(fencing));
  }

  scheduleRunAsync<TResult>(
    fn: () => TResult | PromiseLike<TResult>,
    delayMs: number,
    fencing: SelfFencing,
  ): ScheduledTask<TResult> {
    validateDelay('scheduleRunAsync', delayMs);
    return scheduleOnce(this, fn, delayMs, this.selfFence(fencing));
  }

  /** @see SchedulingHost.scheduledTimers */
  scheduledTimers(): ScheduledTimers | undefined {
    if (this.actor.getState() === 'TERMINATED') return undefined;
    return (this.timers ??= new ScheduledTimers(this.context.clock));
  }

  /** @see SchedulingHost.selfFence */
  selfFence(fencing: SelfFencing): SelfFence {
    if (!this.hooks.fenced) return (payload) => payload;
    if (fencing === 'unfenced') return (payload) => ({ kind: 'unfenced', payload });
    const token = this.hooks.fencingToken();
    return (payload) => ({ kind: 'fenced', token, payload, self: true });
  }

  getMainThreadExecutor(fencing: SelfFencing): MainThreadExecutor {
    const token = this.hooks.fenced && fencing === 'fenced' ? this.hooks.fencingToken() : undefined;
    this.executors ??= new Map();
    const made = this.executors.get(fencing);
    if (made !== undefined && made.token === token) return made.executor;
    const executor = createMainThreadExecutor(this, fencing);
    this.executors.set(fencing, { token, executor });
    return executor;
  }

  isInMainThread(): boolean {
    return isInTurnOf(this);
  }

  /** Called by the endpoint's actor once it has terminated. */
  terminated(failure: unknown): void {
    this.terminationFailure = failure;
    this.timers?.cancelAll();
    this.mailbox.enqueue(REAP);
  }

  private receive(message: MailboxMessage): void | Promise<void> {
    if (message === REAP) {
      stop(this.actorRef);
      this.mailbox.release();
      this.owner.endpointReaped(this);
      (this.termination ??= new LazyFuture()).settle(this.terminationFailure);
      return;
    }
    try {
      return this.actor.receive(message)?.catch((error: unknown) => this.internalError(error));
    } catch (error) {
      this.internalError(error);
    }
  }

  private internalError(error: unknown): void {
    this.context.logger.error(`Internal error in the actor of ${this.address}: ${String(error)}`, { error });
  }

  private control(command: 'start' | 'stop'): Promise<void> {
    const reply = new OneShotReply();
    if (!this.post({ kind: 'control', command, replyTo: reply.replyTo })) {
      const error = new RpcInvalidStateError(`Cannot ${command} the endpoint at ${this.address}: it has terminated.`);
      reply.complete(0, { ok: false, error });
    }
    return reply.promise;
  }
}
