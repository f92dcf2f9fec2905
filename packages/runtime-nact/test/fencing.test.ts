import {
  ask,
  defineProtocol,
  FencedRpcEndpoint,
  FencingTokenError,
  RpcInvalidStateError,
  serves,
  tell,
} from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { RecordingLogger, thrownBy } from '@nact-rpc/testing';

/** What a scheduling test asks the endpoint to schedule before it changes its token. */
type WorkKind = 'runAsync' | 'callAsync' | 'runAsyncWithoutFencing' | 'callAsyncWithoutFencing' | 'scheduleRunAsync';

const Leader = defineProtocol('LeaderGateway', {
  increment: ask<[], number>(),
  bump: tell<[]>(),
  changeToken: ask<[token: string | undefined], void>(),
  scheduleThenChangeToken: ask<[kind: WorkKind, next: string], void>(),
  schedule: ask<[kind: WorkKind], void>(),
});

/** How a promise settled, captured at once so that no rejection goes unhandled. */
type Settled = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

@serves(Leader)
class LeaderEndpoint extends FencedRpcEndpoint<string> {
  calls = 0;
  /** What the scheduled work saw: one entry per piece of work that ran, with the token it saw. */
  readonly ran: string[] = [];
  /** The outcomes of callAsync and callAsyncWithoutFencing work, by the order they were scheduled. */
  readonly outcomes: Promise<Settled>[] = [];

  increment(): number {
    return ++this.calls;
  }
  bump(): void {
    this.calls++;
  }
  changeToken(token: string | undefined): void {
    this.setFencingToken(token);
  }
  scheduleThenChangeToken(kind: WorkKind, next: string): void {
    // The work is scheduled under the current token; the token changes in the same turn, so
    // the work's message is processed after the change.
    this.schedule(kind);
    this.setFencingToken(next);
  }
  schedule(kind: WorkKind): void {
    const label = `${kind} under ${String(this.getFencingToken())}`;
    const work = (): string => {
      this.ran.push(`${label} saw ${String(this.getFencingToken())}`);
      return `${label} result`;
    };
    const settle = (promise: Promise<unknown>): void => {
      this.outcomes.push(
        promise.then(
          (value) => ({ ok: true, value }),
          (error: unknown) => ({ ok: false, error }),
        ),
      );
    };
    switch (kind) {
      case 'runAsync':
        this.runAsync(work);
        return;
      case 'callAsync':
        settle(this.callAsync(work, 5_000));
        return;
      case 'runAsyncWithoutFencing':
        this.runAsyncWithoutFencing(work);
        return;
      case 'callAsyncWithoutFencing':
        settle(this.callAsyncWithoutFencing(work, 5_000));
        return;
      case 'scheduleRunAsync':
        this.scheduleRunAsync(work, 100);
        return;
    }
  }
  /** Calls setFencingToken directly, outside the main thread when called from a test. */
  setTokenFromOutside(token: string | undefined): void {
    this.setFencingToken(token);
  }
}

const Counter = defineProtocol('CounterGateway', { increment: ask<[], number>() });

@serves(Counter)
class NumberCounter extends FencedRpcEndpoint<number> {
  calls = 0;
  increment(): number {
    return ++this.calls;
  }
}

@serves(Counter)
class BigIntCounter extends FencedRpcEndpoint<bigint> {
  calls = 0;
  increment(): number {
    return ++this.calls;
  }
}

