import { RpcInvalidStateError, RpcSerializationError } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { EchoProtocol, type RichPayload } from '../fixtures/src/protocols';
import { fixtureCodec, Money, QuotaExceededError } from '../fixtures/src/values';
import { ChildService, stopAllChildren } from '../support/ChildService';

const MAX_FRAME_SIZE = 64 * 1024;

describe('values and errors across processes', () => {
  let server: ChildService;
  let client: NactRpcService;

  beforeEach(async () => {
    server = await ChildService.start({ transport: { maxFrameSize: MAX_FRAME_SIZE } });
    // An hour: a failure that came by timeout would hang the test instead of passing.
    client = new NactRpcService({
      name: 'client',
      codec: fixtureCodec(),
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
    expect((error as Error).message).toContain('over the maximum frame size of 65536 bytes');
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
