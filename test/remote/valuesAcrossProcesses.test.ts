import { RpcConnectionError, RpcInvalidStateError, RpcSerializationError } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { EchoProtocol, type RichPayload } from '../fixtures/src/protocols';
import {
  fixtureCodecNamed,
  fixtureTypedCodec,
  type FixtureCodecName,
  Money,
  QuotaExceededError,
} from '../fixtures/src/values';
import { ChildService, stopAllChildren } from '../support/ChildService';

const MAX_FRAME_SIZE = 64 * 1024;

/** Both sides use the same codec: the default (superjson) or the opt-in TypedCodec. */
describe.each<FixtureCodecName>(['superjson', 'typed'])('values and errors across processes (%s codec)', (codec) => {
  let server: ChildService;
  let client: NactRpcService;

  beforeEach(async () => {
    server = await ChildService.start({ codec, transport: { maxFrameSize: MAX_FRAME_SIZE } });
    // An hour: a failure that came by timeout would hang the test instead of passing.
    client = new NactRpcService({
      name: 'client',
      codec: fixtureCodecNamed(codec),
      askTimeoutMs: 3_600_000,
      transport: { maxFrameSize: MAX_FRAME_SIZE },
    });
  });
  afterEach(async () => {
    await client.closeAsync();
    await stopAllChildren();
  });

  test('Dates, Maps, Sets, BigInts, undefined and a registered class round-trip', async () => {
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    const payload: RichPayload = {
      when: new Date('2024-02-29T12:34:56.789Z'),
      scores: new Map([['x', 1]]),
      tags: new Set(['a', 'b']),
      big: 2n ** 70n,
      missing: undefined,
      nested: { list: [1, undefined, 3] },
      price: new Money(250n, 'EUR'),
    };
    const { payload: back, seen } = await echo.roundTrip(payload);
    expect(seen).toEqual(['when:true', 'scores:true', 'tags:true', 'big:bigint', 'missing:true', 'price:250 EUR']);
    expect(back).toEqual(payload);
    expect(back.when).toBeInstanceOf(Date);
    expect(back.price).toBeInstanceOf(Money);
    expect(back.price.format()).toBe('250 EUR');
    expect('missing' in back).toBe(true);
    expect(back.nested.list).toEqual([1, undefined, 3]);
  });

  test('a remote error of a registered class keeps its class, name, message, stack and code', async () => {
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    const error = (await echo.fail('quota').catch((e: unknown) => e)) as QuotaExceededError;
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error.name).toBe('QuotaExceededError');
    expect(error.message).toBe('quota of 3 exceeded');
    expect(error.code).toBe('E_QUOTA');
    expect(error.limit).toBe(3);
    // The stack is the thrower's, in the other process.
    expect(error.stack).toContain('QuotaExceededError: quota of 3 exceeded');
    expect(error.stack).toContain('EchoEndpoint.fail');
  });

  test("a registered error's cause chain and an AggregateError's inner errors keep their classes", async () => {
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    const error = (await echo.fail('nested').catch((e: unknown) => e)) as QuotaExceededError;
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error.limit).toBe(3);
    const cause = error.cause as AggregateError;
    expect(cause).toBeInstanceOf(AggregateError);
    expect(cause.message).toBe('two failed');
    expect(cause.errors).toHaveLength(2);
    expect(cause.errors[0]).toBeInstanceOf(TypeError);
    expect((cause.errors[0] as Error).message).toBe('expected a number');
    expect(cause.errors[1]).toBeInstanceOf(RangeError);
    expect((cause.errors[1] as Error).message).toBe('too far');
  });

  test('built-in errors keep their class, and a code survives on a plain Error', async () => {
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    const typeError = await echo.fail('type').catch((e: unknown) => e);
    expect(typeError).toBeInstanceOf(TypeError);
    expect((typeError as Error).message).toBe('expected a number');
    const coded = (await echo.fail('coded').catch((e: unknown) => e)) as Error & { code: string };
    expect(coded).toBeInstanceOf(Error);
    expect(coded.code).toBe('E_DISK_FULL');
  });

  test('an oversized request fails at the caller, naming the method and the size, and is never sent', async () => {
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    const error = await echo.take('y'.repeat(MAX_FRAME_SIZE)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcSerializationError);
    expect((error as Error).message).toMatch(
      /EchoGateway\.take .* is \d+ bytes, over the maximum frame size of 65536 bytes/,
    );
    // The association is unharmed, and the request never reached the endpoint.
    expect(await echo.take('small')).toBe(5);
  });

  test('an oversized response comes back as RpcSerializationError naming the method, not as a timeout', async () => {
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    const error = await echo.big(MAX_FRAME_SIZE * 2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcSerializationError);
    expect((error as Error).message).toContain('result of EchoGateway.big');
    expect((error as Error).message).toContain("over this service's maximum frame size of 65536 bytes");
    expect(await echo.big(10)).toBe('x'.repeat(10));
  });

  test('a local-only method cannot be called on a remote endpoint', async () => {
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    const error = await echo.local(() => 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcInvalidStateError);
    expect((error as Error).message).toContain('EchoGateway.local is local-only');
  });

  test('tells arrive in order, after the asks sent before them', async () => {
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    for (let i = 1; i <= 500; i++) echo.note(i);
    expect(await echo.notes()).toEqual({ count: 500, last: 500 });
  });
});

