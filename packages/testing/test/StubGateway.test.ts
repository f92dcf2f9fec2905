import {
  ask,
  defineProtocol,
  FencingTokenError,
  RpcInvalidOptionError,
  tell,
  type FencedGatewayOf,
  type GatewayOf,
} from '@nact-rpc/core';
import {
  deferred,
  eventLoopTurns,
  FencedStubGateway,
  rejectionOf,
  StubGateway,
  StubMethodNotImplementedError,
  thrownBy,
  track,
} from '@nact-rpc/testing';

const Base = defineProtocol('Base', { ping: ask<[], string>() });
const Jobs = defineProtocol(
  'Jobs',
  {
    submit: ask<[name: string, priority: number], string>(),
    status: ask<[jobId: string], 'running' | 'done'>(),
    cancel: ask<[jobId: string, timeoutMs?: number], boolean>({ timeoutArg: 1 }),
    notify: tell<[message: string]>(),
  },
  { extends: [Base] },
);

/** What a component under test takes: a real gateway's type. */
function submitThrough(gateway: GatewayOf<typeof Jobs>, name: string): Promise<string> {
  return gateway.submit(name, 1);
}

describe('StubGateway', () => {
  test('answers asks with its implementations, where a real gateway of the protocol is expected', async () => {
    const stub = new StubGateway(Jobs, {
      submit: (name, priority) => `${name}@${priority}`,
      status: () => Promise.resolve('done' as const),
      ping: () => 'pong',
    });
    expect(await submitThrough(stub.gateway, 'build')).toBe('build@1');
    expect(await stub.gateway.status('job-1')).toBe('done');
    expect(await stub.gateway.ping()).toBe('pong');
  });

  test('rejects a call of a method it has no implementation for with an error naming the method', async () => {
    const stub = new StubGateway(Jobs, {}, { address: 'nact-rpc://cluster/jobs' });
    const error = await rejectionOf(stub.gateway.status('job-1'));
    expect(error).toBeInstanceOf(StubMethodNotImplementedError);
    expect(error).toMatchObject({
      code: 'STUB_METHOD_NOT_IMPLEMENTED',
      protocolName: 'Jobs',
      methodName: 'status',
      address: 'nact-rpc://cluster/jobs',
    });
    expect((error as Error).message).toContain('Jobs.status');
  });

  test('passes on what an implementation throws, as a rejection', async () => {
    const failure = new Error('no capacity');
    const stub = new StubGateway(Jobs, {
      submit: () => {
        throw failure;
      },
    });
    expect(await rejectionOf(stub.gateway.submit('build', 1))).toBe(failure);
  });

  test('records every call, tells and refused asks included, with its arguments, in call order', async () => {
    const stub = new StubGateway(Jobs, { status: () => 'running' });
    stub.gateway.notify('hello');
    const status = stub.gateway.status('job-1');
    const submitted = rejectionOf(stub.gateway.submit('build', 2));
    stub.gateway.notify('bye');
    expect(stub.calls).toEqual([
      { method: 'notify', args: ['hello'] },
      { method: 'status', args: ['job-1'] },
      { method: 'submit', args: ['build', 2] },
      { method: 'notify', args: ['bye'] },
    ]);
    expect(stub.callsOf('notify')).toEqual([['hello'], ['bye']]);
    expect(stub.callsOf('submit')).toEqual([['build', 2]]);
    expect(stub.callsOf('cancel')).toEqual([]);
    await Promise.all([status, submitted]);
    stub.clearCalls();
    expect(stub.calls).toEqual([]);
  });

  test('records a call when it is made and runs the implementation later, as a real gateway does', async () => {
    const ran: string[] = [];
    const stub = new StubGateway(Jobs, { notify: (message) => void ran.push(message) });
    stub.gateway.notify('first');
    expect(stub.calls).toHaveLength(1);
    expect(ran).toEqual([]);
    await Promise.resolve();
    expect(ran).toEqual(['first']);
  });

  test('answers when the implementation settles', async () => {
    const answer = deferred<'running' | 'done'>();
    const stub = new StubGateway(Jobs, { status: () => answer.promise });
    const status = track(stub.gateway.status('job-1'));
    await Promise.resolve();
    expect(status.settled).toBe(false);
    answer.resolve('done');
    await expect(stub.gateway.status('job-2')).resolves.toBe('done');
    expect(status).toEqual({ settled: true, value: 'done' });
  });

  test('keeps what a tell implementation throws in tellFailures', async () => {
    const failure = new Error('bad message');
    const stub = new StubGateway(Jobs, {
      notify: () => {
        throw failure;
      },
    });
    stub.gateway.notify('x');
    await eventLoopTurns();
    expect(stub.tellFailures).toEqual([{ method: 'notify', error: failure }]);
  });

  test('implement() adds or replaces an implementation for later calls', async () => {
    const stub = new StubGateway(Jobs, { status: () => 'running' });
    expect(await stub.gateway.status('a')).toBe('running');
    stub.implement('status', () => 'done').implement('ping', () => 'pong');
    expect(await stub.gateway.status('a')).toBe('done');
    expect(await stub.gateway.ping()).toBe('pong');
  });

  test('runs implementations with the implementations object as this', async () => {
    const implementations = {
      ping(): string {
        return this === implementations ? 'this is the implementations object' : 'another this';
      },
    };
    const stub = new StubGateway(Jobs, implementations);
    expect(await stub.gateway.ping()).toBe('this is the implementations object');
  });

  test('answers getAddress and getHostname, with a generated address by default', () => {
    const remote = new StubGateway(Jobs, {}, { address: 'nact-rpc://rm@node-7.example:6123/jobs' });
    expect(remote.gateway.getAddress()).toBe('nact-rpc://rm@node-7.example:6123/jobs');
    expect(remote.gateway.getHostname()).toBe('node-7.example');
    const generated = new StubGateway(Jobs);
    expect(generated.gateway.getAddress()).toMatch(/^nact-rpc:\/\/stubs\/Jobs-[0-9a-f-]{36}$/);
    expect(generated.gateway.getHostname()).toBe('localhost');
    expect(new StubGateway(Jobs).address).not.toBe(generated.address);
  });

  test('is not a thenable: resolving a promise with the gateway yields the gateway', async () => {
    const stub = new StubGateway(Jobs);
    expect(await Promise.resolve(stub.gateway)).toBe(stub.gateway);
  });

  test('checks a timeout argument as a real gateway does', async () => {
    const stub = new StubGateway(Jobs, { cancel: () => true });
    expect(await stub.gateway.cancel('job-1', 100)).toBe(true);
    const error = await rejectionOf(stub.gateway.cancel('job-1', -1));
    expect(error).toBeInstanceOf(RpcInvalidOptionError);
  });

  test('refuses a bad protocol, implementation, address or method name with an error naming it', () => {
    const cases: [() => unknown, string][] = [
      [() => new StubGateway({} as typeof Jobs), 'protocol'],
      [() => new StubGateway(Jobs, { unknown: () => 1 } as never), 'implementations.unknown'],
      [() => new StubGateway(Jobs, { status: 'done' } as never), 'implementations.status'],
      [() => new StubGateway(Jobs, null as never), 'implementations'],
      [() => new StubGateway(Jobs, {}, { address: 'jobs' }), 'address'],
      [() => new StubGateway(Jobs).callsOf('unknown' as never), 'method'],
      [() => new StubGateway(Jobs).implement('status', 'done' as never), 'implementation'],
    ];
    for (const [make, option] of cases) {
      const error = thrownBy(make);
      expect(error).toBeInstanceOf(RpcInvalidOptionError);
      expect(error).toMatchObject({ option });
    }
  });
});

