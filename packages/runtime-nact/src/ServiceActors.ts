import { spawn, start, stop, type ActorSystemRef, type Ref, type SupervisionActorFunc } from 'nact';
import { RpcInvalidOptionError, RpcInvalidStateError, type Logger } from '@nact-rpc/core';
import { ACTOR_INVOCATION, type ActorInvocation } from './ActorInvocation';
import { onAncestorStop } from './onAncestorStop';
import { receiveActorInvocation, type ActorInvocationTarget } from './receiveActorInvocation';

/** What {@link ServiceActors} needs of the server of an endpoint. */
export interface EndpointActorOwner extends ActorInvocationTarget {
  /** The endpoint's nact actor, as spawned by {@link ServiceActors.spawnEndpointActor}. */
  readonly actorRef: Ref<ActorInvocation>;
  /** The endpoint's actor was stopped by someone other than the endpoint: terminate. */
  actorStopped(): void;
}

/** What a service tells its {@link ServiceActors}. */
export interface ServiceActorsOptions {
  /** The user's nact actor system to embed the service in; `undefined`: start one of its own. */
  readonly system: ActorSystemRef | undefined;
  /** The actor of `system` to spawn the supervisor under; `undefined`: the system's root. */
  readonly parent: Ref<unknown> | undefined;
  readonly serviceName: string;
  /** The service's incarnation id, which makes an embedded supervisor's name unique. */
  readonly incarnation: string;
  readonly logger: Logger;
  /** The server of the live endpoint with this id, if any. */
  readonly serverOf: (endpointId: string) => EndpointActorOwner | undefined;
  /** Called once if the supervisor stops although {@link ServiceActors.stop} was not called. */
  readonly onStoppedFromOutside: () => void;
}

/**
 * A service's place in a nact actor system: its supervisor actor and, under it, one actor
 * per endpoint (named after the endpoint's id). A service either owns its system (started
 * here, stopped with the service) or is embedded in its user's (then the supervisor is a
 * child of the system or of the user's `parent` actor, named `rpc-<service>-<incarnation>`
 * so that several services can share one parent, and only the supervisor is stopped).
 *
 * Endpoint actors do not deliver the endpoint's calls (its mailbox does); they receive the
 * {@link ActorInvocation}s of plain nact actors and post them to that mailbox.
 *
 * Stops are watched: if an endpoint's actor alone is stopped (nact's `afterStop`), that
 * endpoint terminates; if the supervisor is stopped (its `afterStop`), or the user stops the
 * system or an actor above the supervisor (see {@link onAncestorStop}: nact does not run the
 * `afterStop` of descendants), the service is told, and closes.
 */
export class ServiceActors {
  /** Whether the service started the actor system itself, and stops it on close. */
  private readonly ownsSystem: boolean;
  private readonly system: ActorSystemRef;
  private readonly supervisor: Ref<unknown>;
  private readonly logger: Logger;
  private readonly serverOf: (endpointId: string) => EndpointActorOwner | undefined;
  private readonly onStoppedFromOutside: () => void;
  /** Endpoints that were sent a message they do not understand, warned about once each. */
  private readonly warnedUnknown = new WeakSet<EndpointActorOwner>();
  private stopping = false;
  /** Stops listening on the stops of the actors above the supervisor of an embedded service. */
  private unwatchAncestors: (() => void) | undefined;

  /** @throws RpcInvalidOptionError if `system` or `parent` is not a running nact actor (system). */
  constructor(options: ServiceActorsOptions) {
    this.logger = options.logger;
    this.serverOf = options.serverOf;
    this.onStoppedFromOutside = options.onStoppedFromOutside;
    const afterStop = (): void => this.supervisorStopped();
    if (options.system === undefined) {
      if (options.parent !== undefined) {
        throw new RpcInvalidOptionError(
          'Invalid parent: it needs `system`, the nact actor system the parent actor belongs to: ' +
            '`new NactRpcService({ system, parent })`.',
          { option: 'parent' },
        );
      }
      // nact keeps actor systems in one map per process, by name; without a name it draws a
      // random one, so services that own their systems never share one.
      this.ownsSystem = true;
      this.system = start();
      this.supervisor = spawn(this.system, keepState, 'rpc', { afterStop });
      return;
    }
    validateRefs(options.system, options.parent);
    this.ownsSystem = false;
    this.system = options.system;
    const option = options.parent === undefined ? 'system' : 'parent';
    try {
      this.supervisor = spawn(
        options.parent ?? options.system,
        keepState,
        `rpc-${options.serviceName}-${options.incarnation}`,
        {
          afterStop,
        },
      );
    } catch (cause) {
      throw new RpcInvalidOptionError(
        `Invalid ${option}: the nact ${option === 'system' ? 'actor system' : 'actor'} has stopped, or belongs to another ` +
          `copy of the nact package; service ${options.serviceName} cannot run its actors in it.`,
        { option, cause },
      );
    }
    this.unwatchAncestors = onAncestorStop(options.parent ?? options.system, afterStop);
    if (this.unwatchAncestors === undefined) {
      this.logger.warn(
        `Service ${options.serviceName} cannot watch the nact ${option} it runs in (this nact version's internals differ from ` +
          `7.6.2's): stopping it will not close the service. Close the service first.`,
      );
    }
  }

