import {
  ask,
  defineProtocol,
  EndpointNotStartedError,
  FencedRpcEndpoint,
  HandshakeError,
  RpcConnectionError,
  RpcEndpoint,
  RpcInvalidOptionError,
  RpcInvalidStateError,
  serves,
  tell,
} from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { freePort } from '@nact-rpc/testing';

// Two protocols of the same name whose method sets differ: the endpoint serves the first.
const Shared = defineProtocol('SharedGateway', { read: ask<[], number>(), extra: ask<[], string>() });
/** The caller's view of SharedGateway without `extra`: a subset of what the endpoint serves. */
const SharedSubset = defineProtocol('SharedGateway', { read: ask<[], number>() });
/** SharedGateway with a method the endpoint does not have. */
const SharedWithMissing = defineProtocol('SharedGateway', {
  read: ask<[], number>(),
  extra: ask<[], string>(),
  write: ask<[value: number], void>(),
});
/** SharedGateway whose `extra` is a tell at the caller but an ask at the endpoint. */
const SharedWithChangedKind = defineProtocol('SharedGateway', { read: ask<[], number>(), extra: tell<[]>() });

const Unrelated = defineProtocol('UnrelatedGateway', { other: ask<[], void>() });
const Base = defineProtocol('BaseGateway', { base: ask<[], string>() });
const Extended = defineProtocol('ExtendedGateway', { extended: ask<[], string>() }, { extends: [Base] });
const Child = defineProtocol('ChildGateway', { child: ask<[], string>() });
const Fenced = defineProtocol('FencedGateway', { read: ask<[], number>() });

@serves(Shared)
class SharedEndpoint extends RpcEndpoint {
  read(): number {
    return 42;
  }
  extra(): string {
    return 'extra';
  }
}

@serves(Extended)
class ExtendedEndpoint extends RpcEndpoint {
  base(): string {
    return 'base';
  }
  extended(): string {
    return 'extended';
  }
}

@serves(Child)
class ChildEndpoint extends ExtendedEndpoint {
  child(): string {
    return 'child';
  }
}

@serves(Fenced)
class FencedEndpoint extends FencedRpcEndpoint<string> {
  read(): number {
    return 7;
  }
}

