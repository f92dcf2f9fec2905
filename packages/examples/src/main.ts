/**
 * `npm start`: runs the examples on a local service, then the embedding example on a nact
 * actor system of its own, and prints what happens.
 */
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { runCluster } from './cluster/runCluster';
import { runEmbedding } from './embedding';
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
  console.log('\nA service embedded in the nact actor system of its user');
  await runEmbedding(print);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