  /**
   * Spawns the actor of an endpoint under the supervisor.
   * @throws RpcInvalidStateError if the supervisor has stopped (the user stopped the system or parent).
   */
  spawnEndpointActor(endpointId: string): Ref<ActorInvocation> {
    try {
      return spawn(this.supervisor, this.actorFunction, endpointId, {
        onCrash: this.onCrash,
        afterStop: this.afterEndpointStop,
      });
    } catch (cause) {
      throw new RpcInvalidStateError(
        `Cannot start endpoint ${endpointId}: the actors of the service have stopped (its nact actor system or parent actor ` +
          `was stopped, and the service is closing).`,
        { cause },
      );
    }
  }

  /**
   * Stops the supervisor, and the system if the service owns it. The endpoint actors were
   * stopped one by one as their endpoints terminated (nact's cascade would only cut them off).
   */
  stop(): void {
    this.stopping = true;
    this.unwatchAncestors?.();
    stop(this.supervisor);
    if (this.ownsSystem) stop(this.system);
  }

  private supervisorStopped(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.onStoppedFromOutside();
  }

  /** The owner of the endpoint actor `self`, if it is still that actor's (ids can be reused). */
  private ownerOf(context: ActorIdentity): EndpointActorOwner | undefined {
    const owner = this.serverOf(context.name);
    return owner?.actorRef === context.self ? owner : undefined;
  }

  /** The function of every endpoint actor: invocations from plain nact actors. One for all: no closure per endpoint. */
  private readonly actorFunction = (state: undefined, message: unknown, context: ActorIdentity): undefined => {
    const owner = this.ownerOf(context);
    if (owner === undefined || receiveActorInvocation(message, owner, this.logger)) return state;
    if (this.warnedUnknown.has(owner)) {
      this.logger.debug(`The actor of endpoint ${owner.address} dropped another message it does not understand.`, {
        message,
      });
    } else {
      this.warnedUnknown.add(owner);
      this.logger.warn(
        `The actor of endpoint ${owner.address} dropped a message it does not understand (further ones are logged at ` +
          `debug level): it only accepts { type: '${ACTOR_INVOCATION}', ... } invocations, built with invocationMessage().`,
        { message },
      );
    }
    return state;
  };

  /** The supervision of every endpoint actor: an error inside the runtime is logged, the actor goes on. */
  private readonly onCrash: SupervisionActorFunc<unknown, Ref<unknown>, Ref<unknown>> = (_message, error, context) => {
    this.logger.error(`Internal error in the actor of endpoint ${context.name}: ${String(error)}`, { error });
    return context.resume;
  };

  /** Runs a macrotask after an endpoint's actor has stopped, whoever stopped it. */
  private readonly afterEndpointStop = (_state: undefined, context: ActorIdentity): void => {
    // Absent when the endpoint itself stopped its actor on termination.
    this.ownerOf(context)?.actorStopped();
  };
}

/** What the service reads of a nact actor context. */
interface ActorIdentity {
  readonly name: string;
  readonly self: Ref<unknown>;
}

function keepState(state: undefined): undefined {
  return state;
}

/**
 * nact's references are opaque in its types; at run time each carries a `type` ('system',
 * 'actor', 'temp') and its system's name. Checking them refuses, at once and by name, a value
 * that is not what the option needs (a service, an endpoint, a query's temporary reference).
 */
function validateRefs(system: unknown, parent: unknown): void {
  if (!isRef(system, 'system')) {
    throw RpcInvalidOptionError.forValue('system', system, "a nact actor system, as returned by nact's start()");
  }
  if (parent === undefined) return;
  if (!isRef(parent, 'actor') && !isRef(parent, 'system')) {
    throw RpcInvalidOptionError.forValue('parent', parent, "a nact actor reference, as returned by nact's spawn()");
  }
  if (parent.system.name !== system.system.name) {
    throw new RpcInvalidOptionError(
      `Invalid parent: the actor belongs to nact actor system ${String(parent.system.name)}, not to the one given as \`system\` ` +
        `(${String(system.system.name)}).`,
      { option: 'parent' },
    );
  }
}

function isRef(
  value: unknown,
  type: string,
): value is { readonly type: string; readonly system: { readonly name: unknown } } {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { readonly type?: unknown; readonly system?: unknown };
  return candidate.type === type && typeof candidate.system === 'object' && candidate.system !== null;
}