describe('connect and handshake', () => {
  let service: NactRpcService;
  beforeEach(() => {
    service = new NactRpcService();
  });
  afterEach(async () => {
    await service.closeAsync();
  });

  test('connecting with a protocol the endpoint does not implement fails with a HandshakeError naming it', async () => {
    const endpoint = new SharedEndpoint(service);
    await endpoint.start();
    const failure = await service.connect(endpoint.getAddress(), Unrelated).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HandshakeError);
    expect((failure as HandshakeError).code).toBe('HANDSHAKE');
    expect((failure as Error).message).toContain('UnrelatedGateway');
    expect((failure as Error).message).toContain('it serves: SharedGateway');
  });

  test('a caller protocol of the same name with a method the endpoint lacks is refused, naming the method', async () => {
    const endpoint = new SharedEndpoint(service);
    await endpoint.start();
    const failure = await service.connect(endpoint.getAddress(), SharedWithMissing).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HandshakeError);
    expect((failure as Error).message).toContain('SharedGateway');
    expect((failure as Error).message).toContain('missing at the endpoint: write');
  });

  test('a caller protocol of the same name whose method kind differs is refused, describing the change', async () => {
    const endpoint = new SharedEndpoint(service);
    await endpoint.start();
    const failure = await service
      .connect(endpoint.getAddress(), SharedWithChangedKind)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HandshakeError);
    expect((failure as Error).message).toContain('changed: extra (caller: tell(), endpoint: ask(); differs in kind)');
  });

  test('testHandshake per method: a refusal lists every method declared differently and how, locally and over the wire', async () => {
    const served = defineProtocol('Versioned', {
      status: ask<[id: string], string>(),
      submit: ask<[spec: string], number>({ shape: '(Spec) => JobId v1' }),
      append: tell<[line: string]>(),
    });
    const callers = defineProtocol('Versioned', {
      status: ask<[id: string, timeoutMs?: number], string>({ timeoutArg: 1 }),
      submit: ask<[spec: string], number>({ shape: '(Spec) => JobId v2' }),
      append: tell<[line: string]>(),
    });
    @serves(served)
    class VersionedEndpoint extends RpcEndpoint {
      status(): string {
        return 'ok';
      }
      submit(): number {
        return 1;
      }
      append(): void {}
    }
    const listening = await NactRpcService.create({ listen: { host: '127.0.0.1', port: 0 } });
    try {
      const endpoint = new VersionedEndpoint(listening, 'versioned');
      await endpoint.start();
      const expected =
        'changed: status (caller: ask(timeout@1), endpoint: ask(); differs in timeout argument); ' +
        'submit (caller: ask(shape="(Spec) => JobId v2"), endpoint: ask(shape="(Spec) => JobId v1"); differs in shape)';
      const local = await listening.connect(endpoint.getAddress(), callers).catch((error: unknown) => error);
      expect(local).toBeInstanceOf(HandshakeError);
      expect((local as Error).message).toContain(expected);
      const remote = await service.connect(endpoint.getAddress(), callers).catch((error: unknown) => error);
      expect(remote).toBeInstanceOf(HandshakeError);
      expect((remote as Error).message).toContain(expected);
      await expect(service.connect(endpoint.getAddress(), served)).resolves.toBeDefined();
    } finally {
      await listening.closeAsync();
    }
  });

  test('a caller protocol that is a subset of the served one connects and its calls are answered', async () => {
    const endpoint = new SharedEndpoint(service);
    await endpoint.start();
    const gateway = await service.connect(endpoint.getAddress(), SharedSubset);
    expect(await gateway.read()).toBe(42);
  });

  test('an endpoint serving an extended protocol accepts connections for it and for the protocol it extends', async () => {
    const endpoint = new ExtendedEndpoint(service);
    await endpoint.start();
    const base = await service.connect(endpoint.getAddress(), Base);
    const extended = await service.connect(endpoint.getAddress(), Extended);
    expect(await base.base()).toBe('base');
    expect(await extended.base()).toBe('base');
    expect(await extended.extended()).toBe('extended');
  });

  test("a subclass of a decorated endpoint class serves its parent's protocols and its own", async () => {
    const endpoint = new ChildEndpoint(service);
    await endpoint.start();
    const child = await service.connect(endpoint.getAddress(), Child);
    const extended = await service.connect(endpoint.getAddress(), Extended);
    const base = await service.connect(endpoint.getAddress(), Base);
    expect(await child.child()).toBe('child');
    expect(await extended.extended()).toBe('extended');
    expect(await base.base()).toBe('base');
    expect(endpoint.getSelfGateway(Child)).toBeDefined();
    const parent = new ExtendedEndpoint(service);
    await expect(service.connect(parent.getAddress(), Child)).rejects.toBeInstanceOf(HandshakeError);
  });

  test('the handshake is answered before start, and calls fail with EndpointNotStartedError until start', async () => {
    const endpoint = new SharedEndpoint(service);
    const gateway = await service.connect(endpoint.getAddress(), Shared);
    const failure = await gateway.read().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EndpointNotStartedError);
    expect((failure as EndpointNotStartedError).code).toBe('ENDPOINT_NOT_STARTED');
    await endpoint.start();
    expect(await gateway.read()).toBe(42);
  });

  test('an unknown endpoint id fails with RpcConnectionError at once, without waiting for the ask timeout', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const patient = new NactRpcService({ askTimeoutMs: 3_600_000 });
    try {
      const address = 'nact-rpc://nact-rpc/no-such-endpoint';
      // Fake time never advances: only a prompt failure settles this promise.
      const failure = await patient.connect(address, Shared).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(RpcConnectionError);
      expect(failure).not.toBeInstanceOf(HandshakeError);
      expect((failure as RpcConnectionError).code).toBe('RPC_CONNECTION');
      expect((failure as Error).message).toContain(address);
    } finally {
      await patient.closeAsync();
      jest.useRealTimers();
    }
  });

  test('a malformed address fails with RpcConnectionError naming it', async () => {
    const failure = await service.connect('foobar', Shared).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RpcConnectionError);
    expect((failure as Error).message).toContain('"foobar"');
  });

  test('an address of another service fails with RpcConnectionError', async () => {
    const endpoint = new SharedEndpoint(service);
    const address = endpoint.getAddress().replace('nact-rpc://nact-rpc/', 'nact-rpc://elsewhere/');
    expect(address).not.toBe(endpoint.getAddress());
    const failure = await service.connect(address, Shared).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RpcConnectionError);
    expect((failure as Error).message).toContain(address);
  });

  test('an address at a host and port where nobody listens fails with RpcConnectionError naming it', async () => {
    const endpoint = new SharedEndpoint(service);
    const port = await freePort();
    const address = `nact-rpc://nact-rpc@127.0.0.1:${port}/${endpoint.getEndpointId()}`;
    const failure = await service.connect(address, Shared).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RpcConnectionError);
    expect((failure as Error).message).toContain(address);
  });

  test('connecting to a terminated endpoint fails with RpcConnectionError', async () => {
    const endpoint = new SharedEndpoint(service);
    await endpoint.start();
    await endpoint.closeAsync();
    const failure = await service.connect(endpoint.getAddress(), Shared).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RpcConnectionError);
    expect(failure).not.toBeInstanceOf(HandshakeError);
    expect((failure as Error).message).toContain(endpoint.getAddress());
  });

  test('connect after the service closed fails with RpcInvalidStateError', async () => {
    const endpoint = new SharedEndpoint(service);
    const address = endpoint.getAddress();
    await service.closeAsync();
    const failure = await service.connect(address, Shared).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RpcInvalidStateError);
    expect((failure as RpcInvalidStateError).code).toBe('RPC_INVALID_STATE');
  });

  test('creating an endpoint after the service closed throws RpcInvalidStateError', async () => {
    await service.closeAsync();
    expect(() => new SharedEndpoint(service)).toThrow(RpcInvalidStateError);
  });

  test('a fenced connect to an unfenced endpoint is refused with a HandshakeError', async () => {
    const endpoint = new SharedEndpoint(service);
    await endpoint.start();
    const failure = await service
      .connect(endpoint.getAddress(), Shared, { fencingToken: 'token' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HandshakeError);
    expect((failure as Error).message).toContain('not fenced');
  });

  test('a plain connect to a fenced endpoint is refused with a HandshakeError mentioning fencingToken', async () => {
    const endpoint = new FencedEndpoint(service, undefined, 'leader');
    await endpoint.start();
    const failure = await service.connect(endpoint.getAddress(), Fenced).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HandshakeError);
    expect((failure as Error).message).toContain('fencingToken');
    const fenced = await service.connect(endpoint.getAddress(), Fenced, { fencingToken: 'leader' });
    expect(await fenced.read()).toBe(7);
  });

  test('a fencing token of a wrong type is rejected with an RpcInvalidOptionError naming fencingToken', async () => {
    const endpoint = new FencedEndpoint(service, undefined, 'leader');
    await endpoint.start();
    const failure = await service
      .connect(endpoint.getAddress(), Fenced, { fencingToken: { id: 'leader' } as unknown as string })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RpcInvalidOptionError);
    expect(failure).toMatchObject({ code: 'RPC_INVALID_OPTION', option: 'fencingToken' });
    expect((failure as Error).message).toBe(
      'connect: invalid fencingToken: expected a string, number or bigint, got an object with keys id.',
    );
  });

  test('connect options that are not an object are rejected with an RpcInvalidOptionError naming options', async () => {
    const endpoint = new FencedEndpoint(service, undefined, 'leader');
    await endpoint.start();
    const failure = await service
      .connect(endpoint.getAddress(), Fenced, null as unknown as { fencingToken: string })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'RPC_INVALID_OPTION', option: 'options' });
    expect((failure as Error).message).toContain(
      'connect: invalid options: expected an object such as { fencingToken: 42 }',
    );
  });

  test('getSelfGateway for a protocol that is not served throws a HandshakeError synchronously', () => {
    const endpoint = new SharedEndpoint(service);
    let failure: unknown;
    try {
      endpoint.getSelfGateway(Unrelated);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(HandshakeError);
    expect((failure as Error).message).toContain('UnrelatedGateway');
  });

  test('getSelfGateway returns the same gateway object every time', () => {
    const endpoint = new ExtendedEndpoint(service);
    const first = endpoint.getSelfGateway(Extended);
    expect(endpoint.getSelfGateway(Extended)).toBe(first);
    expect(endpoint.getSelfGateway(Base)).not.toBe(first);
  });

  test("a connected gateway reports the endpoint's address and the host name localhost", async () => {
    const endpoint = new SharedEndpoint(service, 'address-check');
    const gateway = await service.connect(endpoint.getAddress(), Shared);
    expect(endpoint.getAddress()).toBe('nact-rpc://nact-rpc/address-check');
    expect(gateway.getAddress()).toBe(endpoint.getAddress());
    expect(gateway.getHostname()).toBe(endpoint.getHostname());
    expect(gateway.getHostname()).toBe('localhost');
    const self = endpoint.getSelfGateway(Shared);
    expect(self.getAddress()).toBe(endpoint.getAddress());
    expect(self.getHostname()).toBe('localhost');
  });
});
