import {
  ask,
  defineProtocol,
  FencingTokenError,
  RpcEndpoint,
  RpcSerializationError,
  serves,
  SuperJsonCodec,
  tell,
} from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { Money, QuotaExceededError, UnregisteredError } from '@nact-rpc/testing';
import { RecordingLogger } from '@nact-rpc/testing';

interface Payload {
  readonly when: Date;
  readonly tags: Set<string>;
  readonly scores: Map<string, number>;
  readonly big: bigint;
  readonly missing: undefined;
  readonly nested: { readonly deeper: { readonly items: number[]; readonly note: string | undefined } };
  readonly price: Money;
}

/** A value superjson cannot encode: reading its property throws. */
interface Unreadable {
  readonly value: number;
}
function unreadable(): Unreadable {
  return {
    get value(): number {
      throw new Error('this value cannot be read');
    },
  };
}

type FailureKind = 'coded' | 'type' | 'fencing' | 'registered' | 'unregistered';

const Probe = defineProtocol('SerializationProbe', {
  echo: ask<[payload: Payload], Payload>(),
  keep: ask<[payload: Payload], void>(),
  describeArgs: ask<[first: number | undefined, second: string], string>(),
  take: ask<[value: Unreadable], void>(),
  note: tell<[value: Unreadable]>(),
  produce: ask<[], Unreadable>(),
  fail: ask<[kind: FailureKind], void>(),
  applyLocally: ask<[fn: () => number], number>({ local: true }),
  count: ask<[], number>(),
  enqueue: ask<[job: { name: string; onDone: () => void }], void>(),
});

@serves(Probe)
class ProbeEndpoint extends RpcEndpoint {
  calls = 0;
  received: Payload | undefined;
  receivedFn: (() => number) | undefined;
  thrown: Error | undefined;

  echo(payload: Payload): Payload {
    return payload;
  }
  keep(payload: Payload): void {
    this.received = payload;
    payload.nested.deeper.items.push(99);
    payload.tags.add('added by the endpoint');
  }
  describeArgs(first: number | undefined, second: string): string {
    return `${arguments.length}:${first === undefined ? 'undefined' : first}:${second}`;
  }
  take(_value: Unreadable): void {
    this.calls++;
  }
  note(_value: Unreadable): void {
    this.calls++;
  }
  produce(): Unreadable {
    this.calls++;
    return unreadable();
  }
  fail(kind: FailureKind): void {
    this.thrown = errorOf(kind);
    throw this.thrown;
  }
  applyLocally(fn: () => number): number {
    this.receivedFn = fn;
    return fn();
  }
  count(): number {
    return this.calls;
  }
  enqueue(_job: { name: string; onDone: () => void }): void {
    this.calls++;
  }
}

function errorOf(kind: FailureKind): Error {
  switch (kind) {
    case 'coded':
      return Object.assign(new Error('the disk is full'), { code: 'E_DISK_FULL' });
    case 'type':
      return new TypeError('expected a number');
    case 'fencing':
      return new FencingTokenError('thrown by the method itself');
    case 'registered':
      return new QuotaExceededError('quota of 3 exceeded', 3);
    case 'unregistered':
      return new UnregisteredError('nobody registered me');
  }
}

function samplePayload(): Payload {
  return {
    when: new Date('2024-02-29T12:34:56.789Z'),
    tags: new Set(['a', 'b']),
    scores: new Map([
      ['x', 1],
      ['y', 2],
    ]),
    big: 12345678901234567890n,
    missing: undefined,
    nested: { deeper: { items: [1, 2, 3], note: undefined } },
    price: new Money(250n, 'EUR'),
  };
}

