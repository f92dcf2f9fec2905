import {
  ask,
  defineProtocol,
  RpcCancelledError,
  RpcEndpoint,
  RpcTimeoutError,
  serves,
  tell,
  withCallOptions,
  type GatewayOf,
  type RpcService,
} from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { deferred, rejectionOf } from '@nact-rpc/testing';

const WorkProtocol = defineProtocol('Work', {
  /** Holds the endpoint's main thread for `ms` milliseconds: what waits behind it stays queued. */
  block: tell<[ms: number]>(),
  /** Counts the calls that ran. */
  count: ask<[], number>(),
  /** Runs until its signal aborts. */
  waitForAbort: ask<[], string>(),
  /** Waits for the test to open its gate, then reads its signal: made only then. */
  readSignalLater: ask<[], string>(),
});

@serves(WorkProtocol)
class WorkEndpoint extends RpcEndpoint {
  runs = 0;
  readonly started = deferred();
  readonly aborted = deferred<unknown>();
  readonly gate = deferred();
  /** What `readSignalLater` found: its signal's reason if it had aborted, `'live'` if not. */
  readonly seen = deferred<unknown>();

  constructor(rpcService: RpcService) {
    super(rpcService, 'work');
  }

  block(ms: number): void {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      // The endpoint is busy: nothing else of it runs until this returns.
    }
  }

  count(): number {
    return ++this.runs;
  }

  waitForAbort(): Promise<string> {
    const { signal } = this.getCallContext();
    this.started.resolve();
    return new Promise((resolve) => {
      signal.addEventListener('abort', () => {
        this.aborted.resolve(signal.reason);
        resolve('stopped');
      });
    });
  }

  async readSignalLater(): Promise<string> {
    this.started.resolve();
    await this.gate.promise;
    const { signal } = this.getCallContext();
    this.seen.resolve(signal.aborted ? signal.reason : 'live');
    return 'done';
  }
}

/** Whether `promise` has settled once the microtasks queued now have run: it did not wait for a round trip. */
async function settlesAtOnce(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return settled;
}

describe.each([
  ['a local ask', false],
  ['a remote ask', true],
])('cancelling %s', (_kind, remote) => {
  let server: NactRpcService;
  let client: NactRpcService;
  let endpoint: WorkEndpoint;
  let work: GatewayOf<typeof WorkProtocol>;

  beforeEach(async () => {
    server = remote
      ? await NactRpcService.create({ name: 'server', listen: { port: 0 } })
      : new NactRpcService({ name: 'server' });
    client = remote ? new NactRpcService({ name: 'client', askTimeoutMs: 2_000 }) : server;
    endpoint = new WorkEndpoint(server);
    await endpoint.start();
    work = await client.connect(endpoint.getAddress(), WorkProtocol);
  });
  afterEach(async () => {
    await client.closeAsync();
    await server.closeAsync();
  });

  test('still queued behind a slow call: the caller rejects at once and the endpoint never runs it', async () => {
    work.block(100);
    const controller = new AbortController();
    const reason = new Error('the user went away');
    const cancelled = withCallOptions(work, { signal: controller.signal }).count();
    controller.abort(reason);

    expect(await settlesAtOnce(cancelled)).toBe(true);
    const error = await rejectionOf(cancelled);
    expect(error).toBeInstanceOf(RpcCancelledError);
    expect((error as RpcCancelledError).code).toBe('RPC_CANCELLED');
    expect((error as Error).cause).toBe(reason);
    expect((error as Error).message).toContain('Work.count');
    expect(client.pendingCallCounts().waiting).toBe(0);
    // The next call is the first that ran.
    expect(await work.count()).toBe(1);
    expect(endpoint.runs).toBe(1);
  });

  test('an ask made with a signal that has aborted already is not sent', async () => {
    const error = await rejectionOf(withCallOptions(work, { signal: AbortSignal.abort('too late') }).count());
    expect(error).toBeInstanceOf(RpcCancelledError);
    expect((error as Error).cause).toBe('too late');
    expect(await work.count()).toBe(1);
  });

  test('running: the caller rejects at once and the method sees its own signal abort', async () => {
    const controller = new AbortController();
    const running = withCallOptions(work, { signal: controller.signal }).waitForAbort();
    await endpoint.started.promise;
    controller.abort();

    expect(await settlesAtOnce(running)).toBe(true);
    expect(await rejectionOf(running)).toBeInstanceOf(RpcCancelledError);
    expect(await endpoint.aborted.promise).toBeInstanceOf(RpcCancelledError);
    expect(client.pendingCallCounts().waiting).toBe(0);
  });

  test('a timeout cancels the same way: a running method sees its signal abort', async () => {
    const running = work.waitForAbort();
    await endpoint.started.promise;
    // The timeout travels as the call's deadline too. It is long enough that the call starts
    // before it passes even on a loaded machine: a call that starts late is refused by the
    // serving side (RpcDeadlineExceededError) instead, and never runs.
    const timedOut = withCallOptions(work, { timeoutMs: 200 }).waitForAbort();
    expect(await rejectionOf(timedOut)).toBeInstanceOf(RpcTimeoutError);
    // The first call still runs: only the one that timed out was given up on.
    expect(await endpoint.aborted.promise).toBeDefined();
    expect(await settlesAtOnce(running)).toBe(false);
  });

  test('a method that first reads its signal after an await, the call cancelled meanwhile, finds it aborted', async () => {
    const controller = new AbortController();
    // A deadline puts the method in a scope of its own: it reads its context after an await.
    const running = withCallOptions(work, { signal: controller.signal, timeoutMs: 10_000 }).readSignalLater();
    await endpoint.started.promise;
    controller.abort();
    expect(await rejectionOf(running)).toBeInstanceOf(RpcCancelledError);
    // Asked after the cancel, on the same connection: answered after the serving side heard of it.
    expect(await work.count()).toBe(1);
    endpoint.gate.resolve();
    expect(await endpoint.seen.promise).toBeInstanceOf(RpcCancelledError);
  });

  test('a method that first reads its signal after an await, the call still on, finds it live', async () => {
    const answer = withCallOptions(work, { timeoutMs: 10_000 }).readSignalLater();
    await endpoint.started.promise;
    endpoint.gate.resolve();
    expect(await answer).toBe('done');
    expect(await endpoint.seen.promise).toBe('live');
  });

  test('a signal that aborts after the answer changes nothing, and its listener is removed', async () => {
    const controller = new AbortController();
    expect(await withCallOptions(work, { signal: controller.signal }).count()).toBe(1);
    controller.abort();
    expect(await work.count()).toBe(2);
  });
});
