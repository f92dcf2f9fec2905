/**
 * The idle scenario's server child: a listening nact-rpc service (127.0.0.1, any free port)
 * with an Echo endpoint. Sends `{ address }` once ready, then answers each `cpu` command with
 * a {@link CpuSnapshot}. Exits when its stdin closes.
 */
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { EchoEndpoint, errorsOnlyLogger } from '../echo';
import { cpuSnapshot, runChild, send, serveCommands } from '../proc/childIo';

async function main(): Promise<void> {
  const service = await NactRpcService.create({
    name: 'idle-server',
    logger: errorsOnlyLogger(),
    listen: { host: '127.0.0.1', port: 0 },
  });
  const echo = new EchoEndpoint(service, 'echo');
  await echo.start();
  serveCommands(() => cpuSnapshot());
  send({ address: echo.getAddress() });
}

runChild(main);
