/**
 * The seed example: two endpoints, one reached through its self gateway, the other through a
 * gateway connected by address.
 */
import { ask, defineProtocol, RpcEndpoint, serves, type RpcService } from '@nact-rpc/core';

/** The Hello protocol: one ask that answers "hello". */
export const HelloProtocol = defineProtocol('HelloGateway', { hello: ask<[], string>() });
/** The Hi protocol: one ask that answers "hi". */
export const HiProtocol = defineProtocol('HiGateway', { hi: ask<[], string>() });

/** Serves {@link HelloProtocol}. */
@serves(HelloProtocol)
export class HelloEndpoint extends RpcEndpoint {
  hello(): string {
    return 'hello';
  }
}

/** Serves {@link HiProtocol}. */
@serves(HiProtocol)
export class HiEndpoint extends RpcEndpoint {
  hi(): string {
    return 'hi';
  }
}

/** Runs the seed example on `service`, printing each step with `print`. */
export async function runHelloHi(service: RpcService, print: (line: string) => void): Promise<void> {
  const hello = new HelloEndpoint(service);
  const hi = new HiEndpoint(service);
  await Promise.all([hello.start(), hi.start()]);
  print(`started HelloEndpoint at ${hello.getAddress()}`);
  print(`started HiEndpoint    at ${hi.getAddress()}`);

  const helloGateway = hello.getSelfGateway(HelloProtocol);
  print(`self gateway:      hello() -> ${JSON.stringify(await helloGateway.hello())}`);

  const hiGateway = await service.connect(hi.getAddress(), HiProtocol);
  print(`connected gateway: hi()    -> ${JSON.stringify(await hiGateway.hi())}`);

  await Promise.all([hello.closeAsync(), hi.closeAsync()]);
}
