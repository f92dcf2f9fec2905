import { ask, defineProtocol, RpcEndpoint, RpcSerializationError, serves } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { rejectionOf } from '@nact-rpc/testing';

/**
 * After Flink's PekkoRpcActorOversizedResponseMessageTest: a request or response over the
 * maximum frame size fails with RpcSerializationError naming the method, the size and the
 * limit, whichever side's limit it is, in both directions, and the connection stays usable.
 */
const Sizes = defineProtocol('Sizes', {
  answer: ask<[bytes: number], string>(),
  take: ask<[payload: string], number>(),
});

@serves(Sizes)
class SizesEndpoint extends RpcEndpoint {
  taken = 0;
  answer(bytes: number): string {
    return 'x'.repeat(bytes);
  }
  take(payload: string): number {
    this.taken++;
    return payload.length;
  }
}

const SMALL = 16 * 1024;
const LARGE = 256 * 1024;

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(RpcSerializationError);
  return error as Error;
}

describe('oversized messages', () => {
  const services: NactRpcService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.closeAsync()));
  });

  async function pair(serverMax: number, clientMax: number) {
    const server = await NactRpcService.create({
      name: 'sizes-server',
      listen: { host: '127.0.0.1', port: 0 },
      transport: { maxFrameSize: serverMax },
    });
    const client = new NactRpcService({ name: 'sizes-client', transport: { maxFrameSize: clientMax } });
    services.push(server, client);
    const endpoint = new SizesEndpoint(server, 'sizes');
    await endpoint.start();
    return { endpoint, gateway: await client.connect(endpoint.getAddress(), Sizes) };
  }

  test('testLocalOversizedResponseMsgFails: with forced serialization, a local oversized result fails naming the method', async () => {
    const service = new NactRpcService({ forceSerialization: true, transport: { maxFrameSize: SMALL } });
    services.push(service);
    const endpoint = new SizesEndpoint(service);
    await endpoint.start();
    const gateway = await service.connect(endpoint.getAddress(), Sizes);
    const error = await failure(gateway.answer(SMALL));
    expect(error.message).toMatch(
      /^The result of Sizes\.answer is \d+ bytes, over this service's maximum frame size of 16384 bytes\.$/,
    );
    expect(await gateway.answer(10)).toHaveLength(10);
  });

  test("testRemoteOversizedResponseMsgFails: a result over the server's own limit fails naming the method", async () => {
    const { gateway } = await pair(SMALL, LARGE);
    const error = await failure(gateway.answer(SMALL));
    expect(error.message).toMatch(
      /^The result of Sizes\.answer is \d+ bytes, over this service's maximum frame size of 16384 bytes\.$/,
    );
    expect(await gateway.answer(10)).toHaveLength(10);
  });

  test("a result that fits the server's limit but not the caller's smaller one fails naming the method and the caller's limit", async () => {
    const { gateway } = await pair(LARGE, SMALL);
    const error = await failure(gateway.answer(SMALL));
    expect(error.message).toMatch(
      /^The result of Sizes\.answer is \d+ bytes, over the caller's maximum frame size of 16384 bytes\.$/,
    );
    // A result that fits the caller's limit exactly, frame included, still arrives.
    expect(await gateway.answer(SMALL - 64)).toHaveLength(SMALL - 64);
  });

  test("a request over the caller's own limit fails before it is sent, naming the method", async () => {
    const { endpoint, gateway } = await pair(LARGE, SMALL);
    const error = await failure(gateway.take('y'.repeat(SMALL)));
    expect(error.message).toMatch(
      /^The request Sizes\.take to .* is \d+ bytes, over the maximum frame size of 16384 bytes\. Nothing was sent\.$/,
    );
    expect(endpoint.taken).toBe(0);
  });

  test("a request over the server's smaller limit fails at the caller, naming the method and the server", async () => {
    const { endpoint, gateway } = await pair(SMALL, LARGE);
    const error = await failure(gateway.take('y'.repeat(SMALL)));
    expect(error.message).toMatch(
      /^The request Sizes\.take is \d+ bytes, over the maximum frame size of 16384 bytes of service sizes-server/,
    );
    expect(endpoint.taken).toBe(0);
    expect(await gateway.take('fits')).toBe(4);
  });
});
