/**
 * The server half of the remote example: serves Hello and Hi on a TCP port and prints their
 * addresses. Run: `node packages/examples/dist/remote/server.js [port]` (default: any free port).
 */
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { HelloEndpoint, HiEndpoint } from '../helloHi';

async function main(): Promise<void> {
  const service = await NactRpcService.create({ name: 'greeter', listen: { port: Number(process.argv[2] ?? 0) } });
  const hello = new HelloEndpoint(service, 'hello');
  const hi = new HiEndpoint(service, 'hi');
  await Promise.all([hello.start(), hi.start()]);
  console.log(hello.getAddress());
  console.log(hi.getAddress());
  process.once('SIGINT', () => void service.closeAsync());
  process.once('SIGTERM', () => void service.closeAsync());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
