import { dispatch, query, spawn, start, stop, type ActorSystemRef, type Ref } from 'nact';
import {
  RecipientUnreachableError,
  RpcConnectionError,
  RpcInvalidOptionError,
  RpcInvalidStateError,
} from '@nact-rpc/core';
import { invocationMessage, NactRpcService } from '@nact-rpc/runtime-nact';
import { thrownBy } from '@nact-rpc/testing';
import type { RecordingLogger } from '@nact-rpc/testing';
import type { ActorInbox } from './support/actorInbox';
import { useEmbeddedService } from './support/embeddedService';
import { Greeter, GreeterEndpoint, startGreeter } from './support/GreeterEndpoint';

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

describe('NactRpcService embedded in a nact actor system', () => {
  let system: ActorSystemRef;
  let logger: RecordingLogger;
  let service: NactRpcService;
  let inbox: ActorInbox<unknown>;

  useEmbeddedService((embedded) => ({ system, logger, service, inbox } = embedded));

  const startedGreeter = (id?: string): Promise<GreeterEndpoint> => startGreeter(service, id);

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
