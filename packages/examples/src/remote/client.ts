/**
 * The client half of the remote example: calls the endpoint whose address it is given, any of
 * those the server prints. It knows two protocols, Hello and Hi; the handshake of `connect`
 * says whether the endpoint serves one (a `HandshakeError` if not), so the client tries each
 * in turn and calls the one the endpoint serves.
 * Run: `node packages/examples/dist/remote/client.js nact-rpc://greeter@127.0.0.1:<port>/hello`.
 */
import { isRpcError, type RpcService } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { HelloProtocol, HiProtocol } from '../helloHi';

/** A way to greet an endpoint: connect with one protocol and call its method. */
const greetings: readonly {
  readonly protocol: string;
  readonly greet: (service: RpcService, address: string) => Promise<string>;
}[] = [
  {
    protocol: HelloProtocol.name,
    greet: async (service, address) => (await service.connect(address, HelloProtocol)).hello(),
  },
  { protocol: HiProtocol.name, greet: async (service, address) => (await service.connect(address, HiProtocol)).hi() },
];

/** Greets the endpoint at `address` with the first protocol it serves; answers what it said. */
async function greet(service: RpcService, address: string): Promise<string> {
  const refusals: string[] = [];
  for (const { protocol, greet: greetWith } of greetings) {
    try {
      return await greetWith(service, address);
    } catch (error) {
      if (!isRpcError(error, 'HANDSHAKE')) throw error;
      refusals.push(`${protocol}: ${error.message}`);
    }
  }
  throw new Error(`${address} serves none of the protocols this client knows:\n${refusals.join('\n')}`);
}

async function main(address: string): Promise<void> {
  const service = new NactRpcService({ name: 'caller' });
  try {
    console.log(`${address} answered ${JSON.stringify(await greet(service, address))}`);
  } finally {
    await service.closeAsync();
  }
}

main(process.argv[2] ?? '').catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
