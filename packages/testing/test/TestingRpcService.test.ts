import {
  ask,
  defineProtocol,
  FencingTokenError,
  HandshakeError,
  RpcConnectionError,
  RpcEndpoint,
  RpcInvalidOptionError,
  RpcInvalidStateError,
  serves,
  tell,
  type GatewayOf,
} from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import {
  deferred,
  FencedStubGateway,
  rejectionOf,
  StubGateway,
  TestingRpcService,
  thrownBy,
  track,
  type ConnectAttempt,
} from '@nact-rpc/testing';

const Registry = defineProtocol('RegistryGateway', {
  register: ask<[workerAddress: string], string>(),
  heartbeat: tell<[workerAddress: string]>(),
});
/** RegistryGateway as an older caller knows it, with a method the stub does not serve. */
const RegistryWithMissing = defineProtocol('RegistryGateway', {
  register: ask<[workerAddress: string], string>(),
  unregister: ask<[workerAddress: string], void>(),
});
const Unrelated = defineProtocol('UnrelatedGateway', { other: ask<[], void>() });
const Base = defineProtocol('BaseGateway', { ping: ask<[], string>() });
const Extended = defineProtocol('ExtendedGateway', { extra: ask<[], string>() }, { extends: [Base] });
const Worker = defineProtocol('WorkerGateway', { registerAt: ask<[registryAddress: string], string>() });

/** A real endpoint that registers with a registry it connects to through its own service. */
@serves(Worker)
class WorkerEndpoint extends RpcEndpoint {
  async registerAt(registryAddress: string): Promise<string> {
    const registry = await this.getRpcService().connect(registryAddress, Registry);
    return registry.register(this.getAddress());
  }
}

const REGISTRY_ADDRESS = 'nact-rpc://cluster@registry.example:6123/registry';