describe('forced serialization', () => {
  let logger: RecordingLogger;
  let codec: SuperJsonCodec;
  let service: NactRpcService;
  let endpoint: ProbeEndpoint;
  beforeEach(async () => {
    logger = new RecordingLogger();
    codec = new SuperJsonCodec().registerClass(Money).registerErrorClass(QuotaExceededError);
    service = new NactRpcService({ forceSerialization: true, codec, logger });
    endpoint = new ProbeEndpoint(service);
    await endpoint.start();
  });
  afterEach(async () => {
    await service.closeAsync();
  });

  test('dates, maps, sets, bigints, undefined, nested objects and registered classes round-trip', async () => {
    const gateway = await service.connect(endpoint.getAddress(), Probe);
    const payload = samplePayload();
    const result = await gateway.echo(payload);
    expect(result).toEqual(payload);
    expect(result).not.toBe(payload);
    expect(result.when).toBeInstanceOf(Date);
    expect(result.when.getTime()).toBe(payload.when.getTime());
    expect(result.tags).toBeInstanceOf(Set);
    expect(result.scores).toBeInstanceOf(Map);
    expect(result.scores.get('y')).toBe(2);
    expect(typeof result.big).toBe('bigint');
    expect(result.big).toBe(12345678901234567890n);
    expect(Object.keys(result)).toContain('missing');
    expect(Object.keys(result.nested.deeper)).toContain('note');
    expect(result.price).toBeInstanceOf(Money);
    expect(result.price.format()).toBe('250 EUR');
  });

  test('undefined arguments keep their position', async () => {
    const gateway = await service.connect(endpoint.getAddress(), Probe);
    expect(await gateway.describeArgs(undefined, 'second')).toBe('2:undefined:second');
    expect(await gateway.describeArgs(1, 'second')).toBe('2:1:second');
  });

  test("the endpoint receives a copy: mutating it does not change the caller's object", async () => {
    const gateway = await service.connect(endpoint.getAddress(), Probe);
    const payload = samplePayload();
    await gateway.keep(payload);
    expect(endpoint.received).not.toBe(payload);
    expect(endpoint.received?.nested.deeper.items).toEqual([1, 2, 3, 99]);
    expect(endpoint.received?.tags.has('added by the endpoint')).toBe(true);
    expect(endpoint.received?.price).toBeInstanceOf(Money);
    expect(payload.nested.deeper.items).toEqual([1, 2, 3]);
    expect(payload.tags.has('added by the endpoint')).toBe(false);
  });

  test('an argument the codec cannot encode rejects the ask with RpcSerializationError, and the method never runs', async () => {
    const gateway = await service.connect(endpoint.getAddress(), Probe);
    const failure = await gateway.take(unreadable()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RpcSerializationError);
    expect((failure as RpcSerializationError).code).toBe('RPC_SERIALIZATION');
    expect((failure as Error).message).toContain('arguments of SerializationProbe.take');
    expect((failure as Error).message).toContain('this value cannot be read');
    expect(await gateway.count()).toBe(0);
  });

  test('a function in an argument, which could not cross the wire, fails the ask naming where it is', async () => {
    const gateway = await service.connect(endpoint.getAddress(), Probe);
    const failure = await gateway.enqueue({ name: 'report', onDone: () => undefined }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RpcSerializationError);
    expect((failure as Error).message).toContain('arguments of SerializationProbe.enqueue');
    expect((failure as Error).message).toContain('a function at [0].onDone');
    expect(await gateway.count()).toBe(0);
  });

  test('a tell whose argument the codec cannot encode is logged at error and never runs', async () => {
    const gateway = await service.connect(endpoint.getAddress(), Probe);
    gateway.note(unreadable());
    expect(await gateway.count()).toBe(0);
    const logged = logger.find('error', 'Dropped tell SerializationProbe.note');
    expect(logged).toHaveLength(1);
    expect(logged[0]?.message).toContain('this value cannot be read');
  });

  test('a result the codec cannot encode rejects with RpcSerializationError naming the method', async () => {
    const gateway = await service.connect(endpoint.getAddress(), Probe);
    const failure = await gateway.produce().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RpcSerializationError);
    expect((failure as Error).message).toContain('result of SerializationProbe.produce');
    expect(endpoint.calls).toBe(1);
  });

  test('a thrown error arrives as an equal copy with the same name, message, stack and code', async () => {
    const gateway = await service.connect(endpoint.getAddress(), Probe);
    const failure = await gateway.fail('coded').catch((error: unknown) => error);
    const thrown = endpoint.thrown as Error & { code?: string };
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBe(thrown);
    const received = failure as Error & { code?: string };
    expect(received.name).toBe('Error');
    expect(received.message).toBe('the disk is full');
    expect(received.stack).toBe(thrown.stack);
    expect(received.code).toBe('E_DISK_FULL');
  });

  test('a thrown TypeError stays a TypeError', async () => {
    const gateway = await service.connect(endpoint.getAddress(), Probe);
    const failure = await gateway.fail('type').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect(failure).not.toBe(endpoint.thrown);
    expect((failure as Error).message).toBe('expected a number');
    expect((failure as Error).stack).toBe(endpoint.thrown?.stack);
  });

  test('an nact-rpc error thrown by the method keeps its class and code', async () => {
    const gateway = await service.connect(endpoint.getAddress(), Probe);
    const failure = await gateway.fail('fencing').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FencingTokenError);
    expect(failure).not.toBe(endpoint.thrown);
    expect((failure as FencingTokenError).code).toBe('FENCING_TOKEN');
    expect((failure as Error).name).toBe('FencingTokenError');
    expect((failure as Error).message).toBe('thrown by the method itself');
  });

  test('a registered custom error class is rebuilt as an instance of it', async () => {
    const gateway = await service.connect(endpoint.getAddress(), Probe);
    const failure = await gateway.fail('registered').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QuotaExceededError);
    expect(failure).not.toBe(endpoint.thrown);
    expect((failure as QuotaExceededError).name).toBe('QuotaExceededError');
    expect((failure as QuotaExceededError).message).toBe('quota of 3 exceeded');
    expect((failure as QuotaExceededError).limit).toBe(3);
    expect((failure as Error).stack).toBe(endpoint.thrown?.stack);
  });

  test('an unregistered custom error class arrives as an Error carrying the original name', async () => {
    const gateway = await service.connect(endpoint.getAddress(), Probe);
    const failure = await gateway.fail('unregistered').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(UnregisteredError);
    expect((failure as Error).name).toBe('UnregisteredError');
    expect((failure as Error).message).toBe('nobody registered me');
  });

  test('a local-only method receives its argument by reference', async () => {
    const gateway = await service.connect(endpoint.getAddress(), Probe);
    const fn = (): number => 41 + 1;
    expect(await gateway.applyLocally(fn)).toBe(42);
    expect(endpoint.receivedFn).toBe(fn);
  });
});

