/**
 * The secured servers of the remote server child, for the TLS and shared-secret scenarios: a
 * raw TLS echo, a nact-rpc service that listens with mutual TLS (`bench-tls`) and one that
 * requires a shared secret on plaintext TCP (`bench-secret`), each with an Echo endpoint, on
 * 127.0.0.1 and any free port. The certificates and the secret are made here, at bench start,
 * and the client's share of them travels to the parent in the server's ready message.
 */
import { randomBytes } from 'node:crypto';
import { NactRpcService, type NactRpcServiceOptions } from '@nact-rpc/runtime-nact';
import { EchoEndpoint, errorsOnlyLogger } from '../echo';
import { BenchCertificateAuthority, type BenchTls } from './certificates';
import { startRawTlsServer } from './rawTls';

/** The client service's name: its certificate names it, as mutual TLS requires. */
export const BENCH_CLIENT_NAME = 'bench-client';

/** Where the secured servers listen, and what a client needs to call them. */
export interface SecureServersReady {
  /** The raw TLS echo's port on 127.0.0.1. */
  readonly rawTlsPort: number;
  /** The Echo endpoint of the mutual-TLS service (a `nact-rpcs://` address). */
  readonly tlsAddress: string;
  /** The Echo endpoint of the shared-secret service. */
  readonly secretAddress: string;
  /** The client's key and certificate (naming {@link BENCH_CLIENT_NAME}) and the CA. */
  readonly clientTls: BenchTls;
  /** The secret the shared-secret service requires (base64 of 32 random bytes). */
  readonly sharedSecret: string;
}

async function echoService(name: string, security: NactRpcServiceOptions['security']): Promise<string> {
  const service = await NactRpcService.create({
    name,
    logger: errorsOnlyLogger(),
    listen: { host: '127.0.0.1', port: 0 },
    security,
  });
  const echo = new EchoEndpoint(service, 'echo');
  await echo.start();
  return echo.getAddress();
}

/** Makes the certificates and the secret, and starts the secured servers. */
export async function startSecureServers(): Promise<SecureServersReady> {
  const authority = await BenchCertificateAuthority.create();
  const [serverTls, clientTls] = await Promise.all([authority.issue('bench-tls'), authority.issue(BENCH_CLIENT_NAME)]);
  const sharedSecret = randomBytes(32).toString('base64');
  const rawTlsPort = await startRawTlsServer(serverTls);
  const tlsAddress = await echoService('bench-tls', { tls: serverTls });
  const secretAddress = await echoService('bench-secret', { sharedSecret });
  return { rawTlsPort, tlsAddress, secretAddress, clientTls, sharedSecret };
}
