/**
 * `npm start`: runs the examples on a local service and prints what happens.
 */
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { runCluster } from './cluster/runCluster';
import { runHelloHi } from './helloHi';

async function main(): Promise<void> {
  const print = (line: string): void => console.log(`  ${line}`);
  const service = new NactRpcService({ name: 'example' });
  try {
    console.log('Hello/Hi: the seed example');
    await runHelloHi(service, print);
    console.log('\nA fenced leader with two workers');
    await runCluster(service, print);
  } finally {
    await service.closeAsync();
  }
  console.log('\nservice closed');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