describe('FencedRpcEndpoint', () => {
  let logger: RecordingLogger;
  let service: NactRpcService;
  beforeEach(() => {
    logger = new RecordingLogger();
    service = new NactRpcService({ logger });
  });
  afterEach(async () => {
    await service.closeAsync();
  });

  async function startLeader(token: string | undefined): Promise<LeaderEndpoint> {
    const endpoint = new LeaderEndpoint(service, undefined, token);
    await endpoint.start();
    return endpoint;
  }

  test("answers a gateway that carries the endpoint's token", async () => {
    const endpoint = await startLeader('A');
    const gateway = await service.connect(endpoint.getAddress(), Leader, { fencingToken: 'A' });
    expect(gateway.getFencingToken()).toBe('A');
    expect(await gateway.increment()).toBe(1);
    expect(endpoint.calls).toBe(1);
  });

  test('refuses a call that carries another token, without running the method', async () => {
    const endpoint = await startLeader('A');
    const stranger = await service.connect(endpoint.getAddress(), Leader, { fencingToken: 'B' });
    const failure = await stranger.increment().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FencingTokenError);
    expect((failure as FencingTokenError).code).toBe('FENCING_TOKEN');
    expect((failure as Error).message).toContain('LeaderGateway.increment');
    expect(endpoint.calls).toBe(0);
  });

  test('an endpoint without a token refuses every fenced call, saying it holds no token', async () => {
    const endpoint = await startLeader(undefined);
    expect(endpoint.getFencingToken()).toBeUndefined();
    const gateway = await service.connect(endpoint.getAddress(), Leader, { fencingToken: 'A' });
    const failure = await gateway.increment().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FencingTokenError);
    expect((failure as Error).message).toContain('holds no fencing token');
    expect(endpoint.calls).toBe(0);
  });

  test('drops a tell that carries a wrong token and logs it at info', async () => {
    const endpoint = await startLeader('A');
    const stranger = await service.connect(endpoint.getAddress(), Leader, { fencingToken: 'B' });
    const leader = await service.connect(endpoint.getAddress(), Leader, { fencingToken: 'A' });
    stranger.bump();
    // The mailbox is processed in order: once this answer arrives the tell has been handled.
    expect(await leader.increment()).toBe(1);
    expect(endpoint.calls).toBe(1);
    const dropped = logger.find('info', 'Dropped tell LeaderGateway.bump');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]?.message).toContain('does not match');
  });

  test('after a leader change the old token is refused and the new token is answered', async () => {
    const endpoint = await startLeader('A');
    const oldLeader = await service.connect(endpoint.getAddress(), Leader, { fencingToken: 'A' });
    expect(await oldLeader.increment()).toBe(1);
    await oldLeader.changeToken('B');
    expect(endpoint.getFencingToken()).toBe('B');
    await expect(oldLeader.increment()).rejects.toBeInstanceOf(FencingTokenError);
    const newLeader = await service.connect(endpoint.getAddress(), Leader, { fencingToken: 'B' });
    expect(await newLeader.increment()).toBe(2);
    expect(endpoint.calls).toBe(2);
  });

  test('after the token is revoked every caller is refused', async () => {
    const endpoint = await startLeader('A');
    const leader = await service.connect(endpoint.getAddress(), Leader, { fencingToken: 'A' });
    await leader.changeToken(undefined);
    expect(endpoint.getFencingToken()).toBeUndefined();
    const failures = await Promise.all([
      leader.increment().catch((error: unknown) => error),
      endpoint
        .getSelfGateway(Leader)
        .increment()
        .catch((error: unknown) => error),
    ]);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(FencingTokenError);
      expect((failure as Error).message).toContain('holds no fencing token');
    }
    expect(endpoint.calls).toBe(0);
  });

  test('setFencingToken outside the main thread throws RpcInvalidStateError and keeps the token', async () => {
    const endpoint = await startLeader('A');
    expect(() => endpoint.setTokenFromOutside('B')).toThrow(RpcInvalidStateError);
    expect(endpoint.getFencingToken()).toBe('A');
    const leader = await service.connect(endpoint.getAddress(), Leader, { fencingToken: 'A' });
    expect(await leader.increment()).toBe(1);
  });

  test('the self gateway always carries the current token', async () => {
    const endpoint = await startLeader('A');
    const self = endpoint.getSelfGateway(Leader);
    expect(self.getFencingToken()).toBe('A');
    expect(await self.increment()).toBe(1);
    await self.changeToken('B');
    expect(self.getFencingToken()).toBe('B');
    expect(await self.increment()).toBe(2);
    await self.changeToken('C');
    expect(self.getFencingToken()).toBe('C');
    expect(await self.increment()).toBe(3);
  });

  test('while the endpoint holds no token its self gateway is refused', async () => {
    const endpoint = await startLeader(undefined);
    const self = endpoint.getSelfGateway(Leader);
    expect(self.getFencingToken()).toBeUndefined();
    await expect(self.increment()).rejects.toBeInstanceOf(FencingTokenError);
    expect(endpoint.calls).toBe(0);
  });

  describe('work scheduled before a token change', () => {
    test('runAsync is dropped', async () => {
      const endpoint = await startLeader('A');
      const self = endpoint.getSelfGateway(Leader);
      await self.scheduleThenChangeToken('runAsync', 'B');
      await self.schedule('runAsync');
      await self.increment(); // the mailbox has processed both pieces of work
      expect(endpoint.ran).toEqual(['runAsync under B saw B']);
    });

    test('callAsync is rejected with FencingTokenError and does not run', async () => {
      const endpoint = await startLeader('A');
      const self = endpoint.getSelfGateway(Leader);
      await self.scheduleThenChangeToken('callAsync', 'B');
      await self.schedule('callAsync');
      const [underA, underB] = await Promise.all(endpoint.outcomes);
      expect(underA?.ok).toBe(false);
      const failure = underA?.ok === false ? underA.error : undefined;
      expect(failure).toBeInstanceOf(FencingTokenError);
      expect((failure as FencingTokenError).code).toBe('FENCING_TOKEN');
      expect((failure as Error).message).toContain('scheduled under fencing token A');
      expect(underB).toEqual({ ok: true, value: 'callAsync under B result' });
      expect(endpoint.ran).toEqual(['callAsync under B saw B']);
    });

    test('runAsyncWithoutFencing runs and sees the new token', async () => {
      const endpoint = await startLeader('A');
      const self = endpoint.getSelfGateway(Leader);
      await self.scheduleThenChangeToken('runAsyncWithoutFencing', 'B');
      await self.increment();
      expect(endpoint.ran).toEqual(['runAsyncWithoutFencing under A saw B']);
    });

    test('callAsyncWithoutFencing runs, sees the new token and answers', async () => {
      const endpoint = await startLeader('A');
      const self = endpoint.getSelfGateway(Leader);
      await self.scheduleThenChangeToken('callAsyncWithoutFencing', 'B');
      const [outcome] = await Promise.all(endpoint.outcomes);
      expect(outcome).toEqual({ ok: true, value: 'callAsyncWithoutFencing under A result' });
      expect(endpoint.ran).toEqual(['callAsyncWithoutFencing under A saw B']);
    });

    test('scheduleRunAsync is dropped when its timer fires after the change', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      try {
        const endpoint = await startLeader('A');
        const self = endpoint.getSelfGateway(Leader);
        await self.scheduleThenChangeToken('scheduleRunAsync', 'B');
        await self.schedule('scheduleRunAsync');
        await jest.advanceTimersByTimeAsync(99);
        await self.increment();
        expect(endpoint.ran).toEqual([]);
        await jest.advanceTimersByTimeAsync(1);
        await self.increment(); // both timers have posted their work; the mailbox has processed it
        expect(endpoint.ran).toEqual(['scheduleRunAsync under B saw B']);
        expect(logger.find('error', 'runAsync')).toEqual([]);
      } finally {
        jest.useRealTimers();
      }
    });
  });

  describe("constructor arguments, in the shape of RpcEndpoint's (FencedRpcEndpointTest)", () => {
    test('(service, endpointId) makes an endpoint with that id that is not the leader yet', async () => {
      const endpoint = new NumberCounter(service, 'follower');
      await endpoint.start();
      expect(endpoint.getEndpointId()).toBe('follower');
      expect(endpoint.getFencingToken()).toBeUndefined();
      const gateway = await service.connect(endpoint.getAddress(), Counter, { fencingToken: 1 });
      await expect(gateway.increment()).rejects.toBeInstanceOf(FencingTokenError);
    });

    test('(service, endpointId, token) makes a leader with that id and token', async () => {
      const endpoint = new NumberCounter(service, 'leader', 3);
      await endpoint.start();
      expect([endpoint.getEndpointId(), endpoint.getFencingToken()]).toEqual(['leader', 3]);
      const gateway = await service.connect(endpoint.getAddress(), Counter, { fencingToken: 3 });
      expect(await gateway.increment()).toBe(1);
    });

    test('a token given where the id goes, or a token of another type, is refused naming the argument', () => {
      expect(thrownBy(() => new NumberCounter(service, 7 as unknown as string))).toMatchObject({
        code: 'RPC_INVALID_OPTION',
        option: 'endpointId',
        message: expect.stringContaining('(rpcService, endpointId, initialToken), the token last') as unknown,
      });
      expect(thrownBy(() => new NumberCounter(service, 'x', {} as unknown as number))).toMatchObject({
        option: 'fencingToken',
      });
    });
  });

  describe('token types', () => {
    test('string tokens are compared by value', async () => {
      const endpoint = await startLeader('leader-1');
      const gateway = await service.connect(endpoint.getAddress(), Leader, { fencingToken: ['leader', '1'].join('-') });
      expect(await gateway.increment()).toBe(1);
    });

    test('number tokens work, and a string of the same digits is another token', async () => {
      const endpoint = new NumberCounter(service, undefined, 7);
      await endpoint.start();
      const gateway = await service.connect(endpoint.getAddress(), Counter, { fencingToken: 7 });
      expect(await gateway.increment()).toBe(1);
      const asString = await service.connect(endpoint.getAddress(), Counter, { fencingToken: '7' });
      await expect(asString.increment()).rejects.toBeInstanceOf(FencingTokenError);
      const other = await service.connect(endpoint.getAddress(), Counter, { fencingToken: 8 });
      await expect(other.increment()).rejects.toBeInstanceOf(FencingTokenError);
      expect(endpoint.calls).toBe(1);
    });

    test('bigint tokens are compared by value', async () => {
      const endpoint = new BigIntCounter(service, undefined, 5n);
      await endpoint.start();
      const gateway = await service.connect(endpoint.getAddress(), Counter, { fencingToken: BigInt('5') });
      expect(gateway.getFencingToken()).toBe(5n);
      expect(await gateway.increment()).toBe(1);
      const other = await service.connect(endpoint.getAddress(), Counter, { fencingToken: 6n });
      await expect(other.increment()).rejects.toBeInstanceOf(FencingTokenError);
      expect(await endpoint.getSelfGateway(Counter).increment()).toBe(2);
    });
  });

  describe('with forced serialization', () => {
    let serializing: NactRpcService;
    beforeEach(() => {
      serializing = new NactRpcService({ forceSerialization: true, logger });
    });
    afterEach(async () => {
      await serializing.closeAsync();
    });

    test('fenced calls are answered, and a wrong token is still refused with FencingTokenError', async () => {
      const endpoint = new BigIntCounter(serializing, undefined, 5n);
      await endpoint.start();
      const gateway = await serializing.connect(endpoint.getAddress(), Counter, { fencingToken: 5n });
      expect(await gateway.increment()).toBe(1);
      expect(await endpoint.getSelfGateway(Counter).increment()).toBe(2);
      const stranger = await serializing.connect(endpoint.getAddress(), Counter, { fencingToken: 6n });
      const failure = await stranger.increment().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(FencingTokenError);
      expect((failure as FencingTokenError).code).toBe('FENCING_TOKEN');
      expect(endpoint.calls).toBe(2);
    });
  });
});