/** Values that the typed codec keeps and superjson does not, echoed by a TypedCodec service in another process. */
describe('values only the typed codec keeps, across processes', () => {
  let server: ChildService;
  let client: NactRpcService;

  beforeEach(async () => {
    server = await ChildService.start({ codec: 'typed' });
    client = new NactRpcService({ name: 'client', codec: fixtureTypedCodec(), askTimeoutMs: 3_600_000 });
  });
  afterEach(async () => {
    await client.closeAsync();
    await stopAllChildren();
  });

  /** Sends `value` to the remote echo method, which answers with what it received. */
  async function echoed<T>(value: T): Promise<T> {
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    return (await echo.echo(value as never)) as T;
  }

  test('cycles and shared references, through plain objects, arrays, Maps and registered classes', async () => {
    const shared = { n: 1 };
    const price = new Money(5, 'EUR') as Money & { self?: unknown };
    price.self = price;
    const cyclic: { name: string; self?: unknown; list: unknown[]; byKey: Map<unknown, unknown> } = {
      name: 'root',
      list: [shared, shared],
      byKey: new Map<unknown, unknown>([[shared, price]]),
    };
    cyclic.self = cyclic;
    cyclic.list.push(cyclic.list);
    const back = await echoed(cyclic);
    expect(back.self).toBe(back);
    expect(back.list[0]).toBe(back.list[1]);
    expect(back.list[2]).toBe(back.list);
    const [key, value] = [...back.byKey][0] as [unknown, Money & { self?: unknown }];
    expect(key).toBe(back.list[0]);
    expect(value).toBeInstanceOf(Money);
    expect(value.self).toBe(value);
    expect(value.format()).toBe('5 EUR');
  });

  test('numbers, strings, RegExps, URLs, typed arrays and Buffers keep their exact values and classes', async () => {
    const value = {
      numbers: [NaN, -0, Infinity, -Infinity, 2 ** 53, -(2 ** 31), 0.1],
      lone: 'a\ud800b',
      pattern: /a+(b)?/giu,
      url: new URL('https://example.com:8443/p?q=1#h'),
      invalid: new Date(NaN),
      bytes: Buffer.from('buffer'),
      floats: new Float64Array([1.5, -0, NaN]),
      bigs: new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n]),
      clamped: new Uint8ClampedArray([0, 255]),
      protoKey: JSON.parse('{"__proto__":{"polluted":true}}') as object,
    };
    const back = await echoed(value);
    expect(back.numbers).toEqual(value.numbers);
    expect(Object.is(back.numbers[1], -0)).toBe(true);
    expect(back.lone).toBe('a\ud800b');
    expect(back.pattern).toBeInstanceOf(RegExp);
    expect(back.pattern.source).toBe('a+(b)?');
    expect(back.pattern.flags).toBe('giu');
    expect(back.url).toBeInstanceOf(URL);
    expect(back.url.href).toBe(value.url.href);
    expect(back.invalid).toBeInstanceOf(Date);
    expect(back.invalid.getTime()).toBeNaN();
    expect(Buffer.isBuffer(back.bytes)).toBe(true);
    expect(back.bytes.toString()).toBe('buffer');
    expect(back.floats).toBeInstanceOf(Float64Array);
    expect([...back.floats]).toEqual([1.5, -0, NaN]);
    expect(back.bigs).toBeInstanceOf(BigInt64Array);
    expect([...back.bigs]).toEqual([...value.bigs]);
    expect(back.clamped).toBeInstanceOf(Uint8ClampedArray);
    expect(Object.getOwnPropertyNames(back.protoKey)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(back.protoKey)).toBe(Object.prototype);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  test('errors inside values keep their class, message, cause and properties, but not the stack', async () => {
    const quota = new QuotaExceededError('over', 7, { cause: new RangeError('too far') });
    const back = await echoed({ quota, plain: Object.assign(new Error('plain'), { code: 'E_X' }) });
    expect(back.quota).toBeInstanceOf(QuotaExceededError);
    expect(back.quota.message).toBe('over');
    expect(back.quota.limit).toBe(7);
    expect(back.quota.code).toBe('E_QUOTA');
    expect(back.quota.cause).toBeInstanceOf(RangeError);
    expect((back.quota.cause as Error).message).toBe('too far');
    expect(back.quota.stack).toBe('QuotaExceededError: over');
    expect(back.plain).toBeInstanceOf(Error);
    expect(back.plain.code).toBe('E_X');
  });
});

describe('a client and a server with different codecs', () => {
  afterEach(() => stopAllChildren());

  test.each<[FixtureCodecName, FixtureCodecName]>([
    ['typed', 'superjson'],
    ['superjson', 'typed'],
  ])('a %s client is refused at the hello by a %s server, with an error naming both codecs', async (mine, theirs) => {
    const server = await ChildService.start({ codec: theirs });
    const client = new NactRpcService({ name: 'client', codec: fixtureCodecNamed(mine) });
    try {
      const error = await client.connect(server.address('echo'), EchoProtocol).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RpcConnectionError);
      expect((error as Error).message).toContain(`the peer uses the ${mine} codec, this side ${theirs}`);
    } finally {
      await client.closeAsync();
    }
  });
});
