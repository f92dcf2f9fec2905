import { ask, defineProtocol, RpcEndpoint, serves } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';

// 1. Declare the protocols.
const HelloProtocol = defineProtocol('HelloGateway', { hello: ask<[], string>() });
const HiProtocol = defineProtocol('HiGateway', { hi: ask<[], string>() });

// 2. Implement them.
@serves(HelloProtocol)
class HelloEndpoint extends RpcEndpoint {
  hello(): string {
    return 'hello';
  }
}

@serves(HiProtocol)
class HiEndpoint extends RpcEndpoint {
  hi(): string {
    return 'hi';
  }
}

// 3. Start them in a service, and call them through gateways.
async function main(): Promise<void> {
  const service = new NactRpcService();
  const helloEndpoint = new HelloEndpoint(service);
  const hiEndpoint = new HiEndpoint(service);
  await helloEndpoint.start();
  await hiEndpoint.start();

  const hello = helloEndpoint.getSelfGateway(HelloProtocol); // the endpoint's own gateway
  console.log(await hello.hello()); // "hello"

  const hi = await service.connect(hiEndpoint.getAddress(), HiProtocol); // by address
  console.log(await hi.hi()); // "hi"

  await service.closeAsync();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
