import { dispatch, query, spawn, type ActorContext, type ActorSystemRef, type Ref } from 'nact';
import {
  ACTOR_INVOCATION,
  invocationMessage,
  isActorInvocationReply,
  type ActorInvocationReply,
  type NactRpcService,
} from '@nact-rpc/runtime-nact';
import { spawnInbox, type ActorInbox } from './support/actorInbox';
import { useEmbeddedService } from './support/embeddedService';
import { Greeter, startGreeter, type Announcement, type GreeterEndpoint } from './support/GreeterEndpoint';

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

describe('Plain nact actors and the endpoints of an embedded service', () => {
  let system: ActorSystemRef;
  let service: NactRpcService;
  let inbox: ActorInbox<unknown>;

  useEmbeddedService((embedded) => ({ system, service, inbox } = embedded));

  const startedGreeter = (id?: string, audience?: Ref<Announcement>): Promise<GreeterEndpoint> =>
    startGreeter(service, id, audience);

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
