import { ask, defineProtocol, RpcEndpoint, RpcTimeoutError, serves, tell } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';

/**
 * Under jest's fake timers (default options: `setImmediate`, `queueMicrotask` and
 * `process.nextTick` are faked too), the runtime's own delivery keeps running, and the timers
 * a user controls (ask and callAsync timeouts, scheduleRunAsync) move only with fake time.
 */
const ClockProtocol = defineProtocol('ClockGateway', {
  echo: ask<[value: number], number>(),
  never: ask<[], string>(),
  neverWithin: ask<[timeoutMs: number], string>({ timeoutArg: 0 }),
  note: tell<[value: number]>(),
});

@serves(ClockProtocol)
class ClockEndpoint extends RpcEndpoint {
  readonly notes: number[] = [];
  echo(value: number): number {
    return value;
  }
  never(): Promise<string> {
    return new Promise(() => undefined);
  }
  neverWithin(): Promise<string> {
    return new Promise(() => undefined);
  }
  note(value: number): void {
    this.notes.push(value);
  }
  later(fn: () => void, delayMs: number): void {
    this.scheduleRunAsync(fn, delayMs);
  }
  callWithin<T>(fn: () => T | Promise<T>, timeoutMs: number): Promise<T> {
    return this.callAsync(fn, timeoutMs);
  }
}

async function startedEndpoint(service: NactRpcService): Promise<ClockEndpoint> {
  const endpoint = new ClockEndpoint(service);
  await endpoint.start();
  return endpoint;
}

describe('NactRpcService under fake timers', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  test('starts, answers calls and closes without advancing the clock', async () => {
    jest.useFakeTimers();
    const service = new NactRpcService();
    const endpoint = await startedEndpoint(service);
    const gateway = await service.connect(endpoint.getAddress(), ClockProtocol);
    expect(await gateway.echo(7)).toBe(7);
    expect(await endpoint.getSelfGateway(ClockProtocol).echo(8)).toBe(8);
    await service.closeAsync();
  });

  test('an ask times out when the fake clock passes its timeout, and not before', async () => {
    jest.useFakeTimers();
    const service = new NactRpcService({ askTimeoutMs: 5_000 });
    const endpoint = await startedEndpoint(service);
    const gateway = await service.connect(endpoint.getAddress(), ClockProtocol);
    const settled = jest.fn();
    const call = gateway.never();
    call.then(settled, settled);
    await jest.advanceTimersByTimeAsync(4_999);
    expect(settled).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    await expect(call).rejects.toBeInstanceOf(RpcTimeoutError);
    const withTimeoutArgument = expect(gateway.neverWithin(50)).rejects.toBeInstanceOf(RpcTimeoutError);
    await jest.advanceTimersByTimeAsync(50);
    await withTimeoutArgument;
    await service.closeAsync();
  }, 10_000);

  test('scheduleRunAsync runs when fake time reaches its delay, in the main thread', async () => {
    jest.useFakeTimers();
    const service = new NactRpcService();
    const endpoint = await startedEndpoint(service);
    const ran: boolean[] = [];
    endpoint.later(() => ran.push(endpoint.isRunning()), 1_000);
    await jest.advanceTimersByTimeAsync(999);
    expect(ran).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(ran).toEqual([true]);
    await service.closeAsync();
  });

  test('a callAsync times out with fake time', async () => {
    jest.useFakeTimers();
    const service = new NactRpcService();
    const endpoint = await startedEndpoint(service);
    const call = endpoint.callWithin(() => new Promise<never>(() => undefined), 300);
    const assertion = expect(call).rejects.toBeInstanceOf(RpcTimeoutError);
    await jest.advanceTimersByTimeAsync(300);
    await assertion;
    await service.closeAsync();
  });

  test('thousands of calls past the per-turn delivery budget complete without advancing the clock', async () => {
    jest.useFakeTimers();
    const service = new NactRpcService();
    const endpoints = await Promise.all(Array.from({ length: 20 }, () => startedEndpoint(service)));
    const gateways = endpoints.map((endpoint) => endpoint.getSelfGateway(ClockProtocol));
    const answers = await Promise.all(
      Array.from({ length: 5_000 }, (_, i) => (gateways[i % 20] as (typeof gateways)[number]).echo(i)),
    );
    expect(answers[4_999]).toBe(4_999);
    await service.closeAsync();
  });

  test('a remote call crosses a socket without advancing the clock', async () => {
    jest.useFakeTimers();
    const server = await NactRpcService.create({ name: 'fake-clock-server', listen: { host: '127.0.0.1', port: 0 } });
    const client = new NactRpcService({ name: 'fake-clock-client' });
    const endpoint = await startedEndpoint(server);
    const gateway = await client.connect(endpoint.getAddress(), ClockProtocol);
    expect(await gateway.echo(42)).toBe(42);
    await client.closeAsync();
    await server.closeAsync();
  });

  describe('one test left unfinished does not stall the next', () => {
    let leftOpen: NactRpcService | undefined;

    test('a test leaves calls pending and its service open under fake timers', async () => {
      jest.useFakeTimers();
      leftOpen = new NactRpcService();
      const endpoint = await startedEndpoint(leftOpen);
      const gateway = endpoint.getSelfGateway(ClockProtocol);
      void gateway.never().catch(() => undefined);
      gateway.note(1);
      expect(await gateway.echo(1)).toBe(1);
    });

    test('the next test, with real timers, runs calls and timeouts', async () => {
      const service = new NactRpcService({ askTimeoutMs: 20 });
      const endpoint = await startedEndpoint(service);
      const gateway = endpoint.getSelfGateway(ClockProtocol);
      expect(await gateway.echo(2)).toBe(2);
      await expect(gateway.never()).rejects.toBeInstanceOf(RpcTimeoutError);
      await service.closeAsync();
    });

    test('the next test, with fake timers again, runs calls', async () => {
      jest.useFakeTimers();
      const service = new NactRpcService();
      const endpoint = await startedEndpoint(service);
      expect(await endpoint.getSelfGateway(ClockProtocol).echo(3)).toBe(3);
      await service.closeAsync();
    });

    afterAll(async () => {
      jest.useRealTimers();
      await leftOpen?.closeAsync();
    });
  });
});
