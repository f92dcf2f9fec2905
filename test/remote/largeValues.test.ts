import { ask, defineProtocol, RpcEndpoint, serves, tell, type RpcService } from '@nact-rpc/core';
import { NactRpcService, type NactRpcServiceOptions } from '@nact-rpc/runtime-nact';
import { TestCertificateAuthority } from '../support/certificates';

/**
 * Large values are written into buffers the codec reuses once the transport has sent them.
 * Here many distinct large values are in flight at once, each with its own content: any buffer
 * reused before its bytes were sent would show as a value arriving with another's content.
 */
const Chunks = defineProtocol('LargeChunks', {
  put: tell<[index: number, chunk: Buffer]>(),
  echo: ask<[chunk: Buffer], Buffer>(),
  /** The indexes received so far whose chunk did not have its index's content. */
  mismatches: ask<[], { received: number; wrong: number[] }>(),
});

/** A chunk of `bytes` bytes in which every byte is `index` plus its offset, modulo 256. */
function chunk(index: number, bytes: number): Buffer {
  const buffer = Buffer.allocUnsafe(bytes);
  for (let i = 0; i < bytes; i++) buffer[i] = (index + i) & 0xff;
  return buffer;
}

@serves(Chunks)
class ChunksEndpoint extends RpcEndpoint {
  private received = 0;
  private readonly wrong: number[] = [];

  constructor(rpcService: RpcService) {
    super(rpcService, 'chunks');
  }

  put(index: number, data: Buffer): void {
    this.received++;
    if (!data.equals(chunk(index, data.length))) this.wrong.push(index);
  }

  echo(data: Buffer): Buffer {
    return data;
  }

  mismatches(): { received: number; wrong: number[] } {
    return { received: this.received, wrong: this.wrong };
  }
}

describe.each<[string, () => Promise<Pick<NactRpcServiceOptions, 'security'>[]>]>([
  ['TCP', () => Promise.resolve([{}, {}])],
  [
    'TLS',
    async () => {
      const ca = await TestCertificateAuthority.create();
      const [server, client] = await Promise.all([ca.issue('server'), ca.issue('client')]);
      return [{ security: { tls: server } }, { security: { tls: client } }];
    },
  ],
])('many large values in flight over %s', (_, security) => {
  let server: NactRpcService;
  let client: NactRpcService;
  let address: string;

  beforeAll(async () => {
    const [serverOptions, clientOptions] = await security();
    server = await NactRpcService.create({ name: 'server', listen: { port: 0 }, ...serverOptions });
    client = new NactRpcService({ name: 'client', ...clientOptions });
    const endpoint = new ChunksEndpoint(server);
    await endpoint.start();
    address = endpoint.getAddress();
  });

  afterAll(async () => {
    await client.closeAsync();
    await server.closeAsync();
  });

  test('each tell arrives with its own content, sent in bursts over several turns', async () => {
    const chunks = await client.connect(address, Chunks);
    const sizes = [64 * 1024, 65 * 1024, 80 * 1024, 200 * 1024];
    let index = 0;
    for (let burst = 0; burst < 8; burst++) {
      for (let i = 0; i < 40; i++, index++) chunks.put(index, chunk(index, sizes[index % sizes.length] as number));
      if (burst % 2 === 1) await chunks.mismatches();
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(await chunks.mismatches()).toEqual({ received: index, wrong: [] });
  });

  test('a Buffer changed right after the call arrives as it was when the call was made', async () => {
    const chunks = await client.connect(address, Chunks);
    const { received } = await chunks.mismatches();
    for (let i = 0; i < 8; i++) {
      const data = chunk(received + i, 100 * 1024);
      chunks.put(received + i, data);
      data.fill(0);
    }
    expect(await chunks.mismatches()).toEqual({ received: received + 8, wrong: [] });
  });

  test('each ask and its answer keep their own content, 16 in flight at a time', async () => {
    const chunks = await client.connect(address, Chunks);
    for (let round = 0; round < 4; round++) {
      const sent = Array.from({ length: 16 }, (_, i) => chunk(round * 16 + i, (64 + 32 * i) * 1024));
      const answers = await Promise.all(sent.map((data) => chunks.echo(data)));
      expect(answers.map((answer, i) => answer.equals(sent[i] as Buffer))).toEqual(sent.map(() => true));
    }
  });
});
