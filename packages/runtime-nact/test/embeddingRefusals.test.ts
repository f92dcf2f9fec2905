import { dispatch, type Ref } from 'nact';
import {
  ask,
  defineProtocol,
  EndpointNotStartedError,
  FencedRpcEndpoint,
  FencingTokenError,
  RpcConnectionError,
  RpcInvalidOptionError,
  serves,
} from '@nact-rpc/core';
import { ACTOR_INVOCATION, invocationMessage, type NactRpcService } from '@nact-rpc/runtime-nact';
import type { RecordingLogger } from '@nact-rpc/testing';
import type { ActorInbox } from './support/actorInbox';
import { useEmbeddedService } from './support/embeddedService';
import { Greeter, GreeterEndpoint, startGreeter } from './support/GreeterEndpoint';

const Unserved = defineProtocol('UnservedGateway', { greet: ask<[name: string], string>() });
const Ledger = defineProtocol('LedgerGateway', {
  append: ask<[entry: string], number>(),
  changeToken: ask<[token: string], void>(),
});

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

/** The error of a failure reply; fails the test for a result. */
function errorOf(reply: unknown): unknown {
  expect(reply).toMatchObject({ type: 'nact-rpc/failure' });
  return (reply as { readonly error: unknown }).error;
}

describe('Invocation messages an embedded endpoint refuses', () => {
  let logger: RecordingLogger;
  let service: NactRpcService;
  let inbox: ActorInbox<unknown>;

  useEmbeddedService((embedded) => ({ logger, service, inbox } = embedded));

  const startedGreeter = (id?: string): Promise<GreeterEndpoint> => startGreeter(service, id);

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

  describe('fenced endpoints', () => {
    async function startedLedger(token: string): Promise<LedgerEndpoint> {
      const ledger = new LedgerEndpoint(service, 'ledger', token);
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
});
