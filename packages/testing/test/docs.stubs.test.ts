// The example of docs/testing.md, "Testing an endpoint alone, with stubs": the page shows the region below (npm run docs:sync).
// #region example
import {
  ask,
  defineProtocol,
  FencingTokenError,
  RpcConnectionError,
  RpcEndpoint,
  tell,
  type RpcService,
} from '@nact-rpc/core';
import { deferred, FencedStubGateway, rejectionOf, TestingRpcService } from '@nact-rpc/testing';

const ResourceManager = defineProtocol('ResourceManagerGateway', {
  registerWorker: ask<[workerAddress: string, slots: number], 'accepted' | 'full'>(),
  heartbeat: tell<[workerAddress: string]>(),
});

/** The endpoint under test: once started, it registers with the leading resource manager and heartbeats. */
class Worker extends RpcEndpoint {
  constructor(
    service: RpcService,
    private readonly managerAddress: string,
    private readonly leaderSession: string,
  ) {
    super(service);
  }

  protected override async onStart(): Promise<void> {
    const manager = await this.getRpcService().connect(this.managerAddress, ResourceManager, {
      fencingToken: this.leaderSession,
    });
    if ((await manager.registerWorker(this.getAddress(), 4)) === 'accepted') manager.heartbeat(this.getAddress());
  }
}

const MANAGER = 'nact-rpc://cluster@rm.example:6123/resource-manager';

describe('Worker', () => {
  let service: TestingRpcService;
  let manager: FencedStubGateway<typeof ResourceManager, string>;

  beforeEach(() => {
    service = new TestingRpcService();
    manager = service.registerGateway(
      new FencedStubGateway<typeof ResourceManager, string>(
        ResourceManager,
        'session-7',
        { registerWorker: () => 'accepted' },
        { address: MANAGER },
      ),
    );
  });
  afterEach(() => service.closeAsync());

  test('registers with the leader, then heartbeats', async () => {
    const heartbeat = deferred();
    manager.implement('heartbeat', () => heartbeat.resolve());
    const worker = new Worker(service, MANAGER, 'session-7');
    await worker.start();
    await heartbeat.promise;
    expect(manager.calls).toEqual([
      { method: 'registerWorker', args: [worker.getAddress(), 4], fencingToken: 'session-7' },
      { method: 'heartbeat', args: [worker.getAddress()], fencingToken: 'session-7' },
    ]);
  });

  test('does not start with the token of a former leader', async () => {
    const worker = new Worker(service, MANAGER, 'session-6');
    const failure = await rejectionOf(worker.start());
    expect((failure as Error).cause).toBeInstanceOf(FencingTokenError);
    expect(manager.callsOf('heartbeat')).toEqual([]);
  });

  test('does not start when the resource manager cannot be reached', async () => {
    service.setConnectHook(({ address }) => {
      throw new RpcConnectionError(`Could not connect to ${address}: the network is down.`);
    });
    const worker = new Worker(service, MANAGER, 'session-7');
    await expect(worker.start()).rejects.toThrow('the network is down');
    expect(manager.calls).toEqual([]);
  });
});
// #endregion example
