import {
  ask,
  defineProtocol,
  RpcDecodeLimitError,
  RpcEndpoint,
  serves,
  SuperJsonCodec,
  isRpcError,
  type Codec,
} from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';

const BudgetProtocol = defineProtocol('BudgetGateway', {
  digits: ask<[n: bigint], number>(),
  nested: ask<[depth: number], unknown>(),
});

@serves(BudgetProtocol)
class BudgetEndpoint extends RpcEndpoint {
  digits(n: bigint): number {
    return n.toString().length;
  }

  nested(depth: number): unknown {
    let value: unknown = 0;
    for (let level = 0; level < depth; level++) value = [value];
    return value;
  }
}

/** Stands for a BigInt of a million digits in the client's calls. */
const MILLION_DIGITS = -424_242n;

/**
 * The superjson codec, except that arguments holding {@link MILLION_DIGITS} are sent as a BigInt
 * of a million digits: written by hand, since converting such a BigInt to text takes the
 * sender most of a second, which is not what the test measures.
 */
function clientCodec(limits?: ConstructorParameters<typeof SuperJsonCodec>[0]): Codec {
  const codec = new SuperJsonCodec(limits);
  const huge = { json: ['9'.repeat(1_000_000)], meta: { values: { '0': ['bigint'] }, v: 1 } };
  const hugeBytes = Buffer.from(`S${JSON.stringify(huge)}`, 'utf8');
  return {
    name: codec.name,
    encode: (value) => (Array.isArray(value) && value[0] === MILLION_DIGITS ? hugeBytes : codec.encode(value)),
    decode: (bytes) => codec.decode(bytes),
    errorClass: (name) => codec.errorClass(name),
  };
}

// Both sides use SuperJsonCodec; TypedCodec's budget across processes is in fuzz.test.ts.
describe('the decode budget of SuperJsonCodec across the wire', () => {
  const services: NactRpcService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.closeAsync()));
  });

  async function serverAndClient(clientLimits?: ConstructorParameters<typeof SuperJsonCodec>[0]) {
    const server = await NactRpcService.create({ name: 'server', codec: new SuperJsonCodec(), listen: { port: 0 } });
    services.push(server);
    const client = new NactRpcService({ name: 'client', codec: clientCodec(clientLimits), askTimeoutMs: 3_600_000 });
    services.push(client);
    const endpoint = new BudgetEndpoint(server, 'budget');
    await endpoint.start();
    return client.connect(endpoint.getAddress(), BudgetProtocol);
  }

  test('arguments with a BigInt of a million digits are refused fast, and the server answers the next call', async () => {
    const gateway = await serverAndClient();
    const start = performance.now();
    const error: unknown = await gateway.digits(MILLION_DIGITS).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    const elapsedMs = performance.now() - start;
    expect(error).toBeInstanceOf(RpcDecodeLimitError);
    expect(isRpcError(error, 'RPC_DECODE_LIMIT')).toBe(true);
    expect(error).toMatchObject({ limit: 'maxBigIntDigits', max: 4_300, actual: 1_000_000 });
    expect((error as Error).message).toMatch(
      /^Refused ask BudgetGateway\.digits to endpoint budget .*: could not deserialize its arguments: Refused to decode: a BigInt of 1000000 digits is over the decode limit maxBigIntDigits \(4300\)$/,
    );
    // Parsing the BigInt would block the server for seconds; the refusal reads the frame once.
    expect(elapsedMs).toBeLessThan(500);
    expect(await gateway.digits(12345n)).toBe(5);
  });

  test('an answer over the caller’s own budget fails the ask with the limit’s error', async () => {
    const gateway = await serverAndClient({ limits: { maxDepth: 5 } });
    expect(await gateway.nested(5)).toEqual([[[[[0]]]]]);
    const error: unknown = await gateway.nested(6).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(RpcDecodeLimitError);
    expect(error).toMatchObject({ code: 'RPC_DECODE_LIMIT', limit: 'maxDepth', max: 5, actual: 6 });
    expect(await gateway.nested(1)).toEqual([0]);
  });
});
