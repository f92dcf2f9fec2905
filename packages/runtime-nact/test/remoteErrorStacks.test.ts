import { ask, defineProtocol, RpcEndpoint, serves } from '@nact-rpc/core';
import { NactRpcService, type NactRpcServiceOptions } from '@nact-rpc/runtime-nact';

const FailProtocol = defineProtocol('FailGateway', {
  fail: ask<[], void>(),
});

/** An error with a code and a field, caused by another. */
class CodedError extends Error {
  readonly code = 'E_CODED';
  readonly detail = 'the detail';
}

@serves(FailProtocol)
class ThrowingEndpoint extends RpcEndpoint {
  fail(): void {
    throw new CodedError('it failed', { cause: new RangeError('out of range') });
  }
}

describe('stack traces of errors sent to other services', () => {
  const services: NactRpcService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.closeAsync()));
  });

  /** The error of a call, over loopback, from a local-only service to one listening with `stacks`. */
  const failRemotely = async (stacks: NactRpcServiceOptions['remoteErrorStacks']): Promise<Error> => {
    const server = await NactRpcService.create({
      name: 'server',
      listen: { host: '127.0.0.1', port: 0 },
      remoteErrorStacks: stacks,
    });
    const client = new NactRpcService({ name: 'client' });
    services.push(server, client);
    const endpoint = new ThrowingEndpoint(server, 'thrower');
    await endpoint.start();
    const gateway = await client.connect(endpoint.getAddress(), FailProtocol);
    return (await gateway.fail().catch((error: unknown) => error)) as Error;
  };

  test('by default, a caller connected over loopback gets the stacks', async () => {
    const error = await failRemotely(undefined);
    expect(error.stack).toContain('ThrowingEndpoint.fail');
    expect((error.cause as Error).stack).toContain('ThrowingEndpoint.fail');
  });

  test("with 'always', the stacks are sent", async () => {
    const error = await failRemotely('always');
    expect(error.stack).toContain('ThrowingEndpoint.fail');
  });

  test("with 'never', no frame of the server arrives; the name, message, code, fields and cause do", async () => {
    const error = await failRemotely('never');
    const text = `${error.stack}\n${(error.cause as Error).stack}`;
    expect(text).not.toContain('ThrowingEndpoint');
    expect(text).not.toContain('invokeMethod');
    expect(error).toMatchObject({ name: 'Error', message: 'it failed', code: 'E_CODED', detail: 'the detail' });
    expect(error.stack).toMatch(/^Error: it failed\n {4}at /);
    expect(error.stack).toContain('remoteErrorStacks.test.ts');
    expect(error.cause).toBeInstanceOf(RangeError);
    expect((error.cause as Error).stack).toBe('RangeError: out of range');
  });

  test("even with 'never', callers in the same process get the stacks", async () => {
    const server = await NactRpcService.create({ listen: { port: 0 }, remoteErrorStacks: 'never' });
    services.push(server);
    const endpoint = new ThrowingEndpoint(server, 'thrower');
    await endpoint.start();
    const gateway = await server.connect(endpoint.getAddress(), FailProtocol);
    const error = (await gateway.fail().catch((e: unknown) => e)) as Error;
    expect(error.stack).toContain('ThrowingEndpoint.fail');
  });
});