describe('without forced serialization', () => {
  let service: NactRpcService;
  beforeEach(() => {
    service = new NactRpcService();
  });
  afterEach(async () => {
    await service.closeAsync();
  });

  test('arguments, results and thrown errors are passed by reference', async () => {
    const endpoint = new ProbeEndpoint(service);
    await endpoint.start();
    const gateway = await service.connect(endpoint.getAddress(), Probe);
    const payload = samplePayload();
    await gateway.keep(payload);
    expect(endpoint.received).toBe(payload);
    expect(payload.nested.deeper.items).toEqual([1, 2, 3, 99]);
    expect(await gateway.echo(payload)).toBe(payload);
    const failure = await gateway.fail('unregistered').catch((error: unknown) => error);
    expect(failure).toBe(endpoint.thrown);
    expect(failure).toBeInstanceOf(UnregisteredError);
  });
});

describe('forced serialization and the maximum frame size', () => {
  let service: NactRpcService;
  let endpoint: ProbeEndpoint;
  beforeEach(async () => {
    const codec = new SuperJsonCodec().registerClass(Money);
    service = new NactRpcService({ forceSerialization: true, codec, transport: { maxFrameSize: 1024 } });
    endpoint = new ProbeEndpoint(service);
    await endpoint.start();
  });
  afterEach(() => service.closeAsync());

  test('an oversized request fails at the caller, naming the method and the size, and never runs', async () => {
    const gateway = await service.connect(endpoint.getAddress(), Probe);
    const big = {
      ...samplePayload(),
      nested: { deeper: { items: Array.from({ length: 2000 }, (_, i) => i), note: undefined } },
    };
    const request = await gateway.keep(big).catch((error: unknown) => error);
    expect(request).toBeInstanceOf(RpcSerializationError);
    expect((request as Error).message).toMatch(
      /SerializationProbe\.keep .* is \d+ bytes, over the maximum frame size of 1024 bytes/,
    );
    expect(endpoint.received).toBeUndefined();
  });
});
