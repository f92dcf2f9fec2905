// packages/runtime-nact/README.md: start an endpoint, call it, close the service.
import { HelloEndpoint, HelloProtocol } from '../readme/hello';
// #region main
import { NactRpcService } from '@nact-rpc/runtime-nact';

async function main(): Promise<void> {
  const service = new NactRpcService();
  const endpoint = new HelloEndpoint(service); // an RpcEndpoint from @nact-rpc/core
  await endpoint.start();
  const hello = await service.connect(endpoint.getAddress(), HelloProtocol);
  console.log(await hello.hello());
  await service.closeAsync();
}
// #endregion main

export { main };
