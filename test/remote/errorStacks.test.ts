import { NactRpcService, type NactRpcServiceOptions } from '@nact-rpc/runtime-nact';
import { EchoProtocol } from '../fixtures/src/protocols';
import { fixtureCodec, QuotaExceededError } from '../fixtures/src/values';
import { ChildService, stopAllChildren } from '../support/ChildService';

/** Every stack of `error`, its cause chain and its inner errors, as one text. */
function allStacks(error: unknown): string {
  if (!(error instanceof Error)) return '';
  const inner = error instanceof AggregateError ? error.errors.map(allStacks) : [];
  return [error.stack ?? '', allStacks(error.cause), ...inner].join('\n');
}

describe('stack traces of remote errors', () => {
  let client: NactRpcService;

  const failNested = async (remoteErrorStacks?: NactRpcServiceOptions['remoteErrorStacks']): Promise<unknown> => {
    const server = await ChildService.start(remoteErrorStacks === undefined ? {} : { remoteErrorStacks });
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    return echo.fail('nested').catch((e: unknown) => e);
  };

  beforeEach(() => {
    client = new NactRpcService({ name: 'client', codec: fixtureCodec(), askTimeoutMs: 3_600_000 });
  });
  afterEach(async () => {
    await client.closeAsync();
    await stopAllChildren();
  });

  test('by default a caller over loopback gets the stacks of the error and its causes', async () => {
    const error = (await failNested()) as QuotaExceededError;
    expect(error.stack).toContain('EchoEndpoint.fail');
    expect(error.stack).toContain('/fixtures/dist/');
    expect(((error.cause as AggregateError).errors[0] as Error).stack).toContain('EchoEndpoint.fail');
  });

  test("with 'always' the stacks are sent", async () => {
    const error = (await failNested('always')) as QuotaExceededError;
    expect(error.stack).toContain('EchoEndpoint.fail');
    expect((error.cause as Error).stack).toContain('EchoEndpoint.fail');
  });

  test("with 'never' no server frame or file path reaches the caller; the rest of the error does", async () => {
    const error = (await failNested('never')) as QuotaExceededError;
    const stacks = allStacks(error);
    expect(stacks).not.toContain('EchoEndpoint');
    expect(stacks).not.toContain('/dist/');
    expect(stacks).not.toContain('fixtures');
    // Class, name, message, code and fields survive.
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error.name).toBe('QuotaExceededError');
    expect(error.message).toBe('quota of 3 exceeded');
    expect(error.code).toBe('E_QUOTA');
    expect(error.limit).toBe(3);
    // Its stack starts with its name and message, then shows the caller's own frames.
    expect(error.stack).toMatch(/^QuotaExceededError: quota of 3 exceeded\n {4}at /);
    expect(error.stack).toContain('errorStacks.test.ts');
    // The cause chain and the inner errors survive, each stack only its name and message.
    const cause = error.cause as AggregateError;
    expect(cause).toBeInstanceOf(AggregateError);
    expect(cause.stack).toBe('AggregateError: two failed');
    expect(cause.errors.map((inner: Error) => [inner.constructor, inner.stack])).toEqual([
      [TypeError, 'TypeError: expected a number'],
      [RangeError, 'RangeError: too far'],
    ]);
  });
});
