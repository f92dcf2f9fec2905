// README.md, "Across processes": the two halves, each a function a process runs.
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { HelloEndpoint, HelloProtocol } from './hello';

// #region acrossProcesses
// Process 1: serve Hello on a TCP port.
export async function serveHello(port = 50100): Promise<NactRpcService> {
  const server = await NactRpcService.create({ name: 'greeter', listen: { port } });
  await new HelloEndpoint(server, 'hello').start();
  // its address: nact-rpc://greeter@127.0.0.1:50100/hello
  return server; // close it with server.closeAsync()
}

// Process 2: call it.
export async function callHello(address = 'nact-rpc://greeter@127.0.0.1:50100/hello'): Promise<void> {
  const client = new NactRpcService();
  const hello = await client.connect(address, HelloProtocol);
  console.log(await hello.hello()); // "hello"
  await client.closeAsync(); // closes the connection, so that the process can exit
}
// #endregion acrossProcesses