describe('FencedStubGateway', () => {
  const fencedCalls = (stub: FencedStubGateway<typeof Jobs>) =>
    stub.calls.map(({ method, fencingToken }) => `${method}@${String(fencingToken)}`);

  test('its own gateway is a fenced gateway carrying the stub token', async () => {
    const stub = new FencedStubGateway<typeof Jobs, string>(Jobs, 'session-1', { ping: () => 'pong' });
    const gateway: FencedGatewayOf<typeof Jobs, string> = stub.gateway;
    expect(gateway.getFencingToken()).toBe('session-1');
    expect(await gateway.ping()).toBe('pong');
    expect(stub.calls).toEqual([{ method: 'ping', args: [], fencingToken: 'session-1' }]);
  });

  test('runs calls carrying its token and refuses others with FencingTokenError, recording both', async () => {
    const ran: string[] = [];
    const stub = new FencedStubGateway(Jobs, 'session-2', {
      submit: (name) => `accepted ${name}`,
      notify: (message) => void ran.push(message),
    });
    const stale = stub.gatewayWithToken('session-1');
    const current = stub.gatewayWithToken('session-2');
    expect(stale.getFencingToken()).toBe('session-1');

    const refused = await rejectionOf(stale.submit('old', 1));
    expect(refused).toBeInstanceOf(FencingTokenError);
    expect((refused as Error).message).toContain('session-1');
    stale.notify('dropped');
    expect(await current.submit('new', 1)).toBe('accepted new');
    current.notify('delivered');
    await Promise.resolve();

    expect(ran).toEqual(['delivered']);
    expect(fencedCalls(stub)).toEqual(['submit@session-1', 'notify@session-1', 'submit@session-2', 'notify@session-2']);
  });

  test('follows a leader change: setFencingToken refuses the old token, and the own gateway carries the new one', async () => {
    const stub = new FencedStubGateway(Jobs, 'session-1', { ping: () => 'pong' });
    const old = stub.gatewayWithToken('session-1');
    stub.setFencingToken('session-2');
    await expect(old.ping()).rejects.toBeInstanceOf(FencingTokenError);
    expect(stub.gateway.getFencingToken()).toBe('session-2');
    expect(await stub.gateway.ping()).toBe('pong');
  });

  test('refuses every call while it holds no token', async () => {
    const stub = new FencedStubGateway<typeof Jobs, string>(Jobs, undefined, { ping: () => 'pong' });
    const error = await rejectionOf(stub.gatewayWithToken('session-1').ping());
    expect(error).toBeInstanceOf(FencingTokenError);
    expect((error as Error).message).toContain('holds no fencing token');
  });

  test('refuses a token that is not a string, number or bigint', () => {
    expect(thrownBy(() => new FencedStubGateway(Jobs, {} as never))).toMatchObject({ option: 'fencingToken' });
    const stub = new FencedStubGateway(Jobs, 1);
    expect(thrownBy(() => stub.gatewayWithToken(undefined as never))).toMatchObject({ option: 'fencingToken' });
    expect(thrownBy(() => stub.setFencingToken(null as never))).toMatchObject({ option: 'fencingToken' });
  });
});
