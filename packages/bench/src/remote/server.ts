/**
 * The remote benchmark's server, run as a child process: a raw TCP echo server per write mode
 * (naive, corked, batched, pipelined), a gRPC echo
 * server and a listening nact-rpc service with an Echo endpoint, all on 127.0.0.1 and any free
 * port, and the secured servers of the TLS and shared-secret scenarios ({@link startSecureServers}).
 * For the bulk scenarios: a raw TCP blob echo and stream receiver ({@link startRawBulkServer}) and
 * a Blob endpoint on the same nact-rpc service.
 * Sends {@link RemoteServerReady} once ready; exits when its stdin closes.
 */
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { EchoEndpoint, errorsOnlyLogger } from '../echo';
import { runChild, send } from '../proc/childIo';
import { startGrpcServer } from './grpc';
import { WRITE_MODES, type WriteMode } from './frames';
import { startRawTcpServer } from './rawTcp';
import { BlobEndpoint } from './blob';
import { startRawBulkServer } from './rawBulk';
import { startSecureServers, type SecureServersReady } from './secureServer';

/** What the server child sends once it is ready. */
export interface RemoteServerReady {
  /** The batched raw TCP echo's port (the one the raw TCP scenarios have always used). */
  readonly rawTcpPort: number;
  /** The port of the raw TCP echo of each write mode. */
  readonly rawTcpPorts: Readonly<Record<WriteMode, number>>;
  readonly grpcPort: number;
  readonly rpcAddress: string;
  /** The raw TCP blob echo's and stream receiver's ports (bulk scenarios). */
  readonly rawBulkPorts: { readonly echo: number; readonly stream: number };
  /** The Blob endpoint (bulk scenarios), on the same service as the Echo endpoint. */
  readonly blobAddress: string;
  /** The secured servers: raw TLS echo, mutual-TLS and shared-secret services. */
  readonly secure: SecureServersReady;
}

async function main(): Promise<void> {
  const rawTcpPorts = {} as Record<WriteMode, number>;
  for (const mode of WRITE_MODES) rawTcpPorts[mode] = await startRawTcpServer(mode);
  const rawTcpPort = rawTcpPorts.batched;
  const grpcPort = await startGrpcServer();
  const service = await NactRpcService.create({
    name: 'bench',
    logger: errorsOnlyLogger(),
    listen: { host: '127.0.0.1', port: 0 },
  });
  const echo = new EchoEndpoint(service, 'echo');
  await echo.start();
  const blob = new BlobEndpoint(service, 'blob');
  await blob.start();
  const rawBulkPorts = { echo: await startRawBulkServer('echo'), stream: await startRawBulkServer('stream') };
  const secure = await startSecureServers();
  const ready: RemoteServerReady = {
    rawTcpPort,
    rawTcpPorts,
    grpcPort,
    rpcAddress: echo.getAddress(),
    rawBulkPorts,
    blobAddress: blob.getAddress(),
    secure,
  };
  send(ready);
}

runChild(main);
