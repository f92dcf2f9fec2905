import { dispatch, query, spawn, start, stop, type ActorContext, type ActorSystemRef, type Ref } from 'nact';
import {
  ask,
  defineProtocol,
  EndpointNotStartedError,
  FencedRpcEndpoint,
  FencingTokenError,
  RecipientUnreachableError,
  RpcConnectionError,
  RpcEndpoint,
  RpcInvalidOptionError,
  RpcInvalidStateError,
  serves,
  tell,
  type RpcService,
} from '@nact-rpc/core';
import {
  ACTOR_INVOCATION,
  invocationMessage,
  isActorInvocationReply,
  NactRpcService,
  type ActorInvocationReply,
} from '@nact-rpc/runtime-nact';
import { thrownBy } from '../../../test/support/failures';
import { spawnInbox, type ActorInbox } from './support/actorInbox';
import { RecordingLogger } from '../../../test/support/RecordingLogger';

const Greeter = defineProtocol('GreeterGateway', {
  greet: ask<[name: string], string>(),
  fail: ask<[], void>(),
  note: tell<[line: string]>(),
  inMainThread: ask<[], boolean>(),
  hang: ask<[], void>(),
  announce: ask<[text: string], void>(),
});
const Unserved = defineProtocol('UnservedGateway', { greet: ask<[name: string], string>() });
const Ledger = defineProtocol('LedgerGateway', {
  append: ask<[entry: string], number>(),
  changeToken: ask<[token: string], void>(),
});

/** What a greeter tells the user's actor it was given. */
interface Announcement {
  readonly type: 'announcement';
  readonly text: string;
  readonly from: string;
}

@serves(Greeter)
class GreeterEndpoint extends RpcEndpoint {
  readonly calls: string[] = [];
  readonly failure = new RangeError('the greeter failed');
  stops = 0;

  constructor(
    service: RpcService,
    id: string,
    private readonly audience?: Ref<Announcement>,
  ) {
    super(service, id);
  }

  greet(name: string): string {
    this.calls.push(`greet ${name}`);
    return `hello ${name}`;
  }
  fail(): void {
    throw this.failure;
  }
  note(line: string): void {
    this.calls.push(`note ${line}`);
  }
  inMainThread(): boolean {
    this.validateRunsInMainThread();
    return true;
  }
  hang(): Promise<void> {
    return new Promise<void>(() => {});
  }
  announce(text: string): void {
    if (this.audience !== undefined) dispatch(this.audience, { type: 'announcement', text, from: this.getAddress() });
  }
  protected override onStop(): void {
    this.stops++;
  }
}

@serves(Ledger)
class LedgerEndpoint extends FencedRpcEndpoint<string> {
  readonly entries: string[] = [];
  append(entry: string): number {
    return this.entries.push(entry);
  }
  changeToken(token: string): void {
    this.setFencingToken(token);
  }
}

type CounterMessage = { readonly type: 'increment' } | { readonly type: 'get'; readonly replyTo: Ref<number> };

/** A user's actor with state of its own, to show it keeps answering. */
function spawnCounter(parent: Ref<unknown>, name = 'counter'): Ref<CounterMessage> {
  return spawn(
    parent,
    (count: number, message: CounterMessage) => {
      if (message.type === 'increment') return count + 1;
      dispatch(message.replyTo, count);
      return count;
    },
    name,
    { initialState: 0 },
  );
}

function countOf(counter: Ref<CounterMessage>): Promise<number> {
  return query(counter, (replyTo: Ref<number>): CounterMessage => ({ type: 'get', replyTo }), 5_000);
}

type ClientMessage =
  | { readonly type: 'greetViaGateway'; readonly name: string; readonly replyTo: Ref<string> }
  | { readonly type: 'greetViaMessage'; readonly name: string; readonly replyTo: Ref<string> }
  | ActorInvocationReply;

interface ClientState {
  readonly nextCorrelationId: number;
  readonly waiting: ReadonlyMap<number, Ref<string>>;
}

