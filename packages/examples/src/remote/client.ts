/**
 * The client half of the remote example: calls the Hello endpoint whose address it is given.
 * Run: `node packages/examples/dist/remote/client.js nact-rpc://greeter@127.0.0.1:<port>/hello`.
 */
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { HelloProtocol } from '../helloHi';

async function main(address: string): Promise<void> {
  const service = new NactRpcService({ name: 'caller' });
  try {
    const hello = await service.connect(address, HelloProtocol);
    console.log(`${address} answered ${JSON.stringify(await hello.hello())}`);
  } finally {
    await service.closeAsync();
  }
}

main(process.argv[2] ?? '').catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