describe('TestingRpcService', () => {
  let service: TestingRpcService;
  beforeEach(() => {
    service = new TestingRpcService({ name: 'testing' });
  });
  afterEach(async () => {
    await service.closeAsync();
  });

  test('connect answers with the gateway of the stub registered at the address', async () => {
    const stub = service.registerGateway(
      new StubGateway(Registry, { register: (worker) => `registered ${worker}` }, { address: REGISTRY_ADDRESS }),
    );
    const registry: GatewayOf<typeof Registry> = await service.connect(REGISTRY_ADDRESS, Registry);
    expect(registry).toBe(stub.gateway);
    expect(await registry.register('w1')).toBe('registered w1');
    registry.heartbeat('w1');
    expect(stub.calls).toEqual([
      { method: 'register', args: ['w1'] },
      { method: 'heartbeat', args: ['w1'] },
    ]);
  });

  test('a real endpoint on the service reaches the stub through its own connect', async () => {
    const stub = service.registerGateway(
      new StubGateway(Registry, { register: () => 'accepted' }, { address: REGISTRY_ADDRESS }),
    );
    const worker = new WorkerEndpoint(service);
    await worker.start();
    const gateway = await service.connect(worker.getAddress(), Worker);
    expect(await gateway.registerAt(REGISTRY_ADDRESS)).toBe('accepted');
    expect(stub.callsOf('register')).toEqual([[worker.getAddress()]]);
  });

  test('connects to real endpoints where no stub is registered', async () => {
    const worker = new WorkerEndpoint(service);
    await worker.start();
    const gateway = await service.connect(worker.getAddress(), Worker);
    expect(gateway.getAddress()).toBe(worker.getAddress());
    await expect(service.connect('nact-rpc://testing/nobody', Worker)).rejects.toBeInstanceOf(RpcConnectionError);
  });

  test('refuses a protocol the stub does not serve with a HandshakeError that says what differs', async () => {
    service.registerGateway(new StubGateway(Registry, {}, { address: REGISTRY_ADDRESS }));
    const unrelated = await rejectionOf(service.connect(REGISTRY_ADDRESS, Unrelated));
    expect(unrelated).toBeInstanceOf(HandshakeError);
    expect((unrelated as Error).message).toContain('does not implement protocol UnrelatedGateway');
    expect((unrelated as Error).message).toContain('RegistryGateway');
    const changed = await rejectionOf(service.connect(REGISTRY_ADDRESS, RegistryWithMissing));
    expect(changed).toBeInstanceOf(HandshakeError);
    expect((changed as Error).message).toContain('missing at the endpoint: unregister');
  });

  test('serves the protocols the stub protocol extends', async () => {
    const stub = service.registerGateway(new StubGateway(Extended, { ping: () => 'pong' }));
    const base = await service.connect(stub.address, Base);
    expect(await base.ping()).toBe('pong');
  });

  test('refuses to register at an address taken by a stub or by a live endpoint', async () => {
    service.registerGateway(new StubGateway(Registry, {}, { address: REGISTRY_ADDRESS }));
    const byStub = thrownBy(() =>
      service.registerGateway(new StubGateway(Unrelated, {}, { address: REGISTRY_ADDRESS })),
    );
    expect(byStub).toBeInstanceOf(RpcInvalidStateError);
    expect((byStub as Error).message).toContain('the stub gateway of RegistryGateway is registered there');

    const worker = new WorkerEndpoint(service);
    await worker.start();
    const byEndpoint = thrownBy(() =>
      service.registerGateway(new StubGateway(Registry, {}, { address: worker.getAddress() })),
    );
    expect(byEndpoint).toBeInstanceOf(RpcInvalidStateError);
    expect((byEndpoint as Error).message).toContain('a live endpoint');

    await worker.closeAsync();
    const afterTermination = new StubGateway(Registry, {}, { address: worker.getAddress() });
    expect(service.registerGateway(afterTermination)).toBe(afterTermination);
  });

  test('unregisterGateway and clearGateways remove stubs, after which connect goes to real endpoints', async () => {
    const first = service.registerGateway(new StubGateway(Registry));
    const second = service.registerGateway(new StubGateway(Registry));
    expect(service.unregisterGateway(first.address)).toBe(true);
    expect(service.unregisterGateway(first.address)).toBe(false);
    await expect(service.connect(first.address, Registry)).rejects.toBeInstanceOf(RpcConnectionError);
    await expect(service.connect(second.address, Registry)).resolves.toBe(second.gateway);
    service.clearGateways();
    await expect(service.connect(second.address, Registry)).rejects.toBeInstanceOf(RpcConnectionError);
  });

  test('a connect hook delays connects until it resolves', async () => {
    const stub = service.registerGateway(new StubGateway(Registry, {}, { address: REGISTRY_ADDRESS }));
    const entered = deferred<ConnectAttempt>();
    const release = deferred();
    service.setConnectHook((attempt) => {
      entered.resolve(attempt);
      return release.promise;
    });
    const connecting = track(service.connect(REGISTRY_ADDRESS, Registry));
    const attempt = await entered.promise;
    expect(attempt).toEqual({ address: REGISTRY_ADDRESS, protocol: Registry, registered: true });
    expect(connecting.settled).toBe(false);
    release.resolve();
    await expect(service.connect(REGISTRY_ADDRESS, Registry)).resolves.toBe(stub.gateway);
    expect(connecting).toEqual({ settled: true, value: stub.gateway });
  });

  test('a connect hook fails connects, to stubs and to real endpoints, with its error', async () => {
    service.registerGateway(new StubGateway(Registry, {}, { address: REGISTRY_ADDRESS }));
    const worker = new WorkerEndpoint(service);
    await worker.start();
    const refused = new RpcConnectionError('refused by the test');
    service.setConnectHook(() => {
      throw refused;
    });
    expect(await rejectionOf(service.connect(REGISTRY_ADDRESS, Registry))).toBe(refused);
    expect(await rejectionOf(service.connect(worker.getAddress(), Worker))).toBe(refused);
    service.setConnectHook(() => Promise.reject(refused));
    expect(await rejectionOf(service.connect(REGISTRY_ADDRESS, Registry))).toBe(refused);
    service.setConnectHook(undefined);
    const gateway = await service.connect(worker.getAddress(), Worker);
    expect(gateway.getAddress()).toBe(worker.getAddress());
  });

  test('a fenced connect to a fenced stub gives a gateway carrying the caller token', async () => {
    const stub = service.registerGateway(
      new FencedStubGateway(Registry, 'session-2', { register: () => 'accepted' }, { address: REGISTRY_ADDRESS }),
    );
    const current = await service.connect(REGISTRY_ADDRESS, Registry, { fencingToken: 'session-2' });
    const stale = await service.connect(REGISTRY_ADDRESS, Registry, { fencingToken: 'session-1' });
    expect(current.getFencingToken()).toBe('session-2');
    expect(stale.getFencingToken()).toBe('session-1');
    expect(await current.register('w1')).toBe('accepted');
    await expect(stale.register('w2')).rejects.toBeInstanceOf(FencingTokenError);
    expect(stub.calls).toEqual([
      { method: 'register', args: ['w1'], fencingToken: 'session-2' },
      { method: 'register', args: ['w2'], fencingToken: 'session-1' },
    ]);
  });

  test('refuses to connect fenced to an unfenced stub, and unfenced to a fenced one', async () => {
    const unfenced = service.registerGateway(new StubGateway(Registry));
    const fenced = service.registerGateway(new FencedStubGateway(Registry, 'session-1'));
    const withToken = await rejectionOf(service.connect(unfenced.address, Registry, { fencingToken: 'session-1' }));
    expect(withToken).toBeInstanceOf(HandshakeError);
    expect((withToken as Error).message).toContain('the stub is not fenced');
    const withoutToken = await rejectionOf(service.connect(fenced.address, Registry));
    expect(withoutToken).toBeInstanceOf(HandshakeError);
    expect((withoutToken as Error).message).toContain('the stub is fenced');
  });

  test('refuses bad arguments with an error naming them', async () => {
    const stub = service.registerGateway(new FencedStubGateway(Registry, 1));
    expect(thrownBy(() => service.registerGateway({} as StubGateway<typeof Registry>))).toMatchObject({
      option: 'stub',
    });
    expect(thrownBy(() => service.setConnectHook('later' as never))).toMatchObject({ option: 'hook' });
    const badProtocol = await rejectionOf(service.connect(stub.address, undefined as never));
    expect(badProtocol).toBeInstanceOf(RpcInvalidOptionError);
    expect(badProtocol).toMatchObject({ option: 'protocol' });
    const badToken = await rejectionOf(service.connect(stub.address, Registry, { fencingToken: null as never }));
    expect(badToken).toMatchObject({ option: 'fencingToken' });
    const badOptions = await rejectionOf(service.connect(stub.address, Registry, 'token' as never));
    expect(badOptions).toMatchObject({ option: 'options' });
  });

  test('closeAsync forgets the stubs and the hook and closes the service', async () => {
    const stub = service.registerGateway(new StubGateway(Registry, {}, { address: REGISTRY_ADDRESS }));
    const worker = new WorkerEndpoint(service);
    await worker.start();
    await service.closeAsync();
    expect(service.unregisterGateway(stub.address)).toBe(false);
    expect(thrownBy(() => service.registerGateway(new StubGateway(Registry)))).toBeInstanceOf(RpcInvalidStateError);
    await expect(service.connect(REGISTRY_ADDRESS, Registry)).rejects.toBeInstanceOf(RpcInvalidStateError);
    expect(worker.isRunning()).toBe(false);
    await expect(service.getTerminationFuture()).resolves.toBeUndefined();
  });

  test('wraps a given service and reports its name, address and port', async () => {
    const listening = await TestingRpcService.create({ name: 'listening', listen: { host: '127.0.0.1', port: 0 } });
    const caller = new NactRpcService({ name: 'caller' });
    try {
      expect(listening.getName()).toBe('listening');
      expect(listening.getAddress()).toBe('127.0.0.1');
      expect(listening.getPort()).toBeGreaterThan(0);
      const worker = new WorkerEndpoint(listening);
      await worker.start();
      listening.registerGateway(
        new StubGateway(Registry, { register: () => 'remote ok' }, { address: REGISTRY_ADDRESS }),
      );
      const remote = await caller.connect(worker.getAddress(), Worker);
      expect(await remote.registerAt(REGISTRY_ADDRESS)).toBe('remote ok');
    } finally {
      await Promise.all([caller.closeAsync(), listening.closeAsync()]);
    }
    const wrapped = new NactRpcService({ name: 'wrapped' });
    const testing = new TestingRpcService(wrapped);
    expect(testing.getName()).toBe('wrapped');
    expect(testing.getPort()).toBe(-1);
    await testing.closeAsync();
    await expect(wrapped.getTerminationFuture()).resolves.toBeUndefined();
  });
});