/** A user's actor that calls a greeter, as an application would write it: through a gateway, or with messages. */
function spawnClient(parent: Ref<unknown>, service: NactRpcService, greeter: GreeterEndpoint): Ref<ClientMessage> {
  return spawn(
    parent,
    async (
      state: ClientState,
      message: ClientMessage,
      context: ActorContext<ClientMessage, Ref<unknown>>,
    ): Promise<ClientState> => {
      if (isActorInvocationReply(message)) {
        const replyTo = state.waiting.get(message.correlationId as number);
        if (replyTo !== undefined) {
          dispatch(
            replyTo,
            message.type === 'nact-rpc/result' ? String(message.value) : `failed: ${String(message.error)}`,
          );
        }
        const waiting = new Map(state.waiting);
        waiting.delete(message.correlationId as number);
        return { ...state, waiting };
      }
      if (message.type === 'greetViaGateway') {
        const gateway = await service.connect(greeter.getAddress(), Greeter);
        dispatch(message.replyTo, await gateway.greet(message.name));
        return state;
      }
      const correlationId = state.nextCorrelationId;
      const invocation = invocationMessage(Greeter, 'greet', [message.name], { replyTo: context.self, correlationId });
      dispatch(service.actorOf(greeter), invocation);
      return {
        nextCorrelationId: correlationId + 1,
        waiting: new Map(state.waiting).set(correlationId, message.replyTo),
      };
    },
    'client',
    { initialState: { nextCorrelationId: 1, waiting: new Map() } },
  );
}

/** The error of a failure reply; fails the test for a result. */
function errorOf(reply: unknown): unknown {
  expect(reply).toMatchObject({ type: 'nact-rpc/failure' });
  return (reply as { readonly error: unknown }).error;
}

