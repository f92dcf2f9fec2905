// docs/guide.md, "TLS and authentication": the counter over mutual TLS and a shared secret.
import type { TlsOptions } from '@nact-rpc/transport';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { CounterEndpoint, CounterProtocol } from './counter';

/**
 * Serves a counter with mutual TLS and a shared secret, and calls it from a client configured
 * the same way; answers what it read. Each service has its own key and certificate (PEM), which
 * name it, from a CA that both trust.
 */
export async function countSecurely(serverTls: TlsOptions, clientTls: TlsOptions, secret: string): Promise<number> {
  // #region secure
  const server = await NactRpcService.create({
    name: 'counting', // the name its certificate gives (CN=counting or DNS:counting)
    listen: { port: 0 }, // on 127.0.0.1; with host: '0.0.0.0' it is reachable from the network
    security: { tls: serverTls, sharedSecret: secret },
  });
  const counter = new CounterEndpoint(server, 'counter');
  await counter.start();
  const address = counter.getAddress(); // nact-rpcs://counting@127.0.0.1:<port>/counter: TLS

  const client = new NactRpcService({ name: 'client', security: { tls: clientTls, sharedSecret: secret } });
  const remote = await client.connect(address, CounterProtocol);
  const count = await remote.increment(1);
  // #endregion secure
  await client.closeAsync();
  await server.closeAsync();
  return count;
}