describe('NactRpcService embedded in a nact actor system', () => {
  let system: ActorSystemRef;
  let logger: RecordingLogger;
  let service: NactRpcService;
  let inbox: ActorInbox<unknown>;

  beforeEach(() => {
    system = start();
    logger = new RecordingLogger();
    service = new NactRpcService({ system, name: 'embedded', logger });
    inbox = spawnInbox(system, 'inbox');
  });
  afterEach(async () => {
    await service.closeAsync();
    stop(system);
  });

  async function startedGreeter(id = 'greeter', audience?: Ref<Announcement>): Promise<GreeterEndpoint> {
    const greeter = new GreeterEndpoint(service, id, audience);
    await greeter.start();
    return greeter;
  }

  describe('closing', () => {
    test('stops only the service’s actors: the user’s actors answer and the system runs on', async () => {
      const counter = spawnCounter(system);
      const greeter = await startedGreeter();
      const gateway = await service.connect(greeter.getAddress(), Greeter);
      expect(await gateway.greet('ada')).toBe('hello ada');
      dispatch(counter, { type: 'increment' });

      await service.closeAsync();

      expect(greeter.stops).toBe(1);
      await expect(greeter.getTerminationFuture()).resolves.toBeUndefined();
      expect(await countOf(counter)).toBe(1);
      const newcomer = spawnCounter(system, 'spawned-after-close');
      dispatch(newcomer, { type: 'increment' });
      expect(await countOf(newcomer)).toBe(1);
      expect(() => service.actorOf(greeter)).toThrow(RpcConnectionError);
    });

    test('two services share one system, and closing one leaves the other serving', async () => {
      const other = new NactRpcService({ system, name: 'embedded', logger });
      try {
        const mine = await startedGreeter('greeter');
        const theirs = new GreeterEndpoint(other, 'greeter');
        await theirs.start();

        await service.closeAsync();

        dispatch(other.actorOf(theirs), invocationMessage(Greeter, 'greet', ['bob'], { replyTo: inbox.ref }));
        expect(await inbox.next()).toMatchObject({ type: 'nact-rpc/result', value: 'hello bob' });
        expect(theirs.calls).toEqual(['greet bob']);
        expect(mine.calls).toEqual([]);
      } finally {
        await other.closeAsync();
      }
      expect(await countOf(spawnCounter(system))).toBe(0);
    });

    test('a service made with create({ system, listen }) serves over TCP and leaves the system running when closed', async () => {
      const listening = await NactRpcService.create({
        system,
        name: 'listening',
        logger,
        listen: { host: '127.0.0.1', port: 0 },
      });
      const caller = new NactRpcService({ name: 'caller', logger });
      try {
        const greeter = new GreeterEndpoint(listening, 'greeter');
        await greeter.start();
        const gateway = await caller.connect(greeter.getAddress(), Greeter);
        expect(await gateway.greet('remote')).toBe('hello remote');
      } finally {
        await caller.closeAsync();
        await listening.closeAsync();
      }
      expect(await countOf(spawnCounter(system))).toBe(0);
    });
  });

  describe('when the user stops the actors above it', () => {
    test('stopping the system closes the service: endpoints terminate, onStop runs, pending calls fail', async () => {
      const greeter = await startedGreeter();
      const gateway = await service.connect(greeter.getAddress(), Greeter);
      const pending = gateway.hang();

      stop(system);
      await service.getTerminationFuture();

      expect(greeter.stops).toBe(1);
      await expect(greeter.getTerminationFuture()).resolves.toBeUndefined();
      await expect(pending).rejects.toBeInstanceOf(RecipientUnreachableError);
      expect(() => new GreeterEndpoint(service, 'late')).toThrow(RpcInvalidStateError);
      await expect(service.connect(greeter.getAddress(), Greeter)).rejects.toBeInstanceOf(RpcInvalidStateError);
      expect(logger.find('info', 'the service closes')).toHaveLength(1);
    });

    test('stopping the parent actor closes a service spawned under it; the rest of the system runs on', async () => {
      const parent = spawn(system, (state: undefined) => state, 'rpc-parent');
      const child = new NactRpcService({ system, parent, name: 'child', logger });
      const greeter = new GreeterEndpoint(child, 'greeter');
      await greeter.start();
      const counter = spawnCounter(system);

      stop(parent);
      await child.getTerminationFuture();

      expect(greeter.stops).toBe(1);
      expect(await countOf(counter)).toBe(0);
      // The service in the system's root is not under that parent.
      const mine = await startedGreeter();
      dispatch(service.actorOf(mine), invocationMessage(Greeter, 'greet', ['still here'], { replyTo: inbox.ref }));
      expect(await inbox.next()).toMatchObject({ value: 'hello still here' });
    });

    test('stopping an actor further up closes the service too, and stopping the system closes every service in it', async () => {
      const grandparent = spawn(system, (state: undefined) => state, 'grandparent');
      const parent = spawn(grandparent, (state: undefined) => state, 'parent');
      const nested = new NactRpcService({ system, parent, name: 'nested', logger });
      const sibling = new NactRpcService({ system, parent, name: 'sibling', logger });

      stop(grandparent);
      await Promise.all([nested.getTerminationFuture(), sibling.getTerminationFuture()]);

      expect(await countOf(spawnCounter(system))).toBe(0);
      stop(system);
      await service.getTerminationFuture();
    });

    test('stopping an endpoint’s actor terminates that endpoint only', async () => {
      const stopped = await startedGreeter('stopped');
      const kept = await startedGreeter('kept');

      stop(service.actorOf(stopped));
      await stopped.getTerminationFuture();

      expect(stopped.stops).toBe(1);
      expect(() => service.actorOf(stopped)).toThrow(RpcConnectionError);
      const gateway = await service.connect(kept.getAddress(), Greeter);
      expect(await gateway.greet('kept')).toBe('hello kept');
    });
  });

  describe('plain actors and endpoints', () => {
    test('a plain actor calls an endpoint through a gateway from inside its handler', async () => {
      const greeter = await startedGreeter();
      const client = spawnClient(system, service, greeter);

      const greeting = await query(
        client,
        (replyTo: Ref<string>): ClientMessage => ({ type: 'greetViaGateway', name: 'ada', replyTo }),
        5_000,
      );

      expect(greeting).toBe('hello ada');
    });

    test('a plain actor calls an endpoint with invocation messages and gets the replies as messages', async () => {
      const greeter = await startedGreeter();
      const client = spawnClient(system, service, greeter);
      const greet = (name: string): Promise<string> =>
        query(client, (replyTo: Ref<string>): ClientMessage => ({ type: 'greetViaMessage', name, replyTo }), 5_000);

      expect(await Promise.all([greet('ada'), greet('bob')])).toEqual(['hello ada', 'hello bob']);
      expect(greeter.calls).toEqual(['greet ada', 'greet bob']);
    });

    test('the reply echoes the correlation id, protocol and method', async () => {
      const greeter = await startedGreeter();
      dispatch(
        service.actorOf(greeter.getAddress()),
        invocationMessage(Greeter, 'greet', ['ada'], { replyTo: inbox.ref, correlationId: 'call-7' }),
      );
      expect(await inbox.next()).toEqual({
        type: 'nact-rpc/result',
        correlationId: 'call-7',
        protocol: 'GreeterGateway',
        method: 'greet',
        value: 'hello ada',
      });
    });

    test('invocations run in the endpoint’s main thread, in the order they were sent', async () => {
      const greeter = await startedGreeter();
      const actor = service.actorOf(greeter);
      dispatch(actor, invocationMessage(Greeter, 'note', ['first']));
      dispatch(actor, invocationMessage(Greeter, 'greet', ['second']));
      dispatch(actor, invocationMessage(Greeter, 'note', ['third']));
      dispatch(actor, invocationMessage(Greeter, 'inMainThread', [], { replyTo: inbox.ref }));

      expect(await inbox.next()).toMatchObject({ type: 'nact-rpc/result', value: true });
      expect(greeter.calls).toEqual(['note first', 'greet second', 'note third']);
    });

    test('a tell is never answered, even if the message names a replyTo', async () => {
      const greeter = await startedGreeter();
      const actor = service.actorOf(greeter);
      dispatch(actor, {
        type: ACTOR_INVOCATION,
        protocol: 'GreeterGateway',
        method: 'note',
        args: ['x'],
        replyTo: inbox.ref,
        correlationId: 1,
      });
      dispatch(actor, invocationMessage(Greeter, 'greet', ['y'], { replyTo: inbox.ref, correlationId: 2 }));

      // The tell ran first; had it been answered, its reply would have come first.
      expect(await inbox.next()).toMatchObject({ correlationId: 2, value: 'hello y' });
      expect(greeter.calls).toEqual(['note x', 'greet y']);
    });

    test('an endpoint messages a plain actor it was given', async () => {
      const audience = spawnInbox<Announcement>(system, 'audience');
      const greeter = await startedGreeter('greeter', audience.ref);
      const gateway = await service.connect(greeter.getAddress(), Greeter);

      await gateway.announce('lunch is ready');

      expect(await audience.next()).toEqual({
        type: 'announcement',
        text: 'lunch is ready',
        from: greeter.getAddress(),
      });
    });
  });

  describe('refused invocations', () => {
    test('a protocol the endpoint does not serve is refused with an RpcConnectionError naming protocol and method', async () => {
      const greeter = await startedGreeter();
      dispatch(service.actorOf(greeter), invocationMessage(Unserved, 'greet', ['x'], { replyTo: inbox.ref }));
      const error = errorOf(await inbox.next());
      expect(error).toBeInstanceOf(RpcConnectionError);
      expect((error as Error).message).toContain('does not serve protocol UnservedGateway');
      expect((error as Error).message).toContain('UnservedGateway.greet');
      expect(greeter.calls).toEqual([]);
    });

    test('a method the protocol does not have is refused with an RpcConnectionError', async () => {
      const greeter = await startedGreeter();
      dispatch(service.actorOf(greeter), {
        type: ACTOR_INVOCATION,
        protocol: 'GreeterGateway',
        method: 'shout',
        args: [],
        replyTo: inbox.ref,
      });
      const error = errorOf(await inbox.next());
      expect(error).toBeInstanceOf(RpcConnectionError);
      expect((error as Error).message).toContain('GreeterGateway has no method shout');
    });

    test('an endpoint that is not started answers EndpointNotStartedError', async () => {
      const greeter = new GreeterEndpoint(service, 'idle');
      dispatch(service.actorOf(greeter), invocationMessage(Greeter, 'greet', ['x'], { replyTo: inbox.ref }));
      expect(errorOf(await inbox.next())).toBeInstanceOf(EndpointNotStartedError);
      expect(greeter.calls).toEqual([]);
    });

    test('an error the method throws reaches the reply as the same object', async () => {
      const greeter = await startedGreeter();
      dispatch(service.actorOf(greeter), invocationMessage(Greeter, 'fail', [], { replyTo: inbox.ref }));
      expect(errorOf(await inbox.next())).toBe(greeter.failure);
    });

    test('a malformed invocation is refused with an RpcInvalidOptionError naming the field', async () => {
      const greeter = await startedGreeter();
      const untyped = service.actorOf(greeter) as Ref<unknown>;
      dispatch(untyped, {
        type: ACTOR_INVOCATION,
        protocol: 'GreeterGateway',
        method: 'greet',
        args: 'ada',
        replyTo: inbox.ref,
      });
      const error = errorOf(await inbox.next());
      expect(error).toBeInstanceOf(RpcInvalidOptionError);
      expect(error).toMatchObject({ option: 'args' });
    });

    test('a message that is not an invocation is logged once as a warning, then at debug level', async () => {
      const greeter = await startedGreeter();
      const actor = service.actorOf(greeter) as Ref<unknown>;
      dispatch(actor, 'hello?');
      dispatch(actor, { type: 'ping' });
      dispatch(actor, invocationMessage(Greeter, 'greet', ['after'], { replyTo: inbox.ref }));

      // Processed in order: once the invocation is answered, both were handled.
      expect(await inbox.next()).toMatchObject({ value: 'hello after' });
      expect(logger.find('warn', 'does not understand')).toHaveLength(1);
      expect(logger.find('debug', 'does not understand')).toHaveLength(1);
    });

    test('the invocation builder refuses a method the protocol does not have', () => {
      expect(() => invocationMessage(Greeter, 'shout' as 'greet', ['x'])).toThrow(RpcInvalidOptionError);
    });
  });

  describe('fenced endpoints', () => {
    async function startedLedger(token: string): Promise<LedgerEndpoint> {
      const ledger = new LedgerEndpoint(service, token, 'ledger');
      await ledger.start();
      return ledger;
    }

    test('run an invocation that carries the current token', async () => {
      const ledger = await startedLedger('session-1');
      dispatch(
        service.actorOf(ledger),
        invocationMessage(Ledger, 'append', ['a'], { replyTo: inbox.ref, fencingToken: 'session-1' }),
      );
      expect(await inbox.next()).toMatchObject({ type: 'nact-rpc/result', value: 1 });
    });

    test('refuse a stale token after a leader change, and a missing one, with FencingTokenError', async () => {
      const ledger = await startedLedger('session-1');
      const actor = service.actorOf(ledger);
      dispatch(
        actor,
        invocationMessage(Ledger, 'changeToken', ['session-2'], { replyTo: inbox.ref, fencingToken: 'session-1' }),
      );
      expect(await inbox.next()).toMatchObject({ type: 'nact-rpc/result' });

      dispatch(
        actor,
        invocationMessage(Ledger, 'append', ['stale'], { replyTo: inbox.ref, fencingToken: 'session-1' }),
      );
      expect(errorOf(await inbox.next())).toBeInstanceOf(FencingTokenError);
      dispatch(actor, invocationMessage(Ledger, 'append', ['no token'], { replyTo: inbox.ref }));
      expect(errorOf(await inbox.next())).toBeInstanceOf(FencingTokenError);
      dispatch(
        actor,
        invocationMessage(Ledger, 'append', ['current'], { replyTo: inbox.ref, fencingToken: 'session-2' }),
      );
      expect(await inbox.next()).toMatchObject({ value: 1 });
      expect(ledger.entries).toEqual(['current']);
    });

    test('an unfenced endpoint refuses an invocation that carries a token', async () => {
      const greeter = await startedGreeter();
      dispatch(
        service.actorOf(greeter),
        invocationMessage(Greeter, 'greet', ['x'], { replyTo: inbox.ref, fencingToken: 'session-1' }),
      );
      expect(errorOf(await inbox.next())).toBeInstanceOf(FencingTokenError);
    });
  });

  describe('options and accessors', () => {
    test.each([
      ['a system that is not a nact system', () => ({ system: {} as ActorSystemRef }), 'system'],
      ['a parent without a system', (s: ActorSystemRef) => ({ parent: spawnCounter(s, 'orphan') }), 'parent'],
      ['a parent of another system', () => ({ system, parent: spawnCounter(start(), 'stranger') }), 'parent'],
    ])('refuses %s with RpcInvalidOptionError', (_name, options, option) => {
      const error = thrownBy(() => new NactRpcService({ logger, ...options(system) }));
      expect(error).toBeInstanceOf(RpcInvalidOptionError);
      expect(error).toMatchObject({ option });
    });

    test('refuses a system that has stopped', () => {
      const stopped = start();
      stop(stopped);
      const error = thrownBy(() => new NactRpcService({ system: stopped, logger }));
      expect(error).toBeInstanceOf(RpcInvalidOptionError);
      expect(error).toMatchObject({ option: 'system' });
    });

    test('actorOf refuses an endpoint of another service and an address with no endpoint', async () => {
      const other = new NactRpcService({ system, name: 'embedded', logger });
      try {
        const theirs = new GreeterEndpoint(other, 'theirs');
        expect(() => service.actorOf(theirs)).toThrow(RpcConnectionError);
        expect(() => service.actorOf('nact-rpc://embedded/nobody')).toThrow(RpcConnectionError);
      } finally {
        await other.closeAsync();
      }
    });
  });
});
